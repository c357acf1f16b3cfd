/// go-plugin's launch handshake: what the host's environment asks of us,
/// and the one line we answer on stdout.
package enum Handshake {
    /// What the host asked for, once it is known we can serve it.
    package struct Request: Equatable, Sendable {
        package var protocolVersion: Int
        /// The directory for our socket: `PLUGIN_UNIX_SOCKET_DIR`, else `TMPDIR`, else `/tmp`.
        package var socketDirectory: String
        /// `PLUGIN_CLIENT_CERT`: the host's certificate, which we must require (AutoMTLS);
        /// nil when the host dials in plaintext.
        package var clientCertificatePEM: String?
    }

    /// Reads the host's request from the environment, as go-plugin does.
    /// `environment` looks up one variable (nil when unset).
    package static func negotiate(
        _ configuration: PluginServerConfiguration,
        environment: (String) -> String?
    ) -> Result<Request, PluginServerError> {
        guard environment(configuration.magicCookieKey) == configuration.magicCookieValue else {
            return .failure(.notLaunchedByHost)
        }
        let offered = environment("PLUGIN_PROTOCOL_VERSIONS")
        let versions = (offered ?? "").split(separator: ",").compactMap { Int($0.trimmingSpaces) }
        guard versions.contains(configuration.protocolVersion) else {
            let shown = offered.flatMap { $0.isEmpty ? nil : $0 }
            return .failure(.protocolVersionNotOffered(offered: shown, supported: configuration.protocolVersion))
        }
        let directory = [environment("PLUGIN_UNIX_SOCKET_DIR"), environment("TMPDIR")]
            .lazy.compactMap { $0 }.first { !$0.isEmpty } ?? "/tmp"
        let certificate = environment("PLUGIN_CLIENT_CERT").flatMap { $0.isEmpty ? nil : $0 }
        return .success(Request(
            protocolVersion: configuration.protocolVersion,
            socketDirectory: directory,
            clientCertificatePEM: certificate
        ))
    }

    /// Debug mode: nobody launched us, so nothing is negotiated. Our own
    /// protocol, plaintext (Terraform reattaches without TLS), the socket
    /// folder chosen as for a launch.
    package static func debugRequest(_ configuration: PluginServerConfiguration, environment: (String) -> String?) -> Request {
        let directory = [environment("PLUGIN_UNIX_SOCKET_DIR"), environment("TMPDIR")]
            .lazy.compactMap { $0 }.first { !$0.isEmpty } ?? "/tmp"
        return Request(protocolVersion: configuration.protocolVersion, socketDirectory: directory, clientCertificatePEM: nil)
    }

    /// What debug mode prints: how to point Terraform at this process, as
    /// terraform-plugin-go words it, with the value quoted for a POSIX shell.
    package static func reattachInstructions(providerAddress: String, protocolVersion: Int, pid: Int, socketPath: String) -> String {
        let value = "{\(PluginLog.jsonString(providerAddress)):{\"Protocol\":\"grpc\",\"ProtocolVersion\":\(protocolVersion),"
            + "\"Pid\":\(pid),\"Test\":true,\"Addr\":{\"Network\":\"unix\",\"String\":\(PluginLog.jsonString(socketPath))}}}"
        let quoted = "'" + value.replacingAll("'", with: "'\\''") + "'"
        return "Provider started. To attach Terraform CLI, set the TF_REATTACH_PROVIDERS environment variable with the following:\n\n"
            + "\tTF_REATTACH_PROVIDERS=\(quoted)\n\n"
            + "It serves every Terraform run that has this set; stop it with Ctrl-C.\n"
    }

    /// `CORE-VERSION|APP-VERSION|NETWORK|ADDRESS|PROTOCOL|CERT`; the certificate
    /// is our DER certificate in standard base64 without padding, or empty.
    package static func line(protocolVersion: Int, socketPath: String, certificateBase64: String) -> String {
        "1|\(protocolVersion)|unix|\(socketPath)|grpc|\(certificateBase64)\n"
    }
}

extension String {
    fileprivate func replacingAll(_ target: Character, with replacement: String) -> String {
        var result = ""
        for character in self { if character == target { result += replacement } else { result.append(character) } }
        return result
    }
}

extension Substring {
    fileprivate var trimmingSpaces: Substring {
        var text = self
        while text.first == " " || text.first == "\t" { text.removeFirst() }
        while text.last == " " || text.last == "\t" { text.removeLast() }
        return text
    }
}
