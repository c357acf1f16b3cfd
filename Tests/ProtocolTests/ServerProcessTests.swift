import COpenSSL
import Foundation
import PluginTestSupport
import Testing

/// The provider binary driven as Terraform drives it: environment in,
/// handshake line out, gRPC over the Unix socket with AutoMTLS.
@Suite("Plugin server process")
struct ServerProcessTests {
    private static let healthCheck = "/grpc.health.v1.Health/Check"
    private static let serving: [UInt8] = [0x08, 0x01]

    private func isSocket(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFSOCK
    }

    private func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    /// Runs the binary to its end with `options`' environment.
    private func runToExit(_ options: PluginLaunchOptions) async throws -> PluginProcess {
        let process = try PluginProcess(binary: try PluginBinary.path(), environment: options.environment)
        let status = await process.waitForExit(timeout: .seconds(10))
        #expect(status == .exited(1), "stderr: \(process.standardError)")
        #expect(await process.waitForOutputEnd())
        if options.removesSocketDirectory, let directory = options.socketDirectory { rmdir(directory) }
        return process
    }

    @Test("The handshake line has six fields, a live socket in the asked folder and a localhost certificate")
    func handshakeLine() async throws {
        let options = try PluginLaunchOptions.terraformLike()
        let plugin = try await LaunchedPlugin.launch(options)
        let handshake = plugin.handshake
        #expect(handshake.fields.count == 6)
        #expect(handshake.coreProtocolVersion == "1")
        #expect(handshake.protocolVersion == "6")
        #expect(handshake.network == "unix")
        #expect(handshake.rpcProtocol == "grpc")
        #expect(handshake.address.hasPrefix(options.socketDirectory! + "/"))
        #expect(isSocket(handshake.address))

        let der = try #require(try handshake.certificateDER())
        let certificate = try CertificateSummary(der: der)
        #expect(certificate.commonName == "localhost")
        #expect(certificate.matchesHostLocalhost)
        #expect(certificate.isCertificateAuthority)
        #expect(certificate.publicKeyType == NID_ED25519)
        #expect(certificate.isSelfSigned)
        #expect(certificate.allowsServerAuth && certificate.allowsClientAuth && certificate.allowsCertificateSigning)
        #expect((-90 ... -25).contains(certificate.notBeforeOffset), "notBefore \(certificate.notBeforeOffset) s from now")
        #expect(certificate.notAfterOffset > 20 * 365 * 86_400)

        let (result, status) = await plugin.shutdown()
        #expect(result.status == .ok)
        #expect(status == .exited(0))
        #expect(await plugin.process.waitForOutputEnd())
        #expect(plugin.process.standardOutput == handshake.fields.joined(separator: "|") + "\n", "stdout carries only the handshake")
    }

    @Test("Two launches get different sockets and different certificates")
    func freshPerLaunch() async throws {
        let options = try PluginLaunchOptions.terraformLike()
        let first = try await LaunchedPlugin.launch(options)
        let second = try await LaunchedPlugin.launch(options)
        #expect(first.handshake.address != second.handshake.address)
        #expect(first.handshake.certificateField != second.handshake.certificateField)
        await first.shutdown()
        await second.shutdown()
    }

    @Test("Run without the magic cookie, it tells a human on stderr, prints nothing on stdout and exits 1")
    func withoutCookie() async throws {
        var options = try PluginLaunchOptions.terraformLike()
        options.magicCookie = nil
        let process = try await runToExit(options)
        #expect(process.standardOutput.isEmpty)
        #expect(process.standardError.contains("This binary is a plugin. These are not meant to be executed directly."))
        #expect(process.standardError.contains("Please execute the program that consumes these plugins, which will"))
        #expect(process.standardError.contains("load any plugins automatically"))
    }

    @Test("Offered only protocol 5, it says what was offered and what it speaks, and exits 1")
    func protocolFiveOnly() async throws {
        var options = try PluginLaunchOptions.terraformLike()
        options.protocolVersions = "5"
        let process = try await runToExit(options)
        #expect(process.standardOutput.isEmpty)
        #expect(process.standardError.contains("PLUGIN_PROTOCOL_VERSIONS=5"))
        #expect(process.standardError.contains("protocol version 6"))
    }

    @Test("An unreadable PLUGIN_CLIENT_CERT is an error on stderr and exit 1")
    func unreadableClientCertificate() async throws {
        var options = try PluginLaunchOptions.terraformLike()
        options.clientIdentity = nil
        options.extraEnvironment["PLUGIN_CLIENT_CERT"] = "not a certificate"
        let process = try await runToExit(options)
        #expect(process.standardOutput.isEmpty)
        #expect(process.standardError.contains("PLUGIN_CLIENT_CERT does not hold a PEM certificate"))
    }

    @Test("A socket folder that does not exist is an error on stderr and exit 1")
    func missingSocketFolder() async throws {
        var options = try PluginLaunchOptions.terraformLike()
        rmdir(try #require(options.socketDirectory))
        options.socketDirectory = "/nonexistent-plugin-folder"
        options.removesSocketDirectory = false
        let process = try await runToExit(options)
        #expect(process.standardOutput.isEmpty)
        #expect(process.standardError.contains("could not listen on the Unix socket /nonexistent-plugin-folder/plugin"))
    }

    @Test("With the host's certificate, Health Check answers SERVING and unknown services NOT_FOUND",
          arguments: [ClientIdentity.Curve.p521, .p256])
    func healthOverMutualTLS(curve: ClientIdentity.Curve) async throws {
        var options = try PluginLaunchOptions.terraformLike()
        options.clientIdentity = try ClientIdentity.generate(curve: curve)
        let plugin = try await LaunchedPlugin.launch(options)
        let whole = await plugin.client.call(Self.healthCheck)
        #expect(whole.status == .ok, "\(whole)")
        #expect(whole.response == Self.serving)
        let named = await plugin.client.call(Self.healthCheck, request: [0x0a, 0x06] + Array("plugin".utf8))
        #expect(named.response == Self.serving, "\(named)")
        let other = await plugin.client.call(Self.healthCheck, request: [0x0a, 0x03] + Array("foo".utf8))
        #expect(other.status == .notFound, "\(other)")
        #expect(await plugin.shutdown().1 == .exited(0))
    }

    @Test("Unknown methods and go-plugin's streaming services are UNIMPLEMENTED at once")
    func unimplemented() async throws {
        let plugin = try await LaunchedPlugin.launch(try .terraformLike())
        let unknown = await plugin.client.call("/no.Such/Method", timeout: .seconds(5))
        #expect(unknown.status == .unimplemented, "\(unknown)")
        #expect(await plugin.client.call("/grpc.health.v1.Health/Watch").status == .unimplemented)
        // As Terraform opens them: StreamStdio sends its Empty request,
        // StartStream (bidirectional) sends nothing and waits.
        // A hang would end in DEADLINE_EXCEEDED after 5 s, not UNIMPLEMENTED.
        let stdio = await plugin.client.call("/plugin.GRPCStdio/StreamStdio", timeout: .seconds(5))
        let broker = await plugin.client.openStreamAndWait("/plugin.GRPCBroker/StartStream", timeout: .seconds(5))
        let stdioOpen = await plugin.client.openStreamAndWait("/plugin.GRPCStdio/StreamStdio", timeout: .seconds(5))
        #expect(stdio.status == .unimplemented, "\(stdio)")
        #expect(broker.status == .unimplemented, "\(broker)")
        #expect(stdioOpen.status == .unimplemented, "\(stdioOpen)")
        #expect(await plugin.shutdown().1 == .exited(0))
    }

    @Test("A client presenting another certificate than PLUGIN_CLIENT_CERT is refused")
    func wrongClientCertificate() async throws {
        var options = try PluginLaunchOptions.terraformLike()
        options.presentedIdentity = try ClientIdentity.generate(curve: .p521)
        let intruder = try await LaunchedPlugin.launch(options)
        let refused = await intruder.client.call(Self.healthCheck, timeout: .seconds(5))
        #expect(refused.status == .unavailable, "\(refused)")
        #expect(refused.response == nil)

        // The plugin is unharmed: the real host still gets through.
        let host = PluginClient(
            socketPath: intruder.handshake.address,
            tls: ClientTLS(serverCertificatePEM: try #require(intruder.serverCertificatePEM), identity: try #require(options.clientIdentity))
        )
        #expect(await host.call(Self.healthCheck).response == Self.serving)
        #expect(await host.call("/plugin.GRPCController/Shutdown").status == .ok)
        #expect(await intruder.process.waitForExit(timeout: .seconds(5)) == .exited(0))
    }

    @Test("A client without any certificate, or speaking plaintext, is refused too")
    func noClientCertificate() async throws {
        let plugin = try await LaunchedPlugin.launch(try .terraformLike())
        let plaintext = PluginClient(socketPath: plugin.handshake.address, tls: nil)
        let result = await plaintext.call(Self.healthCheck, timeout: .seconds(5))
        #expect(result.status == .unavailable, "\(result)")
        #expect(await plugin.shutdown().1 == .exited(0))
    }

    @Test("Shutdown is answered, then the server drains at once (no grace period waited out), exits 0 and removes its socket")
    func shutdown() async throws {
        // How the server ended is read from its debug log, not timed.
        var options = try PluginLaunchOptions.terraformLike()
        options.extraEnvironment["TF_LOG_PROVIDER_TURSO"] = "debug"
        let plugin = try await LaunchedPlugin.launch(options)
        let socket = plugin.handshake.address
        let result = await plugin.client.call("/plugin.GRPCController/Shutdown")
        #expect(result.status == .ok, "\(result)")
        #expect(result.response == [])
        let status = await plugin.process.waitForExit(timeout: .seconds(30))
        let log = plugin.process.standardError
        #expect(status == .exited(0), "stderr: \(log)")
        #expect(log.contains("plugin server: stopped"), "stderr: \(log)")
        #expect(!log.contains("grace period over"), "stderr: \(log)")
        #expect(!exists(socket))
    }

    @Test("SIGTERM removes the socket and ends the process by that signal")
    func sigterm() async throws {
        let plugin = try await LaunchedPlugin.launch(try .terraformLike())
        let socket = plugin.handshake.address
        #expect(await plugin.client.call(Self.healthCheck).status == .ok)
        plugin.process.send(SIGTERM)
        #expect(await plugin.process.waitForExit(timeout: .seconds(5)) == .signaled(SIGTERM))
        #expect(!exists(socket))
    }

    @Test("SIGINT is ignored: the plugin keeps serving")
    func sigint() async throws {
        let plugin = try await LaunchedPlugin.launch(try .terraformLike())
        plugin.process.send(SIGINT)
        try await Task.sleep(for: .milliseconds(200))
        #expect(plugin.process.exitStatus == nil)
        #expect(await plugin.client.call(Self.healthCheck).response == Self.serving)
        #expect(await plugin.shutdown().1 == .exited(0))
    }

    @Test("Fifty calls in parallel, each on its own thread, all complete")
    func parallelCalls() async throws {
        let plugin = try await LaunchedPlugin.launch(try .terraformLike())
        let results = await withTaskGroup(of: CallResult.self) { group in
            for index in 0..<50 {
                // Half go to the handler (a tfplugin6 method it does not know, so
                // the answer depends on the server and router, not on provider
                // code), half are answered by the server itself.
                let method = index.isMultiple(of: 2) ? Self.healthCheck : "/tfplugin6.Provider/NoSuchMethod"
                group.addTask { await plugin.client.call(method, timeout: .seconds(20)) }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 50)
        #expect(results.filter { $0.status == .ok && $0.response == Self.serving }.count == 25)
        let handled = results.filter { $0.response != Self.serving }
        #expect(handled.count == 25)
        #expect(handled.allSatisfy { $0.status == .unimplemented }, "\(handled)")
        let (_, status) = await plugin.shutdown()
        #expect(status == .exited(0), "stderr: \(plugin.process.standardError)")
    }

    @Test("A 20 MiB request is accepted (gRPC's default limit is 4 MiB)")
    func largeRequest() async throws {
        let plugin = try await LaunchedPlugin.launch(try .terraformLike())
        // HealthCheckRequest{service: 20 MiB of "x"}: read in full, then answered NOT_FOUND.
        let size = 20 << 20
        var request: [UInt8] = [0x0a]
        var length = size
        while length >= 0x80 {
            request.append(UInt8(length & 0x7f) | 0x80)
            length >>= 7
        }
        request.append(UInt8(length))
        request += [UInt8](repeating: UInt8(ascii: "x"), count: size)
        let result = await plugin.client.call(Self.healthCheck, request: request, timeout: .seconds(30))
        #expect(result.status == .notFound, "\(result)")
        #expect(result.message == "unknown service")
        #expect(await plugin.shutdown().1 == .exited(0))
    }

    @Test("Without PLUGIN_CLIENT_CERT it serves plaintext and the certificate field is empty")
    func plaintext() async throws {
        var options = try PluginLaunchOptions.terraformLike()
        options.clientIdentity = nil
        let plugin = try await LaunchedPlugin.launch(options)
        #expect(plugin.handshake.certificateField.isEmpty)
        #expect(await plugin.client.call(Self.healthCheck).response == Self.serving)
        let (result, status) = await plugin.shutdown()
        #expect(result.status == .ok)
        #expect(status == .exited(0))
    }

    // MARK: Ending cleanly whatever happens

    private func isEmptyDirectory(_ path: String) -> Bool {
        (try? FileManager.default.contentsOfDirectory(atPath: path))?.isEmpty == true
    }

    @Test("A PLUGIN_CLIENT_CERT that looks like PEM but is no certificate is named as such, and no socket stays")
    func pemThatIsNoCertificate() async throws {
        var options = try PluginLaunchOptions.terraformLike()
        options.clientIdentity = nil
        // Markers and a well-formed DER SEQUENCE { INTEGER 5 }: it passes the
        // cheap shape check, and only gRPC's TLS set-up finds it is no certificate.
        options.extraEnvironment["PLUGIN_CLIENT_CERT"] = "-----BEGIN CERTIFICATE-----\nMAMCAQU=\n-----END CERTIFICATE-----\n"
        let directory = try #require(options.socketDirectory)
        let process = try PluginProcess(binary: try PluginBinary.path(), environment: options.environment)
        #expect(await process.waitForExit(timeout: .seconds(10)) == .exited(1))
        #expect(await process.waitForOutputEnd())
        #expect(process.standardError.contains("PLUGIN_CLIENT_CERT does not hold a PEM certificate"), "\(process.standardError)")
        #expect(!process.standardError.contains("could not listen"))
        #expect(isEmptyDirectory(directory))
        rmdir(directory)
    }

    @Test("With stdout closed, or a pipe nobody reads, it says why on stderr, exits 1 and leaves no socket",
          arguments: [PluginProcess.StandardOutput.closed, .brokenPipe])
    func stdoutUnusable(_ standardOutput: PluginProcess.StandardOutput) async throws {
        let options = try PluginLaunchOptions.terraformLike()
        let directory = try #require(options.socketDirectory)
        let process = try PluginProcess(binary: try PluginBinary.path(), environment: options.environment, standardOutput: standardOutput)
        #expect(await process.waitForExit(timeout: .seconds(10)) == .exited(1))
        #expect(await process.waitForOutputEnd())
        let expected = standardOutput == .closed ? "standard output is closed" : "could not write its handshake line"
        #expect(process.standardError.contains(expected), "\(process.standardError)")
        #expect(isEmptyDirectory(directory), "\((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])")
        rmdir(directory)
    }

    @Test("Each catchable terminating signal removes the socket and ends the process by that signal",
          arguments: [SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGXCPU, SIGPWR])
    func terminatingSignal(_ signal: Int32) async throws {
        // No core file for SIGQUIT and SIGXCPU: the limit is inherited.
        var noCore = rlimit(rlim_cur: 0, rlim_max: 0)
        getrlimit(Int32(RLIMIT_CORE.rawValue), &noCore)
        noCore.rlim_cur = 0
        setrlimit(Int32(RLIMIT_CORE.rawValue), &noCore)
        let options = try PluginLaunchOptions.terraformLike()
        let plugin = try await LaunchedPlugin.launch(options)
        let socket = plugin.handshake.address
        #expect(await plugin.client.call(Self.healthCheck).status == .ok)
        plugin.process.send(signal)
        #expect(await plugin.process.waitForExit(timeout: .seconds(10)) == .signaled(signal))
        #expect(!exists(socket))
    }

    @Test("When the process that launched it is killed, the plugin removes its socket and ends")
    func parentDeath() async throws {
        let options = try PluginLaunchOptions.terraformLike()
        var environment = options.environment
        environment["PLUGIN_BINARY"] = try PluginBinary.path()
        // A host that is SIGKILLed, as Terraform can be: a shell that starts
        // the plugin, says its pid, and waits.
        let host = try PluginProcess(
            binary: "/bin/sh", environment: environment, arguments: ["-c", "\"$PLUGIN_BINARY\" & echo \"pid $!\" >&2; wait"]
        )
        let line = try #require(await host.readHandshakeLine(), "stderr: \(host.standardError)")
        let socket = try PluginHandshake(line: line).address
        #expect(isSocket(socket))
        let pidLine = host.standardError.split(separator: "\n").first { $0.hasPrefix("pid ") }
        let pluginPID = try #require(pidLine.flatMap { Int32($0.dropFirst(4)) }, "stderr: \(host.standardError)")

        #expect(await host.kill() == .signaled(SIGKILL))
        // Rendezvous: the socket goes and the process ends (or is a zombie
        // waiting for whoever adopted it to reap it).
        #expect(await eventually { !exists(socket) }, "socket \(socket) left behind")
        #expect(await eventually {
            guard let stat = try? String(contentsOfFile: "/proc/\(pluginPID)/stat", encoding: .utf8) else { return true }
            return stat.split(separator: ")").last?.trimmingCharacters(in: .whitespaces).hasPrefix("Z") == true
        }, "plugin \(pluginPID) still running")
        if exists(socket) { unlink(socket) }
        if let directory = options.socketDirectory { rmdir(directory) }
    }
}
