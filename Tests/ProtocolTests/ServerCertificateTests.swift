import COpenSSL
import PluginTestSupport
@testable import TerraformPlugin
import Testing

/// The plugin's own AutoMTLS certificate, written in DER by hand and signed
/// with libsodium's Ed25519, checked with OpenSSL as a peer would.
@Suite("Ed25519 AutoMTLS certificate")
struct ServerCertificateTests {
    @Test("OpenSSL reads it as a self-signed Ed25519 CA for localhost, for server and client auth")
    func readsAsGoPluginWould() throws {
        let now = SelfSignedCertificate.currentUnixTime()
        let certificate = try SelfSignedCertificate.generateEd25519(now: now)
        let summary = try CertificateSummary(der: certificate.certificateDER)
        #expect(summary.commonName == "localhost")
        #expect(summary.matchesHostLocalhost)
        #expect(summary.isCertificateAuthority)
        #expect(summary.publicKeyType == NID_ED25519)
        #expect(summary.isSelfSigned)
        #expect(summary.allowsServerAuth && summary.allowsClientAuth && summary.allowsCertificateSigning)
        #expect((-60 ... -25).contains(summary.notBeforeOffset))
        // 262980 hours, as go-plugin; the end falls after 2049, so it is a GeneralizedTime.
        #expect(abs(summary.notAfterOffset - (262_980 * 3600 - 30)) < 60)
        #expect(certificate.certificatePEM.hasPrefix("-----BEGIN CERTIFICATE-----\n"))
        #expect(certificate.certificatePEM == summary.pem, "our PEM is OpenSSL's PEM of the same DER")
    }

    @Test("Two certificates have different keys and serials")
    func fresh() throws {
        let a = try SelfSignedCertificate.generateEd25519()
        let b = try SelfSignedCertificate.generateEd25519()
        #expect(a.certificateDER != b.certificateDER)
    }

    @Test("The private key PEM is PKCS#8 that OpenSSL loads, matching the certificate")
    func privateKeyLoads() throws {
        let certificate = try SelfSignedCertificate.generateEd25519()
        let matches = certificate.withPrivateKeyPEM { pem -> Bool in
            guard let bio = BIO_new_mem_buf(pem, -1) else { return false }
            defer { BIO_free(bio) }
            guard let key = PEM_read_bio_PrivateKey(bio, nil, nil, nil) else { return false }
            defer { EVP_PKEY_free(key) }
            var cursor: UnsafePointer<UInt8>?
            let x509 = certificate.certificateDER.withUnsafeBufferPointer { buffer -> OpaquePointer? in
                cursor = buffer.baseAddress
                return d2i_X509(nil, &cursor, buffer.count)
            }
            guard let x509 else { return false }
            defer { X509_free(x509) }
            return X509_check_private_key(x509, key) == 1
        }
        #expect(matches)
    }

    @Test("DER lengths use the short form below 128 bytes and the long form above")
    func lengths() {
        #expect(DER.tlv(0x04, [UInt8](repeating: 1, count: 127)).prefix(2) == [0x04, 0x7F])
        #expect(DER.tlv(0x04, [UInt8](repeating: 1, count: 128)).prefix(3) == [0x04, 0x81, 0x80])
        #expect(DER.tlv(0x04, [UInt8](repeating: 1, count: 300)).prefix(4) == [0x04, 0x82, 0x01, 0x2C])
    }

    @Test("DER integers are minimal and never read as negative")
    func integers() {
        #expect(DER.integer([2]) == [0x02, 0x01, 0x02])
        #expect(DER.integer([0x00, 0x00, 0x7F]) == [0x02, 0x01, 0x7F])
        #expect(DER.integer([0x80]) == [0x02, 0x02, 0x00, 0x80])
        #expect(DER.integer([0x00]) == [0x02, 0x01, 0x00])
    }

    @Test("Times before 2050 are UTCTime, from 2050 GeneralizedTime")
    func times() {
        #expect(DER.time(2_524_607_999) == [0x17, 0x0D] + Array("491231235959Z".utf8))
        #expect(DER.time(2_524_608_000) == [0x18, 0x0F] + Array("20500101000000Z".utf8))
    }
}
