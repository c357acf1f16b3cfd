// libFuzzer target: the msgpack value decoder (DynamicValue.msgpack, the
// encoding of every value Terraform sends). Input: a selector byte choosing
// the type (FuzzTypes), then the msgpack bytes.
//
// Beyond "never crashes", checks that whatever decodes is a value the
// encoder writes and that decodes back to the same value: the provider
// echoes decoded values back to Terraform.
import FuzzSupport
@testable import TerraformPlugin

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMsgPack(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let (type, bytes) = FuzzTypes.split(FuzzInput(data, size)) else { return 0 }
    let value: CtyValue
    do { value = try MsgPackValueCodec.decode(bytes, as: type) } catch { return 0 }
    let encoded: [UInt8]
    do { encoded = try MsgPackValueCodec.encode(value, as: type) } catch {
        fuzzFailure("a decoded value does not encode: \(error)")
    }
    let again: CtyValue
    do { again = try MsgPackValueCodec.decode(encoded, as: type) } catch {
        fuzzFailure("the encoder's own msgpack does not decode: \(error)")
    }
    if again != value { fuzzFailure("a value changed in a msgpack round trip") }
    return 0
}
