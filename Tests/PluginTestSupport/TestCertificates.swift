import COpenSSL
import Foundation
import TerraformPlugin

/// A client key and self-signed certificate made the way Terraform makes its
/// own for AutoMTLS (go-plugin's recipe; Terraform uses P-521). Test keys
/// are no secrets, so they are plain strings here.
public struct ClientIdentity: Sendable {
    public enum Curve: Sendable { case p256, p521 }

    public let certificatePEM: String
    public let privateKeyPEM: String

    /// A fresh key on `curve` and a self-signed certificate for it, made with
    /// OpenSSL as Go's crypto/x509 makes go-plugin's: CN and SAN DNS
    /// `localhost`, a CA, server and client auth, a random 128-bit serial,
    /// valid from 30 s ago for about 30 years, signed with the curve's digest.
    public static func generate(curve: Curve = .p521) throws -> ClientIdentity {
        let (name, digest) = switch curve {
        case .p256: ("P-256", EVP_sha256())
        case .p521: ("P-521", EVP_sha512())
        }
        func failure(_ step: String) -> PluginTestError {
            let code = ERR_get_error()
            var text = [CChar](repeating: 0, count: 256)
            let capacity = text.count
            ERR_error_string_n(code, &text, capacity)
            return PluginTestError("test certificate: \(step) failed: \(String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))")
        }
        guard let key = copenssl_ec_key_generate(name) else { throw failure("generate the \(name) key") }
        defer { EVP_PKEY_free(key) }
        guard let x509 = X509_new() else { throw failure("allocate the certificate") }
        defer { X509_free(x509) }

        guard X509_set_version(x509, Int(X509_VERSION_3)) == 1 else { throw failure("set the version") }
        guard let serial = BN_new() else { throw failure("allocate the serial") }
        defer { BN_free(serial) }
        guard BN_rand(serial, 128, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) == 1,
              BN_to_ASN1_INTEGER(serial, X509_get_serialNumber(x509)) != nil  // the certificate's own field
        else { throw failure("make the serial") }
        guard X509_gmtime_adj(X509_getm_notBefore(x509), -30) != nil,
              X509_time_adj_ex(X509_getm_notAfter(x509), 10957, 43200 - 30, nil) != nil
        else { throw failure("set the validity") }
        let subject = X509_get_subject_name(x509)
        guard X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_ASC, "localhost", -1, -1, 0) == 1,
              X509_set_issuer_name(x509, subject) == 1,
              X509_set_pubkey(x509, key) == 1
        else { throw failure("set the names and key") }
        var context = X509V3_CTX()
        X509V3_set_ctx(&context, x509, x509, nil, nil, 0)
        for (nid, value) in [
            (NID_basic_constraints, "critical,CA:TRUE"),
            (NID_key_usage, "critical,digitalSignature,keyEncipherment,keyCertSign"),
            (NID_ext_key_usage, "serverAuth,clientAuth"),
            (NID_subject_alt_name, "DNS:localhost"),
            (NID_subject_key_identifier, "hash"),
        ] {
            guard let ext = X509V3_EXT_conf_nid(nil, &context, nid, value) else { throw failure("make \(value)") }
            defer { X509_EXTENSION_free(ext) }
            guard X509_add_ext(x509, ext, -1) == 1 else { throw failure("add \(value)") }
        }
        guard X509_sign(x509, key, digest) > 0 else { throw failure("sign") }

        func pem(_ write: (OpaquePointer) -> Int32) throws -> String {
            guard let bio = BIO_new(BIO_s_mem()) else { throw failure("allocate a buffer") }
            defer { BIO_free(bio) }
            guard write(bio) == 1 else { throw failure("write PEM") }
            var data: UnsafeMutablePointer<CChar>?
            let count = copenssl_bio_mem_data(bio, &data)
            return String(decoding: UnsafeRawBufferPointer(start: data, count: count), as: UTF8.self)
        }
        return ClientIdentity(
            certificatePEM: try pem { PEM_write_bio_X509($0, x509) },
            privateKeyPEM: try pem { PEM_write_bio_PrivateKey($0, key, nil, nil, 0, nil, nil) }
        )
    }
}

/// What tests check in a certificate, read with OpenSSL.
public struct CertificateSummary: Sendable {
    public let commonName: String?
    /// SAN DNS names accepted by hostname verification, among those asked about.
    public let matchesHostLocalhost: Bool
    public let isCertificateAuthority: Bool
    public let publicKeyBits: Int32
    /// `EVP_PKEY_get_base_id` of the public key, e.g. `NID_ED25519`.
    public let publicKeyType: Int32
    /// The certificate's signature checks out against its own public key.
    public let isSelfSigned: Bool
    public let allowsServerAuth: Bool
    public let allowsClientAuth: Bool
    public let allowsCertificateSigning: Bool
    /// Seconds from now; negative when in the past.
    public let notBeforeOffset: Int
    public let notAfterOffset: Int
    public let pem: String

    public init(der: [UInt8]) throws {
        var cursor: UnsafePointer<UInt8>? = nil
        let parsed: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
            cursor = buffer.baseAddress
            return d2i_X509(nil, &cursor, buffer.count)
        }
        guard let x509 = parsed else { throw PluginTestError("not a DER X.509 certificate") }
        defer { X509_free(x509) }

        var name = [CChar](repeating: 0, count: 256)
        let length = X509_NAME_get_text_by_NID(X509_get_subject_name(x509), NID_commonName, &name, Int32(name.count))
        commonName = length >= 0 ? String(decoding: name.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self) : nil
        // SAN only: the subject CN must not be what makes the name match.
        matchesHostLocalhost = X509_check_host(x509, "localhost", 9, UInt32(X509_CHECK_FLAG_NEVER_CHECK_SUBJECT), nil) == 1
        isCertificateAuthority = X509_check_ca(x509) != 0
        publicKeyBits = X509_get0_pubkey(x509).map { EVP_PKEY_get_bits($0) } ?? 0
        publicKeyType = X509_get0_pubkey(x509).map { EVP_PKEY_get_base_id($0) } ?? 0
        isSelfSigned = X509_get0_pubkey(x509).map { X509_verify(x509, $0) == 1 } ?? false
        let extendedUsage = X509_get_extended_key_usage(x509)
        allowsServerAuth = extendedUsage & UInt32(XKU_SSL_SERVER) != 0
        allowsClientAuth = extendedUsage & UInt32(XKU_SSL_CLIENT) != 0
        allowsCertificateSigning = X509_get_key_usage(x509) & UInt32(KU_KEY_CERT_SIGN) != 0

        func offset(_ time: UnsafePointer<ASN1_TIME>?) -> Int {
            var days: Int32 = 0, seconds: Int32 = 0
            _ = ASN1_TIME_diff(&days, &seconds, nil, time)
            return Int(days) * 86_400 + Int(seconds)
        }
        notBeforeOffset = offset(X509_get0_notBefore(x509))
        notAfterOffset = offset(X509_get0_notAfter(x509))

        guard let bio = BIO_new(BIO_s_mem()) else { throw PluginTestError("BIO_new failed") }
        defer { BIO_free(bio) }
        PEM_write_bio_X509(bio, x509)
        var data: UnsafeMutablePointer<CChar>?
        let count = copenssl_bio_mem_data(bio, &data)
        pem = String(decoding: UnsafeRawBufferPointer(start: data, count: count), as: UTF8.self)
    }
}
