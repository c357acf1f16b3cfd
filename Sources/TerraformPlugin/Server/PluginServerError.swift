#if canImport(Glibc)
import Glibc
#endif

/// Why the plugin server could not start. `description` is written for the
/// person who sees it on stderr.
package struct PluginServerError: Error, CustomStringConvertible, Equatable {
    private enum Kind: Equatable {
        case notLaunchedByHost
        case protocolVersionNotOffered(offered: String?, supported: Int)
        case invalidClientCertificate
        case certificate(step: String, detail: String)
        case socketPathTooLong(String)
        case listen(String)
        case stdoutClosed
        case handshakeNotWritten(errno: Int32)
    }

    private let kind: Kind

    package var description: String {
        switch kind {
        case .notLaunchedByHost:
            "This binary is a plugin. These are not meant to be executed directly.\n"
                + "Please execute the program that consumes these plugins, which will\n"
                + "load any plugins automatically"
        case .protocolVersionNotOffered(let offered, let supported):
            if let offered {
                "This plugin speaks plugin protocol version \(supported), but the program that launched it "
                    + "offered only PLUGIN_PROTOCOL_VERSIONS=\(offered). Use a version of that program that supports "
                    + "protocol \(supported) (Terraform 1.0 or later)."
            } else {
                "This plugin speaks plugin protocol version \(supported), but the program that launched it "
                    + "did not offer any (PLUGIN_PROTOCOL_VERSIONS is not set). Use a version of that program that "
                    + "supports protocol \(supported) (Terraform 1.0 or later)."
            }
        case .invalidClientCertificate:
            "PLUGIN_CLIENT_CERT does not hold a PEM certificate, so the plugin cannot verify the program that "
                + "launched it. It is set by the plugin host; unset it to serve without TLS."
        case .certificate(let step, let detail):
            "Could not make the plugin's TLS certificate: failed to \(step)" + (detail.isEmpty ? "." : ": \(detail)")
        case .socketPathTooLong(let path):
            "The plugin's socket path \(path) is longer than a Unix socket allows (107 bytes). "
                + "Set PLUGIN_UNIX_SOCKET_DIR or TMPDIR to a shorter directory."
        case .stdoutClosed:
            "The plugin's standard output is closed, so it cannot tell the program that launched it where to connect. "
                + "Plugin hosts read the handshake there; run the plugin from one (or with -debug)."
        case .handshakeNotWritten(let errno):
            "The plugin could not write its handshake line to standard output"
                + (errno == 0 ? "" : " (\(String(cString: strerror(errno))))")
                + ": the program that launched it has stopped reading. The plugin exits."
        case .listen(let path):
            "The plugin could not listen on the Unix socket \(path). Check that its directory exists and is writable, "
                + "or set PLUGIN_UNIX_SOCKET_DIR to one that is."
        }
    }

    package static let notLaunchedByHost = PluginServerError(kind: .notLaunchedByHost)
    package static let invalidClientCertificate = PluginServerError(kind: .invalidClientCertificate)

    package static func protocolVersionNotOffered(offered: String?, supported: Int) -> PluginServerError {
        PluginServerError(kind: .protocolVersionNotOffered(offered: offered, supported: supported))
    }

    /// A certificate step failed; OpenSSL's queued error text is attached.
    package static func certificate(step: String, detail: String) -> PluginServerError {
        PluginServerError(kind: .certificate(step: step, detail: detail))
    }

    package static func socketPathTooLong(_ path: String) -> PluginServerError {
        PluginServerError(kind: .socketPathTooLong(path))
    }

    package static func listen(_ path: String) -> PluginServerError { PluginServerError(kind: .listen(path)) }

    package static let stdoutClosed = PluginServerError(kind: .stdoutClosed)

    package static func handshakeNotWritten(errno: Int32) -> PluginServerError {
        PluginServerError(kind: .handshakeNotWritten(errno: errno))
    }
}
