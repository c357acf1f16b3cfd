import Foundation

/// How to launch a plugin, as Terraform does by default: magic cookie,
/// protocols 5 and 6 offered, a fresh socket folder, AutoMTLS with a P-521
/// client certificate.
public struct PluginLaunchOptions: Sendable {
    /// nil: leave `TF_PLUGIN_MAGIC_COOKIE` unset.
    public var magicCookie: String? = PluginHandshake.magicCookieValue
    /// nil: leave `PLUGIN_PROTOCOL_VERSIONS` unset.
    public var protocolVersions: String? = "5,6"
    /// nil: leave `PLUGIN_UNIX_SOCKET_DIR` unset (the plugin falls back to TMPDIR, /tmp).
    public var socketDirectory: String?
    /// The certificate given as `PLUGIN_CLIENT_CERT`; nil for plaintext.
    public var clientIdentity: ClientIdentity?
    /// The identity the client presents; defaults to `clientIdentity`.
    public var presentedIdentity: ClientIdentity?
    public var extraEnvironment: [String: String] = [:]
    public var binary: String?
    /// Runs the plugin chrooted into this folder (with coreutils' `chroot`,
    /// as root): `binary` is then its path inside the folder, and the client
    /// finds the plugin's socket under the folder.
    public var rootDirectory: String?
    /// Whether the launched plugin's harness removes `socketDirectory` when
    /// done with it (set for folders the harness made).
    public var removesSocketDirectory = false

    public init(socketDirectory: String? = nil, clientIdentity: ClientIdentity?) {
        self.socketDirectory = socketDirectory
        self.clientIdentity = clientIdentity
    }

    /// Terraform's defaults, with a fresh P-521 client certificate and a
    /// fresh socket folder.
    public static func terraformLike() throws -> PluginLaunchOptions {
        var options = PluginLaunchOptions(
            socketDirectory: try TemporaryDirectory.make(),
            clientIdentity: try ClientIdentity.generate(curve: .p521)
        )
        options.removesSocketDirectory = true
        return options
    }

    public var environment: [String: String] {
        var environment = extraEnvironment
        if let magicCookie { environment[PluginHandshake.magicCookieKey] = magicCookie }
        if let protocolVersions { environment["PLUGIN_PROTOCOL_VERSIONS"] = protocolVersions }
        if let socketDirectory { environment["PLUGIN_UNIX_SOCKET_DIR"] = socketDirectory }
        if let clientIdentity { environment["PLUGIN_CLIENT_CERT"] = clientIdentity.certificatePEM }
        return environment
    }
}

/// A running plugin after a successful handshake, with a client connected
/// as the host would connect.
public final class LaunchedPlugin: @unchecked Sendable {
    public let process: PluginProcess
    public let handshake: PluginHandshake
    public let client: PluginClient
    /// The server certificate from the handshake, as PEM; nil in plaintext.
    public let serverCertificatePEM: String?
    private let socketDirectoryToRemove: String?

    /// Starts the plugin, reads its handshake line (within `timeout`) and
    /// connects. Throws with the plugin's stderr when no line comes.
    public static func launch(_ options: PluginLaunchOptions, timeout: Duration = .seconds(10)) async throws -> LaunchedPlugin {
        let binary = try options.binary ?? PluginBinary.path()
        let process = if let root = options.rootDirectory {
            try PluginProcess(binary: "/usr/sbin/chroot", environment: options.environment, arguments: [root, binary])
        } else {
            try PluginProcess(binary: binary, environment: options.environment)
        }
        guard let line = await process.readHandshakeLine(timeout: timeout) else {
            let status = await process.kill()
            if options.removesSocketDirectory, let directory = options.socketDirectory { rmdir(directory) }
            throw PluginTestError("no handshake line (\(status.map(String.init(describing:)) ?? "still running")); "
                + "stderr: \(process.standardError)")
        }
        return try LaunchedPlugin(process: process, line: line, options: options)
    }

    private init(process: PluginProcess, line: String, options: PluginLaunchOptions) throws {
        self.process = process
        socketDirectoryToRemove = options.removesSocketDirectory ? options.socketDirectory : nil
        handshake = try PluginHandshake(line: line)
        serverCertificatePEM = try handshake.certificateDER().map { try CertificateSummary(der: $0).pem }
        let presented = options.presentedIdentity ?? options.clientIdentity
        let tls = serverCertificatePEM.flatMap { pem in presented.map { ClientTLS(serverCertificatePEM: pem, identity: $0) } }
        client = PluginClient(socketPath: (options.rootDirectory ?? "") + handshake.address, tls: tls)
    }

    /// A plugin still running is killed; a socket it leaves behind and the
    /// folder the harness made for it are removed.
    deinit {
        process.terminate()
        guard let socketDirectoryToRemove else { return }
        unlink(handshake.address)
        rmdir(socketDirectoryToRemove)
    }

    /// Asks the plugin to stop as Terraform does, and waits for it to exit.
    @discardableResult
    public func shutdown(timeout: Duration = .seconds(5)) async -> (CallResult, PluginProcess.ExitStatus?) {
        let result = await client.call("/plugin.GRPCController/Shutdown", timeout: timeout)
        return (result, await process.waitForExit(timeout: timeout))
    }
}

/// Fresh folders under the system temp folder, short enough for socket paths.
public enum TemporaryDirectory {
    public static func make() throws -> String {
        var template = Array("/tmp/plugin-test-XXXXXX".utf8CString)
        guard let path = mkdtemp(&template) else { throw PluginTestError("mkdtemp failed") }
        return String(cString: path)
    }
}
