import Testing
@testable import TerraformPlugin

extension SealingDomain {
    /// terraform-provider-turso's domain, the strings of the vectors below.
    static let turso = SealingDomain(personalization: "tfturso-pstate-1", context: "terraform-provider-turso/private-state/v1")
}

@Suite("Private state sealed with libsodium")
struct PrivateStateSealingTests {
    static let secret = "0123456789abcdef0123456789abcdef"
    static let otherSecret = "fedcba9876543210fedcba9876543210"
    let key = SealingKey(secret: secret, domain: .turso)
    let binding = PrivateStateBinding(resourceType: "turso_timed_token", resourceID: "timed-token-id-1")
    let fields = PrivateStateFields(["token": "token-secret-value", "expires_at": "2026-11-25T10:00:00Z"])

    func hex(_ key: SealingKey) -> String {
        key.withKeyBytes { bytes in SealingKey.hex(Array(UnsafeBufferPointer(start: bytes, count: SealingKey.keyLength))) }
    }

    @Test("A blob sealed before the domain became a parameter still opens with the same two strings, and not with others")
    func domainCompatibility() throws {
        let key = SealingKey(secret: "compatibility-vector-secret-0123456789abcdef", domain: .turso)
        #expect(key.idHex == "2d33a972c05cda3d")
        let hexBlob = "012d33a972c05cda3dd75986e5b6b6d0caa8b8ddf47eea96bac9b28be5ca166f6031268067056ae103d7fcbbbbfc975ea661041c8ba14a47d1d971911cac0c72"
        var blob: [UInt8] = []
        var index = hexBlob.startIndex
        while index < hexBlob.endIndex {
            let next = hexBlob.index(index, offsetBy: 2)
            blob.append(try #require(UInt8(hexBlob[index..<next], radix: 16)))
            index = next
        }
        let binding = PrivateStateBinding(resourceType: "turso_timed_token", resourceID: "id-1")
        guard case .sealed(let fields, let needsReseal) = SodiumVault(current: key).open(blob, for: binding) else {
            Issue.record("the pre-change blob does not open")
            return
        }
        #expect(fields["token"] == "t-1")
        #expect(!needsReseal)
        // Another context: same secret, other provider: the blob is not its.
        let otherContext = SealingDomain(personalization: "tfturso-pstate-1", context: "terraform-provider-other/private-state/v1")
        let other = SealingKey(secret: "compatibility-vector-secret-0123456789abcdef", domain: otherContext)
        #expect(other.id == key.id, "the context does not change the key")
        guard case .unreadable(let problem) = SodiumVault(current: other).open(blob, for: binding) else {
            Issue.record("a blob opened under another domain's context")
            return
        }
        #expect(problem.kind == .authenticationFailed(keyID: key.idHex))
        let otherPersonal = SealingKey(secret: "compatibility-vector-secret-0123456789abcdef",
                                       domain: SealingDomain(personalization: "tfother-pstate-1", context: "terraform-provider-turso/private-state/v1"))
        #expect(otherPersonal.id != key.id, "the personalisation separates the derivations")
    }

    @Test("Key derivation matches independent BLAKE2b vectors (Python hashlib)")
    func derivationVectors() {
        // hashlib.blake2b(b"seal-key", key=secret, digest_size=32, person=b"tfturso-pstate-1")
        #expect(hex(key) == "ec0da4018e74dd130e9e3ea1548dcae365c2b8fd4e8c138a77383d95b00f3915")
        #expect(key.idHex == "3b3899024457fa30")
        // A secret over 64 bytes is first reduced with unkeyed BLAKE2b-512.
        let long = SealingKey(secret: "ключ-с-юникодом-и-длинный-достаточно-для-проверки", domain: .turso)
        #expect(hex(long) == "525d74dbf05d9d0e32d138179e75fd9343e0dfc99e196edd5a338f50280dc825")
        #expect(long.idHex == "d6decdf7276af1ff")
    }

    @Test("Sealing then opening gives the fields back, and each seal uses a fresh nonce")
    func roundTrip() throws {
        let vault = SodiumVault(current: key)
        let first = try vault.seal(fields, for: binding)
        let second = try vault.seal(fields, for: binding)
        #expect(first != second)
        guard case .sealed(let opened, let needsReseal) = vault.open(first, for: binding) else {
            Issue.record("did not open"); return
        }
        #expect(opened == fields)
        #expect(!needsReseal)
        #expect(first[0] == SodiumVault.formatVersion)
        #expect(Array(first[1..<9]) == key.id)
    }

    @Test("The blob never contains the secret, in clear or base64")
    func noPlaintext() throws {
        let blob = try SodiumVault(current: key).seal(fields, for: binding)
        let text = String(decoding: blob, as: UTF8.self)
        #expect(!text.contains("token-secret-value"))
        #expect(!text.contains("dG9rZW4tc2VjcmV0LXZhbHVl"))
    }

    @Test("A blob sealed with a key that is not configured is told apart, with its key id")
    func wrongKey() throws {
        let blob = try SodiumVault(current: SealingKey(secret: Self.otherSecret, domain: .turso)).seal(fields, for: binding)
        guard case .unreadable(let problem) = SodiumVault(current: key).open(blob, for: binding) else {
            Issue.record("opened with the wrong key"); return
        }
        #expect(problem.kind == .unknownKey(keyID: SealingKey(secret: Self.otherSecret, domain: .turso).idHex))
        #expect(problem.message.contains(SealingKey(secret: Self.otherSecret, domain: .turso).idHex))
    }

    @Test("A blob bound to another resource does not open")
    func wrongBinding() throws {
        let vault = SodiumVault(current: key)
        let blob = try vault.seal(fields, for: binding)
        let other = PrivateStateBinding(resourceType: "turso_timed_token", resourceID: "timed-token-id-2")
        let otherType = PrivateStateBinding(resourceType: "turso_api_token", resourceID: "timed-token-id-1")
        for wrong in [other, otherType] {
            guard case .unreadable(let problem) = vault.open(blob, for: wrong) else {
                Issue.record("opened under \(wrong)"); continue
            }
            #expect(problem.kind == .authenticationFailed(keyID: key.idHex))
        }
    }

    @Test("Every flipped bit is detected")
    func flippedBits() throws {
        let vault = SodiumVault(current: key)
        let blob = try vault.seal(fields, for: binding)
        for index in blob.indices {
            var damaged = blob
            damaged[index] ^= 0x04
            guard case .unreadable(let problem) = vault.open(damaged, for: binding) else {
                Issue.record("flip at byte \(index) went unnoticed"); continue
            }
            switch index {
            case 0: #expect(problem.kind == .unsupportedVersion(blob[0] ^ 0x04))
            case 1..<9: #expect(problem.kind == .unknownKey(keyID: SealingKey.hex(Array(damaged[1..<9]))))
            default: #expect(problem.kind == .authenticationFailed(keyID: key.idHex))
            }
        }
    }

    @Test("Truncated and unknown-version blobs are told apart")
    func truncatedAndVersion() throws {
        let vault = SodiumVault(current: key)
        let blob = try vault.seal(fields, for: binding)
        guard case .unreadable(let truncated) = vault.open(Array(blob.prefix(20)), for: binding) else {
            Issue.record("truncated blob opened"); return
        }
        #expect(truncated.kind == .malformed)
        var future = blob
        future[0] = 2
        guard case .unreadable(let version) = vault.open(future, for: binding) else {
            Issue.record("future version opened"); return
        }
        #expect(version.kind == .unsupportedVersion(2))
        // One byte short of the tag: authentication, not a crash.
        guard case .unreadable(let short) = vault.open(Array(blob.dropLast()), for: binding) else {
            Issue.record("short blob opened"); return
        }
        #expect(short.kind == .authenticationFailed(keyID: key.idHex))
    }

    @Test("A previous key opens old blobs and asks for re-sealing; it never seals")
    func previousKeys() throws {
        let old = SealingKey(secret: Self.otherSecret, domain: .turso)
        let oldBlob = try SodiumVault(current: old).seal(fields, for: binding)
        let rotated = SodiumVault(current: key, previous: [old])
        guard case .sealed(let opened, let needsReseal) = rotated.open(oldBlob, for: binding) else {
            Issue.record("previous key did not open"); return
        }
        #expect(opened == fields)
        #expect(needsReseal)
        let resealed = try rotated.seal(opened, for: binding)
        #expect(Array(resealed[1..<9]) == key.id)
        guard case .sealed(_, let again) = rotated.open(resealed, for: binding) else {
            Issue.record("re-sealed blob did not open"); return
        }
        #expect(!again)
    }

    @Test("Plain JSON private state from before sealing is recognised for upgrading")
    func plainLegacy() {
        let plain = PlainPrivateState.encode(fields)
        guard case .plain(let opened) = SodiumVault(current: key).open(plain, for: binding) else {
            Issue.record("plain state not recognised"); return
        }
        #expect(opened == fields)
        guard case .empty = SodiumVault(current: key).open([], for: binding) else {
            Issue.record("empty state not recognised"); return
        }
    }

    @Test("Generated secrets are long enough and differ")
    func generatedSecrets() {
        let a = SealingKey.generateSecret()
        let b = SealingKey.generateSecret()
        #expect(a.count == 44)
        #expect(a != b)
    }
}
