import CTFPlugin6
import Foundation
import PluginTestSupport
@testable import TerraformPlugin
import Testing
import TursoEmulator

/// A call whose client gives up (its deadline passes) stops the provider's
/// work on it: the Turso API call in flight is aborted and no retry is sent.
/// Driven against the built binary and the emulator, with the plugin's own
/// trace log and the emulator's request log as the evidence (no timing).
@Suite("Client cancellation reaches the Turso API call (built binary, emulator)")
struct ServerCancellationTests {
    /// A provider session logging at trace level, so its stderr says when
    /// each RPC's handler has returned ("Served RPC").
    private static func launchTraced() async throws -> ProviderSession {
        var options = try PluginLaunchOptions.terraformLike()
        options.extraEnvironment["PATH"] = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        options.extraEnvironment["TF_LOG"] = "trace"
        return ProviderSession(plugin: try await LaunchedPlugin.launch(options, timeout: .seconds(60)))
    }

    /// How many ApplyResourceChange calls the plugin has finished serving:
    /// the router logs "Served request" (with `tf_rpc`) once its handler,
    /// and the provider task it awaits, have returned.
    private static func appliesServed(_ session: ProviderSession) -> Int {
        session.plugin.process.standardError.split(separator: "\n").filter { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return false }
            return object["@message"] as? String == "Served request" && object["tf_rpc"] as? String == "ApplyResourceChange"
        }.count
    }

    private static func posts(_ emulator: TursoAPIEmulator) -> Int {
        emulator.requestLog().filter { $0.method == "POST" }.count
    }

    /// The ApplyResourceChange request that creates `turso_api_token` `name`
    /// (planned by the binary itself first, as Terraform does).
    private static func createRequest(_ session: ProviderSession, name: String) async throws -> [UInt8] {
        let type = TursoTypes.apiToken
        let config = CtyValue.apiTokenConfig(name: name, organization: "my-org", group: "default", scopes: ["read-only"])
        let null = CtyValue.null(type)
        let plan = try await session.plan("turso_api_token", prior: null, proposed: config, config: config, as: type)
        let planned = try #require(plan.plannedState)
        return try ProviderSession.pack(Tfplugin6__ApplyResourceChange__Request.self) { arena, message in
            message.pointee.type_name = arena.string("turso_api_token")
            message.pointee.prior_state = try dynamic(null, as: type, arena)
            message.pointee.planned_state = try dynamic(planned, as: type, arena)
            message.pointee.config = try dynamic(config, as: type, arena)
            message.pointee.planned_private = arena.bytes(plan.plannedPrivate)
        }
    }

    /// After the cancelled call: the process still serves, the API sees a
    /// later request (a listing) but no further create, and Shutdown is clean.
    private static func expectNoLaterCreate(_ session: ProviderSession, _ emulator: TursoAPIEmulator, postsAtEnd: Int) async throws {
        let listing = try await session.readDataSource(
            "turso_api_tokens", .object(type: TursoTypes.apiTokens, [:]), as: TursoTypes.apiTokens
        )
        #expect(listing.diagnostics.errors.isEmpty, "\(listing.diagnostics)")
        let log = emulator.requestLog()
        #expect(log.last?.method == "GET", "the listing is the last request: \(log.map { "\($0.method) \($0.path)" })")
        #expect(posts(emulator) == postsAtEnd, "no create was sent after the handler returned")
        // The create's outcome is never assumed (TursoClient.createToken):
        // one listing checks whether Turso acted, then the data source's.
        #expect(log.filter { $0.method == "GET" }.count == 2, "\(log.map { "\($0.method) \($0.path)" })")
        #expect(session.plugin.process.standardError.contains("plugin server: call cancelled by the client"))
        await session.finish()
    }

    @Test("A deadline that passes during a retry wait ends the wait: no retry, one check listing")
    func deadlineDuringRetryWait() async throws {
        let emulator = try TursoAPIEmulator.started()
        defer { emulator.stop() }
        let session = try await Self.launchTraced()
        try await session.configure(emulator: emulator)
        let request = try await Self.createRequest(session, name: "cancelled-in-wait")

        // Every create is refused with "retry in 60 s" (Turso did not act):
        // the client waits 60 s before its second attempt, far beyond the
        // call's 5 s deadline.
        try emulator.addFault(Fault(method: "POST", pathPrefix: "/v1/auth/api-tokens", status: 503, retryAfter: "60"))
        let result = await session.call("ApplyResourceChange", request, timeout: .seconds(5))
        #expect(result.status == .deadlineExceeded, "\(result)")

        // Rendezvous: the handler returns once the cancelled wait ends (it
        // would take a minute, and a second create, if it were not cancelled).
        #expect(await eventually(limit: .seconds(40)) { Self.appliesServed(session) == 1 }, "\(session.stderrTail)")
        let postsAtEnd = Self.posts(emulator)
        #expect(postsAtEnd == 1, "one attempt before the deadline: \(emulator.requestLog().map { "\($0.method) \($0.path)" })")
        emulator.clearFaults()
        try await Self.expectNoLaterCreate(session, emulator, postsAtEnd: postsAtEnd)
    }

    @Test("A deadline that passes while the create is in flight aborts the transfer: no retry, one check listing")
    func deadlineDuringTransfer() async throws {
        let emulator = try TursoAPIEmulator.started()
        defer { emulator.stop() }
        let session = try await Self.launchTraced()
        try await session.configure(emulator: emulator)
        let request = try await Self.createRequest(session, name: "cancelled-in-flight")

        // The create is answered only after 10 minutes.
        try emulator.addFault(Fault(method: "POST", pathPrefix: "/v1/auth/api-tokens", delayMilliseconds: 600_000))
        let before = emulator.acceptedConnections
        async let pending = session.call("ApplyResourceChange", request, timeout: .seconds(5))
        // Rendezvous: the create is on the wire once the emulator has its connection.
        #expect(await eventually { emulator.acceptedConnections > before }, "the create never reached the emulator")
        let result = await pending
        #expect(result.status == .deadlineExceeded, "\(result)")

        // The handler returns only once the transfer is aborted (the answer
        // would take 10 minutes). The emulator logs a request when it
        // answers, so the delayed create is not in its log.
        #expect(await eventually(limit: .seconds(40)) { Self.appliesServed(session) == 1 }, "\(session.stderrTail)")
        let postsAtEnd = Self.posts(emulator)
        #expect(postsAtEnd == 0, "\(emulator.requestLog().map { "\($0.method) \($0.path)" })")
        emulator.clearFaults()
        try await Self.expectNoLaterCreate(session, emulator, postsAtEnd: postsAtEnd)
    }
}
