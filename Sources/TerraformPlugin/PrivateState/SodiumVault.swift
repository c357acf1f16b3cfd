import CSodium

/// Private state sealed with libsodium's XChaCha20-Poly1305 (IETF) AEAD.
///
/// Envelope (all of it is authenticated; see DESIGN.md):
///
///     offset  size  field
///     0       1     format version (1)
///     1       8     key id: SealingKey.id of the sealing key
///     9       24    nonce, fresh random for every seal
///     33      n+16  ciphertext of the fields' JSON, with the Poly1305 tag
///
/// The additional authenticated data is the header (version and key id)
/// followed by a context naming the format, the resource type and the
/// resource id, so a blob copied to another resource, or whose key id was
/// altered, does not open.
public struct SodiumVault: PrivateStateVault {
    package static let formatVersion: UInt8 = 1
    static let headerLength = 1 + SealingKey.idLength
    static let nonceLength = Int(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES)
    static let tagLength = Int(crypto_aead_xchacha20poly1305_ietf_ABYTES)
    static let minimumLength = headerLength + nonceLength + tagLength

    /// Seals; also the first key tried when opening.
    public let current: SealingKey
    /// Tried when opening, never used to seal.
    public let previous: [SealingKey]

    public init(current: SealingKey, previous: [SealingKey] = []) {
        self.current = current
        self.previous = previous
    }

    public func seal(_ fields: PrivateStateFields, for binding: PrivateStateBinding) throws(PrivateStateSealError) -> [UInt8] {
        Sodium.requireReady()
        var plaintext = PlainPrivateState.encode(fields)
        defer { plaintext.withUnsafeMutableBytes { sodium_memzero($0.baseAddress, $0.count) } }
        let header = [Self.formatVersion] + current.id
        var nonce = [UInt8](repeating: 0, count: Self.nonceLength)
        nonce.withUnsafeMutableBytes { randombytes_buf($0.baseAddress!, $0.count) }
        let aad = Self.additionalData(header: header, binding: binding, domain: current.domain)

        var blob = header + nonce + [UInt8](repeating: 0, count: plaintext.count + Self.tagLength)
        var written: UInt64 = 0
        let result = blob.withUnsafeMutableBufferPointer { out in
            plaintext.withUnsafeBufferPointer { message in
                aad.withUnsafeBufferPointer { ad in
                    nonce.withUnsafeBufferPointer { npub in
                        current.withKeyBytes { key in
                            crypto_aead_xchacha20poly1305_ietf_encrypt(
                                out.baseAddress! + Self.headerLength + Self.nonceLength, &written,
                                message.baseAddress, UInt64(message.count),
                                ad.baseAddress, UInt64(ad.count), nil, npub.baseAddress!, key
                            )
                        }
                    }
                }
            }
        }
        guard result == 0, Int(written) == plaintext.count + Self.tagLength else {
            throw PrivateStateSealError("libsodium could not seal the private state (error \(result)).")
        }
        return blob
    }

    public func open(_ blob: [UInt8], for binding: PrivateStateBinding) -> PrivateStateContents {
        if blob.isEmpty { return .empty }
        // States written before sealing carried the fields as plain JSON.
        if blob.first == UInt8(ascii: "{") {
            if let fields = PlainPrivateState.decode(blob) { return .plain(fields) }
            return .unreadable(PrivateStateProblem(.malformed, "The private state is neither sealed nor valid plain JSON."))
        }
        guard let version = blob.first, version == Self.formatVersion else {
            let version = blob.first ?? 0
            return .unreadable(PrivateStateProblem(
                .unsupportedVersion(version),
                "The private state uses envelope format \(version), which this provider version does not know; it was probably written by a newer provider."
            ))
        }
        guard blob.count >= Self.minimumLength else {
            return .unreadable(PrivateStateProblem(.malformed, "The sealed private state is truncated (\(blob.count) bytes)."))
        }
        let keyID = Array(blob[1..<Self.headerLength])
        let keyIDHex = SealingKey.hex(keyID)
        let candidates = ([current] + previous).filter { $0.id == keyID }
        guard !candidates.isEmpty else {
            return .unreadable(PrivateStateProblem(
                .unknownKey(keyID: keyIDHex),
                "It was sealed with key id \(keyIDHex), which is not among the configured keys (current: \(current.idHex)\(previous.isEmpty ? "" : ", previous: " + previous.map(\.idHex).joined(separator: ", ")))."
            ))
        }
        let header = Array(blob[0..<Self.headerLength])
        for key in candidates {
            let aad = Self.additionalData(header: header, binding: binding, domain: key.domain)
            if var plaintext = Self.decrypt(blob, aad: aad, key: key) {
                defer { plaintext.withUnsafeMutableBytes { sodium_memzero($0.baseAddress, $0.count) } }
                guard let fields = PlainPrivateState.decode(plaintext) else {
                    return .unreadable(PrivateStateProblem(.malformed, "The sealed private state opened but does not hold fields this provider understands."))
                }
                return .sealed(fields, needsReseal: key !== current)
            }
        }
        return .unreadable(PrivateStateProblem(
            .authenticationFailed(keyID: keyIDHex),
            "The sealed private state (key id \(keyIDHex)) failed authentication: it was altered, damaged, or copied from another resource."
        ))
    }

    private static func decrypt(_ blob: [UInt8], aad: [UInt8], key: SealingKey) -> [UInt8]? {
        let ciphertextLength = blob.count - headerLength - nonceLength
        var plaintext = [UInt8](repeating: 0, count: ciphertextLength - tagLength)
        var written: UInt64 = 0
        let result = plaintext.withUnsafeMutableBufferPointer { out in
            blob.withUnsafeBufferPointer { input in
                aad.withUnsafeBufferPointer { ad in
                    key.withKeyBytes { keyBytes in
                        crypto_aead_xchacha20poly1305_ietf_decrypt(
                            out.baseAddress, &written, nil,
                            input.baseAddress! + headerLength + nonceLength, UInt64(ciphertextLength),
                            ad.baseAddress, UInt64(ad.count),
                            input.baseAddress! + headerLength, keyBytes
                        )
                    }
                }
            }
        }
        guard result == 0 else { return nil }
        return plaintext
    }

    /// Header, then the domain's context (the provider's name for this
    /// format), the resource type and id, each followed by a zero byte
    /// (names cannot contain one, so the fields cannot be shifted into each
    /// other).
    static func additionalData(header: [UInt8], binding: PrivateStateBinding, domain: SealingDomain) -> [UInt8] {
        var aad = header
        for part in [domain.context, Array(binding.resourceType.utf8), Array(binding.resourceID.utf8)] {
            aad += part
            aad.append(0)
        }
        return aad
    }
}
