import COpenSSL

/// An ephemeral self-signed certificate and its private key, made as
/// go-plugin makes them for AutoMTLS: CN and SAN DNS `localhost`, a CA that
/// may sign (so the peer can use it as its only root), server and client
/// auth, random 128-bit serial, valid from 30 s ago for 262980 hours.
///
/// The plugin's own certificate is Ed25519, made without OpenSSL's slow
/// first-use machinery (`generateEd25519`, Ed25519Certificate.swift). The
/// tests make the host's EC certificates with OpenSSL themselves
/// (PluginTestSupport's `ClientIdentity`).
package struct SelfSignedCertificate: ~Copyable {
    package let certificateDER: [UInt8]
    package let certificatePEM: String
    /// PKCS#8 PEM, NUL-terminated, wiped when this value ends.
    let privateKeyPEM: OwnedMemoryBIO

    init(certificateDER: [UInt8], certificatePEM: String, privateKeyPEM: consuming OwnedMemoryBIO) {
        self.certificateDER = certificateDER
        self.certificatePEM = certificatePEM
        self.privateKeyPEM = privateKeyPEM
    }

    /// The certificate as the handshake line carries it: standard base64
    /// without padding (go-plugin's `base64.RawStdEncoding`).
    package var certificateBase64: String { Base64.encodeWithoutPadding(certificateDER) }

    /// Lends the private key as a PEM C string, e.g. to hand it to gRPC,
    /// which copies it.
    package func withPrivateKeyPEM<Result>(_ body: (UnsafePointer<CChar>) throws -> Result) rethrows -> Result {
        let pem = privateKeyPEM.contents
        return try body(pem.baseAddress!.assumingMemoryBound(to: CChar.self))
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

/// Whether OpenSSL reads `pem` as an X.509 certificate. Only asked after
/// gRPC failed to start with it (see `isPEMCertificate` for why not
/// before), to tell a bad certificate from a bad socket folder.
func parsesAsPEMCertificate(_ pem: String) -> Bool {
    var bytes = Array(pem.utf8)
    return bytes.withUnsafeMutableBytes { buffer in
        guard let bio = OwnedMemoryBIO(reading: UnsafeRawBufferPointer(buffer)) else { return false }
        guard let certificate = PEM_read_bio_X509(bio.raw, nil, nil, nil) else {
            ERR_clear_error()
            return false
        }
        X509_free(certificate)
        return true
    }
}
