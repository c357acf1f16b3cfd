// libFuzzer target: opening private state (SodiumVault.open), the bytes
// Terraform hands back in ReadResource, PlanResourceChange and
// ApplyResourceChange: sealed envelopes, plain JSON of older states, or
// anything a hand-edited state holds. Input: a selector byte, then the blob.
// Selector bit 0: the vault also holds a previous key (rotation); bit 1:
// the blob is bound to a second resource id (a copied blob).
//
// Beyond "never crashes": whatever opens seals again and opens to the same
// fields, now with the current key.
#if canImport(Glibc)
import Glibc
#endif
import FuzzSupport
@testable import TerraformPlugin
@testable import TursoProvider

/// Fixed secrets: the committed seeds were sealed with them (see
/// `LLVMFuzzerInitialize`). Not secrets of anything. The provider's own
/// sealing domain, so the envelopes are the provider's.
let currentKey = SealingKey(secret: "fuzz-current-private-state-key-0123456789", domain: PrivateStateKeys.sealingDomain)
let previousKey = SealingKey(secret: "fuzz-previous-private-state-key-0123456789", domain: PrivateStateKeys.sealingDomain)
let bindings = [
    PrivateStateBinding(resourceType: "turso_api_token", resourceID: "fuzz-token"),
    PrivateStateBinding(resourceType: "turso_api_token", resourceID: "another-token"),
]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSealing(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = FuzzInput(data, size)
    let vault = input.selector & 1 == 0
        ? SodiumVault(current: currentKey) : SodiumVault(current: currentKey, previous: [previousKey])
    let binding = bindings[Int(input.selector >> 1 & 1)]
    let fields: PrivateStateFields
    switch vault.open(input.payload, for: binding) {
    case .empty, .unreadable: return 0
    case .plain(let opened), .sealed(let opened, _): fields = opened
    }
    let resealed: [UInt8]
    do { resealed = try vault.seal(fields, for: binding) } catch { fuzzFailure("opened fields do not seal again: \(error)") }
    guard case .sealed(let again, needsReseal: false) = vault.open(resealed, for: binding) else {
        fuzzFailure("a freshly sealed blob does not open with the current key")
    }
    if again != fields { fuzzFailure("fields changed when sealed again") }
    return 0
}

/// `FUZZ_SEALING_WRITE_SEEDS=DIR` writes sealed seeds into DIR and exits:
/// envelopes that open, which random bytes never produce.
@_cdecl("LLVMFuzzerInitialize")
public func fuzzSealingInitialize(_ argc: UnsafeMutablePointer<Int32>?, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>?) -> Int32 {
    guard let directory = getenv("FUZZ_SEALING_WRITE_SEEDS").map({ String(cString: $0) }) else { return 0 }
    let fields = PrivateStateFields(["token": "fuzz-secret-token-value", "expires_at": "2030-01-02T03:04:05Z"])
    let seeds: [(String, UInt8, SealingKey)] = [
        ("sealed-current", 0, currentKey),
        ("sealed-previous-key", 1, previousKey),
        ("sealed-other-binding", 2, currentKey),
    ]
    for (name, selector, key) in seeds {
        guard let blob = try? SodiumVault(current: key).seal(fields, for: bindings[0]) else { fatalError("seal failed") }
        let bytes = [selector] + blob
        guard let file = fopen(directory + "/" + name, "wb") else { fatalError("cannot write \(directory)/\(name)") }
        _ = bytes.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, file) }
        fclose(file)
    }
    exit(0)
}
