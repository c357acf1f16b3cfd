import CGRPCCore
import Foundation
import TerraformPlugin

/// The plugin's gRPC server run inside the test process on its own thread,
/// with a handler the test chooses (the binary only has its own). Stopped by
/// a `Shutdown` call, like the real one.
public final class InProcessPluginServer: @unchecked Sendable {
    public let socketPath: String
    private let socketDirectory: String
    /// The server certificate (PEM) when serving TLS.
    public let certificatePEM: String?
    private let stopped = DispatchSemaphore(value: 0)
    private let outcome = LockedBox<PluginGRPCServer.Outcome?>(nil)

    /// `clientIdentity` non-nil: AutoMTLS requiring that client certificate.
    package init(
        handler: some RPCHandler,
        configuration: PluginServerConfiguration = .init(),
        clientIdentity: ClientIdentity?
    ) throws {
        socketDirectory = try TemporaryDirectory.make()
        socketPath = try PluginSocket.uniquePath(in: socketDirectory)
        let started = DispatchSemaphore(value: 0)
        let startError = LockedBox<Error?>(nil)
        let certificatePEM = LockedBox<String?>(nil)
        let socketPath = socketPath
        let thread = Thread { [stopped, outcome] in
            let library = GRPCLibrary()
            let server: PluginGRPCServer
            do {
                let credentials: ServerCredentials
                if let clientIdentity {
                    let certificate = try SelfSignedCertificate.generateEd25519()
                    certificatePEM.value = certificate.certificatePEM
                    credentials = ServerCredentials.mutualTLS(certificate, clientRootsPEM: clientIdentity.certificatePEM)!
                } else {
                    credentials = ServerCredentials.insecure()
                }
                server = try PluginGRPCServer(
                    options: .init(socketPath: socketPath, configuration: configuration),
                    credentials: credentials
                )
            } catch {
                startError.value = error
                started.signal()
                _ = consume library
                stopped.signal()
                return
            }
            started.signal()
            let ending = server.run(handler: handler)
            outcome.value = ending
            if ending != .drained {
                // Calls are still held by handler tasks: the server must stay
                // (as the real plugin exits over it), not be torn down here.
                abandonedServers.mutate { $0.append(server) }
                grpc_init()  // its hold on gRPC, never released
                stopped.signal()
                return
            }
            _ = consume library
            stopped.signal()
        }
        thread.name = "in-process plugin server"
        thread.start()
        started.wait()
        if let error = startError.value { throw error }
        self.certificatePEM = certificatePEM.value
    }

    /// The folder made for the socket goes (the server removed the socket
    /// when it stopped).
    deinit {
        unlink(socketPath)
        rmdir(socketDirectory)
    }

    /// A client connected as the host would connect (the identity must be
    /// the one the server requires, unless testing a refusal).
    public func makeClient(presenting identity: ClientIdentity?) -> PluginClient {
        let tls = zip2(certificatePEM, identity).map { ClientTLS(serverCertificatePEM: $0, identity: $1) }
        return PluginClient(socketPath: socketPath, tls: tls)
    }

    /// How `run` ended, once it has (nil if not within `timeout`).
    package func waitForStop(timeout: Duration) async -> PluginGRPCServer.Outcome? {
        let (stopped, outcome) = (stopped, outcome)
        return await onOwnThread {
            guard stopped.wait(timeout: .now() + PipeReader.seconds(timeout)) == .success else { return nil }
            stopped.signal()
            return outcome.value
        }
    }
}

/// Servers whose run ended with calls still in handlers, kept for the life of
/// the test process.
private let abandonedServers = LockedBox<[PluginGRPCServer]>([])

private func zip2<A, B>(_ a: A?, _ b: B?) -> (A, B)? {
    guard let a, let b else { return nil }
    return (a, b)
}

/// A value shared between threads under a lock.
public final class LockedBox<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    public init(_ value: Value) { stored = value }
    public var value: Value {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
    /// Changes the value in one step under the lock.
    public func mutate<Result>(_ change: (inout Value) throws -> Result) rethrows -> Result {
        try lock.withLock { try change(&stored) }
    }
}
