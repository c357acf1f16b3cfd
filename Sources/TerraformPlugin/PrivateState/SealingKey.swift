import CSodium

/// Makes libsodium ready once per process (its RNG and CPU-feature choice).
enum Sodium {
    static let ready: Bool = sodium_init() >= 0

    static func requireReady() {
        precondition(ready, "libsodium failed to initialise")
    }
}

/// Memory for key material from `sodium_malloc`: guard pages around it,
/// excluded from swap and core dumps where the system allows, and wiped by
/// `sodium_free` when its one owner, this object, goes away. Swift arrays are
/// not used for key material because their copies cannot all be wiped.
/// @unchecked Sendable: filled in once right after allocation, read-only
/// afterwards.
final class SecureBuffer: @unchecked Sendable {
    let count: Int
    private let memory: UnsafeMutableRawPointer

    init(count: Int) {
        Sodium.requireReady()
        guard let memory = sodium_malloc(max(count, 1)) else {
            preconditionFailure("sodium_malloc failed: out of memory for \(count) bytes of key material")
        }
        self.count = count
        self.memory = memory
    }

    /// A copy of `bytes` (for example a secret's UTF-8) in secure memory.
    convenience init<C: Collection>(copying bytes: C) where C.Element == UInt8 {
        self.init(count: bytes.count)
        let destination = memory.assumingMemoryBound(to: UInt8.self)
        for (offset, byte) in bytes.enumerated() { destination[offset] = byte }
    }

    deinit {
        sodium_free(memory)
    }

    func withUnsafeBytes<R>(_ body: (UnsafeMutablePointer<UInt8>, Int) throws -> R) rethrows -> R {
        try body(memory.assumingMemoryBound(to: UInt8.self), count)
    }
}

/// What makes one provider's sealed private state its own, supplied by the
/// provider (the protocol layer names no provider): the personalisation of
/// its key derivations and the name of its envelope format, bound into
/// every blob's authenticated data. Changing either makes every existing
/// blob unreadable, so a provider fixes them once.
public struct SealingDomain: Sendable {
    /// BLAKE2b personalisation: separates these derivations from any other
    /// use of the same secret. Exactly 16 bytes.
    let personalization: [UInt8]
    /// e.g. `terraform-provider-x/private-state/v1`.
    let context: [UInt8]

    /// `personalization` must be exactly 16 bytes of UTF-8 (a constant of
    /// the provider's code: anything else is a programmer error).
    public init(personalization: String, context: String) {
        precondition(personalization.utf8.count == Int(crypto_generichash_blake2b_PERSONALBYTES), "a BLAKE2b personalisation is 16 bytes")
        self.personalization = Array(personalization.utf8)
        self.context = Array(context.utf8)
    }
}

/// A 32-byte sealing key derived from a user's secret, with its public id.
///
/// The secret's text (a Swift String from configuration) cannot be wiped,
/// but nothing derived from it is kept outside secure memory, and the key
/// bytes are never copied into Swift arrays, logged, or compared.
public final class SealingKey: Sendable {
    static let keyLength = Int(crypto_aead_xchacha20poly1305_ietf_KEYBYTES)
    static let idLength = 8

    /// Never handed out beyond a `withKeyBytes` scope.
    private let key: SecureBuffer
    /// A short public fingerprint of the key (not of the secret's text):
    /// tells which key sealed a blob without revealing anything about it.
    public let id: [UInt8]
    /// The provider's domain: derivations and sealed blobs are bound to it.
    public let domain: SealingDomain

    /// Derives the key with libsodium's keyed generic hash (BLAKE2b), keyed
    /// with the secret, over a fixed label; the key id likewise over another
    /// label. Deliberately not a slow password hash: the secret is required
    /// to be long and random (32+ characters), and a thousand resources must
    /// not cost a thousand Argon2 runs. A secret longer than BLAKE2b's 64-byte
    /// key limit is first hashed to 64 bytes (unkeyed, same personalisation).
    public init(secret: String, domain: SealingDomain) {
        let personal = domain.personalization
        var hashKey = SecureBuffer(copying: secret.utf8)
        if hashKey.count > Int(crypto_generichash_blake2b_KEYBYTES_MAX) {
            let reduced = SecureBuffer(count: Int(crypto_generichash_blake2b_BYTES_MAX))
            reduced.withUnsafeBytes { out, outLength in
                hashKey.withUnsafeBytes { input, inputLength in
                    Self.blake2b(into: out, length: outLength, message: input, messageLength: inputLength, key: nil, keyLength: 0, personal: personal)
                }
            }
            hashKey = reduced
        }
        let derived = SecureBuffer(count: Self.keyLength)
        var id = [UInt8](repeating: 0, count: Self.idLength)
        hashKey.withUnsafeBytes { keyBytes, keyLength in
            derived.withUnsafeBytes { out, outLength in
                Self.blake2b(into: out, length: outLength, label: "seal-key", key: keyBytes, keyLength: keyLength, personal: personal)
            }
            id.withUnsafeMutableBufferPointer { out in
                Self.blake2b(into: out.baseAddress!, length: out.count, label: "key-id", key: keyBytes, keyLength: keyLength, personal: personal)
            }
        }
        self.key = derived
        self.id = id
        self.domain = domain
    }

    /// A new random secret for a key file: 32 bytes from libsodium's CSPRNG,
    /// base64 (44 characters, above the 32-character minimum).
    public static func generateSecret() -> String {
        Sodium.requireReady()
        let random = SecureBuffer(count: 32)
        let encodedLength = Int(sodium_base64_encoded_len(32, sodium_base64_VARIANT_ORIGINAL))
        let text = SecureBuffer(count: encodedLength)
        return random.withUnsafeBytes { bytes, count in
            randombytes_buf(bytes, count)
            return text.withUnsafeBytes { out, outLength in
                sodium_bin2base64(out, outLength, bytes, count, sodium_base64_VARIANT_ORIGINAL)
                return String(cString: out)
            }
        }
    }

    /// The key id as shown to users: 16 lowercase hex digits.
    package var idHex: String { Self.hex(id) }

    /// Lends the key bytes for the duration of `body`.
    func withKeyBytes<R>(_ body: (UnsafePointer<UInt8>) throws -> R) rethrows -> R {
        try key.withUnsafeBytes { bytes, _ in try body(bytes) }
    }

    private static func blake2b(
        into out: UnsafeMutablePointer<UInt8>, length: Int, label: String, key: UnsafePointer<UInt8>, keyLength: Int, personal: [UInt8]
    ) {
        let message = Array(label.utf8)
        message.withUnsafeBufferPointer { input in
            blake2b(into: out, length: length, message: input.baseAddress!, messageLength: input.count, key: key, keyLength: keyLength, personal: personal)
        }
    }

    private static func blake2b(
        into out: UnsafeMutablePointer<UInt8>, length: Int, message: UnsafePointer<UInt8>, messageLength: Int,
        key: UnsafePointer<UInt8>?, keyLength: Int, personal: [UInt8]
    ) {
        let result = personal.withUnsafeBufferPointer { personalBytes in
            crypto_generichash_blake2b_salt_personal(
                out, length, message, UInt64(messageLength), key, keyLength, nil, personalBytes.baseAddress
            )
        }
        precondition(result == 0, "BLAKE2b rejected its parameters")
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
