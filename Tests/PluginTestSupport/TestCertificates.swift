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

    public static func generate(curve: Curve = .p521) throws -> ClientIdentity {
        let certificate = try SelfSignedCertificate.generate(curve: curve == .p256 ? .p256 : .p521)
        return ClientIdentity(
            certificatePEM: certificate.certificatePEM,
            privateKeyPEM: certificate.withPrivateKeyPEM { String(cString: $0) }
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
