#if canImport(Glibc)
import Glibc
#endif
import COpenSSL
import CSodium

extension SelfSignedCertificate {
    /// The plugin's own AutoMTLS certificate: an Ed25519 key from libsodium
    /// and an X.509 certificate written directly in DER.
    ///
    /// Why not OpenSSL, as for test clients: making a key and a certificate
    /// with OpenSSL 3 goes through its provider "fetch" machinery, which on
    /// first use in a process builds method tables for every algorithm. Under
    /// callgrind that was half of the instructions the provider runs before
    /// its handshake line (16.5 M of 32.4 M), on every launch, and Terraform
    /// launches the provider several times per command. libsodium's key
    /// generation and signing cost next to nothing, and the certificate is a
    /// fixed shape. Go's crypto/tls (Terraform, OpenTofu) and OpenSSL (the
    /// gRPC core) both accept Ed25519 certificates.
    ///
    /// Same recipe as go-plugin otherwise: CN and SAN DNS `localhost`, a CA
    /// (the host uses it as its only root), server and client auth, random
    /// positive 128-bit serial, valid from 30 s ago for 262980 hours.
    package static func generateEd25519(now: Int64 = currentUnixTime()) throws(PluginServerError) -> SelfSignedCertificate {
        guard Sodium.ready else { throw .certificate(step: "initialise libsodium", detail: "") }
        let secretKey = SecureBuffer(count: Int(crypto_sign_SECRETKEYBYTES))
        var publicKey = [UInt8](repeating: 0, count: Int(crypto_sign_PUBLICKEYBYTES))
        secretKey.withUnsafeBytes { secret, _ in _ = crypto_sign_keypair(&publicKey, secret) }

        var serial = [UInt8](repeating: 0, count: 16)
        randombytes_buf(&serial, serial.count)
        serial[0] &= 0x7F  // positive, as RFC 5280 requires
        let name = DER.sequence([DER.set([DER.sequence([DER.oid(DER.commonName), DER.utf8String("localhost")])])])
        let tbs = DER.sequence([
            DER.explicit(0, DER.integer([2])),  // v3
            DER.integer(serial),
            DER.sequence([DER.oid(DER.ed25519)]),
            name,
            DER.sequence([DER.time(now - 30), DER.time(now - 30 + 262_980 * 3600)]),
            name,
            DER.sequence([DER.sequence([DER.oid(DER.ed25519)]), DER.bitString(publicKey)]),
            DER.explicit(3, DER.sequence([
                DER.extension(DER.basicConstraints, critical: true, DER.sequence([DER.boolean(true)])),
                // digitalSignature (bit 0) and keyCertSign (bit 5); 2 unused bits.
                DER.extension(DER.keyUsage, critical: true, [0x03, 0x02, 0x02, 0x84]),
                DER.extension(DER.extendedKeyUsage, critical: false, DER.sequence([DER.oid(DER.serverAuth), DER.oid(DER.clientAuth)])),
                DER.extension(DER.subjectAltName, critical: false, DER.sequence([DER.tlv(0x82, Array("localhost".utf8))])),
            ])),
        ])
        var signature = [UInt8](repeating: 0, count: Int(crypto_sign_BYTES))
        let signed = secretKey.withUnsafeBytes { secret, _ in crypto_sign_detached(&signature, nil, tbs, UInt64(tbs.count), secret) }
        guard signed == 0 else { throw .certificate(step: "sign the certificate", detail: "crypto_sign_detached failed") }
        let der = DER.sequence([tbs, DER.sequence([DER.oid(DER.ed25519)]), DER.bitString(signature)])

        // PKCS#8 for Ed25519 (RFC 8410): a fixed header, then the 32-byte seed.
        guard let keyBIO = OwnedMemoryBIO() else { throw .certificate(step: "allocate the key buffer", detail: "") }
        let written = secretKey.withUnsafeBytes { secret, _ -> Bool in
            let info = SecureBuffer(count: 48)
            return info.withUnsafeBytes { bytes, count in
                let header: [UInt8] = [0x30, 0x2E, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20]
                for (index, byte) in header.enumerated() { bytes[index] = byte }
                for index in 0..<32 { bytes[16 + index] = secret[index] }  // libsodium's secret key starts with the seed
                return PEMWriter.write(label: "PRIVATE KEY", der: UnsafeBufferPointer(start: bytes, count: count), into: keyBIO)
            }
        }
        guard written, BIO_write(keyBIO.raw, "", 1) == 1 else { throw .certificate(step: "encode the private key", detail: "") }

        guard let certificateBIO = OwnedMemoryBIO(),
              der.withUnsafeBufferPointer({ PEMWriter.write(label: "CERTIFICATE", der: $0, into: certificateBIO) })
        else { throw .certificate(step: "encode the certificate", detail: "") }
        let pem = String(decoding: certificateBIO.contents, as: UTF8.self)
        return SelfSignedCertificate(certificateDER: der, certificatePEM: pem, privateKeyPEM: keyBIO)
    }

    package static func currentUnixTime() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec)
    }
}

/// PEM text written straight into a memory BIO, in 64-column lines, so a
/// private key never passes through a Swift String.
enum PEMWriter {
    static func write(label: String, der: UnsafeBufferPointer<UInt8>, into bio: borrowing OwnedMemoryBIO) -> Bool {
        guard BIO_puts(bio.raw, "-----BEGIN \(label)-----\n") > 0 else { return false }
        var line = [UInt8](repeating: 0, count: 66)  // 64 characters, newline, NUL from EVP_EncodeBlock
        defer { OPENSSL_cleanse(&line, line.count) }
        var offset = 0
        while offset < der.count {
            let chunk = min(48, der.count - offset)
            let length = Int(EVP_EncodeBlock(&line, der.baseAddress! + offset, Int32(chunk)))
            line[length] = UInt8(ascii: "\n")
            guard BIO_write(bio.raw, line, Int32(length + 1)) == length + 1 else { return false }
            offset += chunk
        }
        return BIO_puts(bio.raw, "-----END \(label)-----\n") > 0
    }
}

/// The few pieces of DER an X.509 certificate needs (ITU-T X.690).
enum DER {
    static let commonName: [UInt8] = [0x55, 0x04, 0x03]                 // 2.5.4.3
    static let ed25519: [UInt8] = [0x2B, 0x65, 0x70]                    // 1.3.101.112
    static let basicConstraints: [UInt8] = [0x55, 0x1D, 0x13]           // 2.5.29.19
    static let keyUsage: [UInt8] = [0x55, 0x1D, 0x0F]                   // 2.5.29.15
    static let extendedKeyUsage: [UInt8] = [0x55, 0x1D, 0x25]           // 2.5.29.37
    static let subjectAltName: [UInt8] = [0x55, 0x1D, 0x11]             // 2.5.29.17
    static let serverAuth: [UInt8] = [0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x01]  // 1.3.6.1.5.5.7.3.1
    static let clientAuth: [UInt8] = [0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x02]  // 1.3.6.1.5.5.7.3.2

    static func tlv(_ tag: UInt8, _ content: [UInt8]) -> [UInt8] {
        var out = [tag]
        if content.count < 0x80 {
            out.append(UInt8(content.count))
        } else {
            var length = content.count
            var bytes: [UInt8] = []
            while length > 0 {
                bytes.insert(UInt8(length & 0xFF), at: 0)
                length >>= 8
            }
            out.append(0x80 | UInt8(bytes.count))
            out += bytes
        }
        return out + content
    }

    static func sequence(_ parts: [[UInt8]]) -> [UInt8] { tlv(0x30, parts.flatMap { $0 }) }
    static func set(_ parts: [[UInt8]]) -> [UInt8] { tlv(0x31, parts.flatMap { $0 }) }
    static func explicit(_ number: UInt8, _ content: [UInt8]) -> [UInt8] { tlv(0xA0 | number, content) }
    static func oid(_ encoded: [UInt8]) -> [UInt8] { tlv(0x06, encoded) }
    static func boolean(_ value: Bool) -> [UInt8] { [0x01, 0x01, value ? 0xFF : 0x00] }
    static func utf8String(_ text: String) -> [UInt8] { tlv(0x0C, Array(text.utf8)) }
    static func bitString(_ bytes: [UInt8]) -> [UInt8] { tlv(0x03, [0] + bytes) }
    static func octetString(_ bytes: [UInt8]) -> [UInt8] { tlv(0x04, bytes) }

    /// A non-negative INTEGER from big-endian bytes: minimal, with a leading
    /// zero when the top bit would read as a sign.
    static func integer(_ bytes: [UInt8]) -> [UInt8] {
        var value = Array(bytes.drop { $0 == 0 })
        if value.isEmpty || value[0] & 0x80 != 0 { value.insert(0, at: 0) }
        return tlv(0x02, value)
    }

    static func `extension`(_ oid: [UInt8], critical: Bool, _ value: [UInt8]) -> [UInt8] {
        sequence([DER.oid(oid)] + (critical ? [boolean(true)] : []) + [octetString(value)])
    }

    /// UTCTime through 2049, GeneralizedTime from 2050 (RFC 5280 4.1.2.5).
    static func time(_ seconds: Int64) -> [UInt8] {
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        let year = Int(parts.tm_year) + 1900
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let rest = two(parts.tm_mon + 1) + two(parts.tm_mday) + two(parts.tm_hour) + two(parts.tm_min) + two(parts.tm_sec) + "Z"
        if year < 2050 {
            return tlv(0x17, Array((two(Int32(year % 100)) + rest).utf8))
        }
        return tlv(0x18, Array((String(year) + rest).utf8))
    }
}
