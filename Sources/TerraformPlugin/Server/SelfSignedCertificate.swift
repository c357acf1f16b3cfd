import COpenSSL

/// An ephemeral self-signed certificate and its private key, made as
/// go-plugin makes them for AutoMTLS: CN and SAN DNS `localhost`, a CA that
/// may sign (so the peer can use it as its only root), server and client
/// auth, random 128-bit serial, valid from 30 s ago for 262980 hours.
///
/// The plugin's own certificate is Ed25519, made without OpenSSL's slow
/// first-use machinery (`generateEd25519`, Ed25519Certificate.swift).
/// `generate(curve:)` makes EC certificates with OpenSSL the way the host
/// does (Terraform uses P-521); the tests use it to act as the host.
package struct SelfSignedCertificate: ~Copyable {
    package enum Curve: Sendable {
        case p256, p521

        var name: String {
            switch self {
            case .p256: "P-256"
            case .p521: "P-521"
            }
        }

        /// The digest Go's x509 picks for the curve.
        var digest: OpaquePointer {
            switch self {
            case .p256: EVP_sha256()
            case .p521: EVP_sha512()
            }
        }
    }

    package let certificateDER: [UInt8]
    package let certificatePEM: String
    /// PKCS#8 PEM, NUL-terminated, wiped when this value ends.
    let privateKeyPEM: OwnedMemoryBIO

    /// The certificate as the handshake line carries it: standard base64
    /// without padding (go-plugin's `base64.RawStdEncoding`).
    package var certificateBase64: String { Base64.encodeWithoutPadding(certificateDER) }

    /// Lends the private key as a PEM C string, e.g. to hand it to gRPC,
    /// which copies it.
    package func withPrivateKeyPEM<Result>(_ body: (UnsafePointer<CChar>) throws -> Result) rethrows -> Result {
        let pem = privateKeyPEM.contents
        return try body(pem.baseAddress!.assumingMemoryBound(to: CChar.self))
    }

    package static func generate(curve: Curve = .p256) throws(PluginServerError) -> SelfSignedCertificate {
        guard let rawKey = copenssl_ec_key_generate(curve.name) else { throw failure("generate the \(curve.name) key") }
        let key = OwnedPrivateKey(rawKey)
        guard let rawCertificate = X509_new() else { throw failure("allocate the certificate") }
        let certificate = OwnedCertificate(rawCertificate)
        let x509 = certificate.raw

        guard X509_set_version(x509, Int(X509_VERSION_3)) == 1 else { throw failure("set the version") }
        try setRandomSerial(x509)
        // Backdated a little, as go-plugin does, so a peer whose clock is
        // slightly behind does not reject it as not yet valid.
        guard X509_gmtime_adj(X509_getm_notBefore(x509), -30) != nil,
              X509_time_adj_ex(X509_getm_notAfter(x509), 10957, 43200 - 30, nil) != nil
        else { throw failure("set the validity") }

        let name = X509_get_subject_name(x509)
        guard X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, "localhost", -1, -1, 0) == 1,
              X509_set_issuer_name(x509, name) == 1,
              X509_set_pubkey(x509, key.raw) == 1
        else { throw failure("set the names and public key") }

        var context = X509V3_CTX()
        X509V3_set_ctx(&context, x509, x509, nil, nil, 0)
        let extensions: [(Int32, String)] = [
            (NID_basic_constraints, "critical,CA:TRUE"),
            (NID_key_usage, "critical,digitalSignature,keyEncipherment,keyCertSign"),
            (NID_ext_key_usage, "serverAuth,clientAuth"),
            (NID_subject_alt_name, "DNS:localhost"),
            (NID_subject_key_identifier, "hash"),
        ]
        for (nid, value) in extensions {
            guard let ext = X509V3_EXT_conf_nid(nil, &context, nid, value) else { throw failure("make extension \(value)") }
            defer { X509_EXTENSION_free(ext) }
            guard X509_add_ext(x509, ext, -1) == 1 else { throw failure("add extension \(value)") }
        }
        guard X509_sign(x509, key.raw, curve.digest) > 0 else { throw failure("sign the certificate") }

        let der = try derEncoding(x509)
        guard let certificateBIO = OwnedMemoryBIO(), PEM_write_bio_X509(certificateBIO.raw, x509) == 1 else {
            throw failure("encode the certificate")
        }
        let pem = String(decoding: certificateBIO.contents, as: UTF8.self)
        guard let keyBIO = OwnedMemoryBIO(),
              PEM_write_bio_PrivateKey(keyBIO.raw, key.raw, nil, nil, 0, nil, nil) == 1,
              BIO_write(keyBIO.raw, "", 1) == 1  // the NUL that makes it a C string
        else { throw failure("encode the private key") }
        return SelfSignedCertificate(certificateDER: der, certificatePEM: pem, privateKeyPEM: keyBIO)
    }

    private static func setRandomSerial(_ x509: OpaquePointer) throws(PluginServerError) {
        guard let raw = BN_new() else { throw failure("allocate the serial number") }
        let serial = OwnedBigNumber(raw)
        // Written into the certificate's own serial field, which it owns.
        guard BN_rand(serial.raw, 128, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) == 1,
              BN_to_ASN1_INTEGER(serial.raw, X509_get_serialNumber(x509)) != nil
        else { throw failure("make the serial number") }
    }

    private static func derEncoding(_ x509: OpaquePointer) throws(PluginServerError) -> [UInt8] {
        let count = i2d_X509(x509, nil)
        guard count > 0 else { throw failure("encode the certificate") }
        var der = [UInt8](repeating: 0, count: Int(count))
        let written = der.withUnsafeMutableBufferPointer { buffer in
            var cursor = buffer.baseAddress
            return i2d_X509(x509, &cursor)
        }
        guard written == count else { throw failure("encode the certificate") }
        return der
    }

    private static func failure(_ step: String) -> PluginServerError {
        .certificate(step: step, detail: openSSLErrorText())
    }
}

/// Whether `pem` looks like a PEM certificate: the markers, and a base64
/// body that decodes to a DER SEQUENCE of the length its header announces.
///
/// A shape check, not a parse: gRPC parses the certificate anyway when it
/// builds its TLS context (and fails the start-up if it cannot), and a full
/// parse here cost about 15% of the provider's start-up CPU with AutoMTLS
/// (OpenSSL 3 decodes the public key on first use). This only turns a
/// missing or mangled PLUGIN_CLIENT_CERT into a clear message.
func isPEMCertificate(_ pem: String) -> Bool {
    // A byte scan: String.firstRange(of:) goes through the string-processing
    // library, whose first use costs about 0.1 ms of every start-up.
    let bytes = Array(pem.utf8)
    func find(_ marker: String, from offset: Int) -> Range<Int>? {
        let marker = Array(marker.utf8)
        guard bytes.count >= marker.count, offset <= bytes.count - marker.count else { return nil }
        for index in offset...(bytes.count - marker.count) where bytes[index] == marker[0] {
            if bytes[index..<(index + marker.count)].elementsEqual(marker) { return index..<(index + marker.count) }
        }
        return nil
    }
    guard let start = find("-----BEGIN CERTIFICATE-----", from: 0)?.upperBound,
          let stop = find("-----END CERTIFICATE-----", from: start)?.lowerBound
    else { return false }
    let body = bytes[start..<stop].filter { $0 != 0x0A && $0 != 0x0D && $0 != 0x20 && $0 != 0x09 }
    guard !body.isEmpty, body.count % 4 == 0 else { return false }
    var der = [UInt8](repeating: 0, count: body.count / 4 * 3)
    let decoded = Int(EVP_DecodeBlock(&der, body, Int32(body.count)))
    guard decoded > 4 else { return false }
    let padding = body.reversed().prefix { $0 == UInt8(ascii: "=") }.count
    let length = decoded - padding
    // DER: SEQUENCE tag, then a short or long form length.
    guard der[0] == 0x30 else { return false }
    var contentLength = Int(der[1])
    var headerLength = 2
    if der[1] & 0x80 != 0 {
        let lengthBytes = Int(der[1] & 0x7F)
        guard (1...3).contains(lengthBytes), 2 + lengthBytes <= length else { return false }
        contentLength = der[2..<(2 + lengthBytes)].reduce(0) { $0 << 8 | Int($1) }
        headerLength += lengthBytes
    }
    return headerLength + contentLength == length
}
