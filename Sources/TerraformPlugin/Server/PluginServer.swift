#if canImport(Glibc)
import Glibc
#endif

/// Serves a plugin to the program that launched it (Terraform, OpenTofu),
/// as a go-plugin server does.
package enum PluginServer {
    /// Runs the plugin until the host asks it to stop, then exits the process.
    ///
    /// 1. Handshake: requires the host's magic cookie (else tells the person
    ///    who ran the binary that it is a plugin, and exits 1) and protocol
    ///    `configuration.protocolVersion` among `PLUGIN_PROTOCOL_VERSIONS`
    ///    (else exits 1 with what was offered).
    /// 2. AutoMTLS: when `PLUGIN_CLIENT_CERT` is set, serves TLS with a fresh
    ///    self-signed Ed25519 certificate and accepts only clients presenting
    ///    that certificate; plaintext otherwise.
    /// 3. Listens on a fresh Unix socket under `PLUGIN_UNIX_SOCKET_DIR`
    ///    (else `TMPDIR`, else /tmp), prints the one handshake line
    ///    `1|6|unix|<socket>|grpc|<cert>` on stdout, and from then on sends
    ///    anything written to stdout to stderr instead.
    /// 4. Serves: calls to `configuration.handlerServices` go to `handler`,
    ///    concurrently, each in its own task. The server answers
    ///    `plugin.GRPCController/Shutdown` (then exits 0) and
    ///    `grpc.health.v1.Health/Check` itself, and everything else with
    ///    UNIMPLEMENTED.
    ///
    /// SIGINT and SIGPIPE are ignored; SIGTERM and the other terminating
    /// signals remove the socket and end the process, as does the death of
    /// the process that launched us (SIGTERM through `PR_SET_PDEATHSIG`).
    /// Blocks the calling thread, which becomes the server's completion-queue
    /// thread: call it from synchronous top-level code, not from the main actor.
    ///
    /// Debug mode (`debugProviderAddress` given, from `-debug`): serves
    /// without being launched by a host (no magic cookie, plaintext, as
    /// terraform-plugin-go's `WithDebug`), prints the `TF_REATTACH_PROVIDERS`
    /// value for Terraform, and serves every Terraform run that reattaches
    /// (Terraform does not stop a provider it reattached to) until Ctrl-C,
    /// SIGTERM or `Shutdown`.
    ///
    /// `makeHandler` runs once the handshake line is out: the host reads the
    /// line, dials and makes its TLS handshake while the handler (for a
    /// provider, every schema) is built, instead of after; calls that come
    /// in meanwhile wait in gRPC.
    package static func serve(
        makeHandler: () -> any RPCHandler, configuration: PluginServerConfiguration = .init(), debugProviderAddress: String? = nil
    ) -> Never {
        // The handler is an existential on purpose: with `some RPCHandler`,
        // Swift 6.3.1's optimizer specialised this function for
        // ProviderRouter with the handler treated as a dead argument
        // (`...Tf4dn_n`), so release builds served a garbage router and
        // crashed at the first GetProviderSchema.
        let environment = { (name: String) in getenv(name).map { String(cString: $0) } }
        let request: Handshake.Request
        if debugProviderAddress != nil {
            // Run by a person (or a debugger), who stops it with Ctrl-C.
            ProcessSignals.ignoreBrokenPipes()
            request = Handshake.debugRequest(configuration, environment: environment)
        } else {
            ProcessSignals.ignoreInterrupts()
            ProcessSignals.endWithParent()
            switch Handshake.negotiate(configuration, environment: environment) {
            case .success(let negotiated): request = negotiated
            case .failure(let error): fail(error)
            }
        }

        // Checked before a socket exists: the handshake line could never be read.
        guard isWritable(STDOUT_FILENO) else { fail(.stdoutClosed) }

        let library = GRPCLibrary()
        let socketPath: String
        let server: PluginGRPCServer
        var certificateBase64 = ""
        do throws(PluginServerError) {
            let credentials = try makeCredentials(
                clientCertificatePEM: request.clientCertificatePEM,
                certificateBase64: &certificateBase64
            )
            socketPath = try PluginSocket.uniquePath(in: request.socketDirectory)
            ProcessSignals.removeOnTermination(socketPath: socketPath, interruptsToo: debugProviderAddress != nil)
            do {
                server = try PluginGRPCServer(
                    options: .init(socketPath: socketPath, configuration: configuration),
                    credentials: credentials
                )
            } catch {
                // gRPC builds its TLS context while it binds, so a client
                // certificate that only looked like one fails here: say so,
                // not that the folder is bad.
                if let pem = request.clientCertificatePEM, !parsesAsPEMCertificate(pem) { throw .invalidClientCertificate }
                throw error
            }
        } catch {
            fail(error)
        }

        if let debugProviderAddress {
            let instructions = Handshake.reattachInstructions(
                providerAddress: debugProviderAddress, protocolVersion: request.protocolVersion, pid: Int(getpid()), socketPath: socketPath
            )
            announce(instructions, socketPath: socketPath, thenRedirect: false)
        } else {
            announce(Handshake.line(protocolVersion: request.protocolVersion, socketPath: socketPath, certificateBase64: certificateBase64),
                     socketPath: socketPath, thenRedirect: true)
        }
        PluginLog.debug("plugin server: serving", ["address": socketPath, "tls": String(!certificateBase64.isEmpty)])

        let outcome = server.run(handler: makeHandler())
        unlink(socketPath)
        if outcome == .drained {
            _ = consume library
        }
        exit(0)
    }

    /// TLS credentials and the certificate for the handshake line, or
    /// plaintext and an empty field when the host gave no client certificate.
    private static func makeCredentials(
        clientCertificatePEM: String?,
        certificateBase64: inout String
    ) throws(PluginServerError) -> ServerCredentials {
        guard let clientCertificatePEM else { return .insecure() }
        guard isPEMCertificate(clientCertificatePEM) else { throw .invalidClientCertificate }
        let certificate = try SelfSignedCertificate.generateEd25519()
        certificateBase64 = certificate.certificateBase64
        guard let credentials = ServerCredentials.mutualTLS(certificate, clientRootsPEM: clientCertificatePEM) else {
            throw .certificate(step: "load it into gRPC", detail: "")
        }
        return credentials
    }

    /// Writes the handshake line, the only output ever made on stdout, then
    /// points stdout at stderr so that stray output cannot reach the host's
    /// handshake reader.
    private static func announce(_ line: String, socketPath: String, thenRedirect: Bool) {
        var bytes = Array(line.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { write(STDOUT_FILENO, $0.baseAddress, $0.count) }
            if written < 0, errno == EINTR { continue }
            guard written > 0 else {
                // The host is gone (EPIPE: SIGPIPE is ignored): nobody will
                // ever connect, and the socket must not stay behind.
                unlink(socketPath)
                fail(.handshakeNotWritten(errno: written < 0 ? errno : 0))
            }
            bytes = bytes.dropFirst(written)
        }
        if thenRedirect { dup2(STDERR_FILENO, STDOUT_FILENO) }
    }

    /// Whether `descriptor` is open for writing.
    private static func isWritable(_ descriptor: Int32) -> Bool {
        let flags = fcntl(descriptor, F_GETFL)
        return flags >= 0 && flags & O_ACCMODE != O_RDONLY
    }

    private static func fail(_ error: PluginServerError) -> Never {
        let text = error.description + "\n"
        _ = text.utf8CString.withUnsafeBufferPointer { write(STDERR_FILENO, $0.baseAddress, $0.count - 1) }
        exit(1)
    }
}
