import CGRPCCore

/// The one owner of a `grpc_server_credentials`; released when it ends
/// (a server that was given them keeps its own reference).
package struct ServerCredentials: ~Copyable {
    let raw: OpaquePointer

    private init(raw: OpaquePointer) { self.raw = raw }

    /// Plaintext: only for hosts that give no `PLUGIN_CLIENT_CERT`.
    package static func insecure() -> ServerCredentials {
        ServerCredentials(raw: grpc_insecure_server_credentials_create())
    }

    /// AutoMTLS: we present `certificate` and accept only clients whose
    /// certificate verifies against `clientRootsPEM` (the host's own).
    /// Consumes `certificate`: gRPC copies the private key, and our copy is
    /// wiped as soon as this returns.
    package static func mutualTLS(
        _ certificate: consuming SelfSignedCertificate,
        clientRootsPEM: String
    ) -> ServerCredentials? {
        let raw = certificate.withPrivateKeyPEM { key in
            certificate.certificatePEM.withCString { chain in
                var pair = grpc_ssl_pem_key_cert_pair(private_key: key, cert_chain: chain)
                return grpc_ssl_server_credentials_create_ex(
                    clientRootsPEM, &pair, 1, GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY, nil
                )
            }
        }
        return raw.map { ServerCredentials(raw: $0) }
    }

    deinit { grpc_server_credentials_release(raw) }
}
