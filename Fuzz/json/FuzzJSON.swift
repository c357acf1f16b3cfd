// libFuzzer target: the JSON value decoder (DynamicValue.json, and the
// stored states of UpgradeResourceState) and the type JSON parser (the type
// carried by dynamic values). Input: a selector byte whose low seven bits
// choose the type (FuzzTypes; the last choice reads the type as JSON from
// the payload's first line) and whose high bit asks to ignore undefined
// attributes (as UpgradeResourceState does); then the JSON bytes.
//
// Beyond "never crashes": a parsed type writes back to JSON that parses to
// the same type, and a decoded value encodes to JSON that decodes to the
// same value.
import FuzzSupport
@testable import TerraformPlugin

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = FuzzInput(data, size)
    checkTypeRoundTrip(input.payload)
    guard let (type, bytes) = FuzzTypes.split(input) else { return 0 }
    let value: CtyValue
    do { value = try JSONValueCodec.decode(bytes, as: type, ignoringUndefinedAttributes: input.selector & 0x80 != 0) } catch { return 0 }
    let encoded: [UInt8]
    do { encoded = try JSONValueCodec.encode(value, as: type) } catch {
        fuzzFailure("a decoded value does not encode: \(error)")
    }
    let again: CtyValue
    do { again = try JSONValueCodec.decode(encoded, as: type) } catch {
        fuzzFailure("the encoder's own JSON does not decode: \(error) in \(String(decoding: encoded, as: UTF8.self))")
    }
    if again != value { fuzzFailure("a value changed in a JSON round trip: \(String(decoding: encoded, as: UTF8.self))") }
    return 0
}

/// The payload's first line as type JSON: when it parses, its written form
/// must parse to the same type.
private func checkTypeRoundTrip(_ payload: [UInt8]) {
    let line = Array(payload.prefix { $0 != 0x0A })
    guard let type = try? CtyType(typeJSON: line) else { return }
    var writer = JSONWriter()
    type.writeTypeJSON(into: &writer)
    let written = writer.bytes
    let again: CtyType
    do { again = try CtyType(typeJSON: written) } catch {
        fuzzFailure("a type's own JSON does not parse: \(error) in \(String(decoding: written, as: UTF8.self))")
    }
    if again != type { fuzzFailure("a type changed in a JSON round trip: \(String(decoding: written, as: UTF8.self))") }
}
