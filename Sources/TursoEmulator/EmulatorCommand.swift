import Foundation
import Glibc

/// The `turso-api-emulator` command line:
///
///     turso-api-emulator [--port N] [--admin-token T]... [--organization O]... [--group O/G]...
///
/// Prints exactly one line on stdout once listening, `http://127.0.0.1:<port>`,
/// then logs one line per API request on stderr (never a header or token).
/// Stops cleanly on SIGTERM or SIGINT.
///
/// Admin tokens come from `--admin-token` (repeatable) or the comma-separated
/// `TURSO_EMULATOR_ADMIN_TOKEN`; without either the emulator accepts only the
/// well-known `emulator-admin-token`, which means nothing outside this emulator.
/// Each admin token is its own user, owner of every configured organization.
public enum EmulatorCommand {
    public struct UsageError: Error, CustomStringConvertible {
        public var description: String
    }

    public static let usage = """
        usage: turso-api-emulator [--port N] [--admin-token T]... [--organization O]... [--group O/G]...
          --port N            listen on 127.0.0.1:N (default 0: a free port)
          --admin-token T     accept T as an admin user's bearer (repeatable; also
                              TURSO_EMULATOR_ADMIN_TOKEN=T1,T2); default: emulator-admin-token
          --organization O    an organization the emulator knows (repeatable)
          --group O/G         a group G in organization O (repeatable; implies O)
        """

    public static func configuration(
        arguments: [String], environment: [String: String]
    ) throws(UsageError) -> EmulatorConfiguration {
        var port: UInt16 = 0
        var tokens: [String] = []
        var organizations: [String: Set<String>] = [:]
        var remaining = arguments[...]
        while let flag = remaining.popFirst() {
            if flag == "--help" || flag == "-h" { throw UsageError(description: usage) }
            guard let value = remaining.popFirst() else { throw UsageError(description: "\(flag) needs a value\n\(usage)") }
            switch flag {
            case "--port":
                guard let parsed = UInt16(value) else { throw UsageError(description: "--port: not a port number: \(value)") }
                port = parsed
            case "--admin-token":
                guard !value.isEmpty else { throw UsageError(description: "--admin-token: empty token") }
                tokens.append(value)
            case "--organization":
                guard EmulatorCore.isValidName(value) else { throw UsageError(description: "--organization: invalid slug \(value)") }
                organizations[value, default: []].formUnion([])
            case "--group":
                let parts = value.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
                guard parts.count == 2, EmulatorCore.isValidName(parts[0]), EmulatorCore.isValidName(parts[1]) else {
                    throw UsageError(description: "--group: expected <organization>/<group>, got \(value)")
                }
                organizations[parts[0], default: []].insert(parts[1])
            case "--tls-cert", "--tls-key":
                throw UsageError(description: "\(flag): TLS is not implemented in this emulator; it serves plain HTTP on 127.0.0.1")
            default:
                throw UsageError(description: "unknown option \(flag)\n\(usage)")
            }
        }
        if tokens.isEmpty, let fromEnvironment = environment["TURSO_EMULATOR_ADMIN_TOKEN"] {
            tokens = fromEnvironment.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        if tokens.isEmpty { tokens = [EmulatorConfiguration.defaultAdminToken] }
        return EmulatorConfiguration(adminTokens: tokens, organizations: organizations, port: port)
    }

    /// Runs the emulator until SIGTERM or SIGINT.
    public static func main() -> Never {
        var configuration: EmulatorConfiguration
        do {
            configuration = try self.configuration(
                arguments: Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment
            )
        } catch {
            FileHandle.standardError.write(Data("\(error.description)\n".utf8))
            exit(2)
        }
        configuration.requestLogger = { line in FileHandle.standardError.write(Data("\(line)\n".utf8)) }
        let usesDefaultToken = configuration.users.map(\.token) == [EmulatorConfiguration.defaultAdminToken]

        // Blocked in every thread (threads inherit the mask) and taken by
        // sigwait below, so a signal never interrupts a response half-written.
        var stopSignals = sigset_t()
        sigemptyset(&stopSignals)
        sigaddset(&stopSignals, SIGTERM)
        sigaddset(&stopSignals, SIGINT)
        pthread_sigmask(SIG_BLOCK, &stopSignals, nil)

        let emulator = TursoAPIEmulator(configuration: configuration)
        do {
            try emulator.start()
        } catch {
            FileHandle.standardError.write(Data("turso-api-emulator: \(error)\n".utf8))
            exit(1)
        }
        // The one line on stdout; tests and scripts read the URL from it.
        FileHandle.standardOutput.write(Data("\(emulator.baseURL)\n".utf8))
        let organizations = configuration.organizations.keys.sorted().joined(separator: ", ")
        FileHandle.standardError.write(Data((
            "turso-api-emulator: listening on \(emulator.baseURL); \(configuration.users.count) admin token(s)"
            + (usesDefaultToken ? " (the emulator-only default, emulator-admin-token)" : "")
            + "; organizations: \(organizations.isEmpty ? "none" : organizations)\n"
        ).utf8))

        var received: Int32 = 0
        sigwait(&stopSignals, &received)
        emulator.stop()
        FileHandle.standardError.write(Data("turso-api-emulator: stopped\n".utf8))
        exit(0)
    }
}
