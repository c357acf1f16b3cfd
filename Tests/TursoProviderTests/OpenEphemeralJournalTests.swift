import Foundation
import Synchronization
import Testing
import TerraformPlugin
import TursoEmulator
@testable import TursoProvider

/// A process table the test writes: which pids run, with which start time.
final class FakeProcesses: ProcessTable {
    private let state: Mutex<(me: ProcessOwner?, running: [Int32: UInt64])>

    init(me: ProcessOwner?, running: [Int32: UInt64] = [:]) {
        var running = running
        if let me { running[me.pid] = me.startTime }
        state = Mutex((me, running))
    }

    func current() -> ProcessOwner? { state.withLock { $0.me } }
    func startTime(of pid: Int32) -> UInt64? { state.withLock { $0.running[pid] } }
    func end(_ pid: Int32) { _ = state.withLock { $0.running.removeValue(forKey: pid) } }
    func start(_ pid: Int32, at startTime: UInt64) { state.withLock { $0.running[pid] = startTime } }
}

/// What a sweep asked to revoke, and how each revoke is answered.
final class RevokeRecorder: Sendable {
    private let state = Mutex<(calls: [String], failures: [String: TursoAPIError])>(([], [:]))

    var calls: [String] { state.withLock { $0.calls } }
    func fail(_ name: String, with error: TursoAPIError) { state.withLock { $0.failures[name] = error } }

    func revoke(_ name: String) throws(TursoAPIError) {
        let failure = state.withLock { state in
            state.calls.append(name)
            return state.failures[name]
        }
        if let failure { throw failure }
    }
}

/// The record of ephemeral API tokens opened and not closed, and the sweep
/// that revokes those whose run was killed before Close.
@Suite("Open ephemeral token journal")
struct OpenEphemeralJournalTests {
    static let url = "http://127.0.0.1:1"
    static let token = "unit-test-api-token"
    static let now = UnixTime(seconds: 1_700_000_000)
    static let scope = "boot-1 pid:[4026531836]"
    /// The process that opened a token (the killed run's plugin).
    static let opener = ProcessOwner(pid: 4_100, startTime: 77_000, scope: scope)
    /// The process that sweeps (the next run's plugin).
    static let sweeper = ProcessOwner(pid: 4_200, startTime: 78_000, scope: scope)

    let home = FileManager.default.temporaryDirectory.appendingPathComponent("open-ephemeral-\(UUID().uuidString)")

    var directory: String { home.path + "/terraform-provider-turso/open-ephemeral" }

    /// A record written by `opener`, as its Open writes it.
    func opened(_ name: String, baseURL: String = url, apiToken: String = token, organization: String? = nil, at time: UnixTime = now) {
        OpenEphemeralJournal(directory: directory, processes: FakeProcesses(me: Self.opener))
            .record(baseURL: baseURL, organization: organization, name: name, apiToken: apiToken, now: time)
    }

    func sweep(
        _ processes: FakeProcesses, _ revokes: RevokeRecorder, baseURL: String = url, apiToken: String = token, now: UnixTime = now
    ) async -> OpenEphemeralJournal.SweepOutcome {
        await OpenEphemeralJournal(directory: directory, processes: processes)
            .sweep(baseURL: baseURL, apiToken: apiToken, now: now) { (name: String) throws(TursoAPIError) in try revokes.revoke(name) }
    }

    func files() -> [String] { (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] }

    @Test("A record holds the owner, base URL, organization and name, in a 0600 file of a 0700 folder, until forgotten")
    func recordAndForget() throws {
        defer { try? FileManager.default.removeItem(at: home) }
        let journal = try #require(OpenEphemeralJournal(environment: ["XDG_CONFIG_HOME": home.path], processes: FakeProcesses(me: Self.opener)))
        #expect(journal.directory == directory)
        let organization = "odd\\org\nwith a line feed"
        journal.record(baseURL: Self.url, organization: organization, name: "tf-ephemeral-00", apiToken: Self.token, now: Self.now)
        journal.record(baseURL: Self.url, organization: nil, name: "tf-ephemeral-01", apiToken: Self.token, now: Self.now)
        let records = journal.records().sorted { $0.name < $1.name }
        #expect(records.map(\.name) == ["tf-ephemeral-00", "tf-ephemeral-01"])
        #expect(records.map(\.organization) == [organization, nil])
        #expect(records.allSatisfy { $0.owner == Self.opener && $0.baseURL == Self.url && $0.written == Self.now })
        // The credentials are named by a fingerprint, never written out.
        #expect(records[0].credentials == OpenEphemeralJournal.credentialsFingerprint(Self.token))
        #expect(records[0].credentials != OpenEphemeralJournal.credentialsFingerprint(Self.token + "x"))
        for file in files() {
            let text = try String(contentsOfFile: directory + "/" + file, encoding: .utf8)
            #expect(!text.contains(Self.token))
            #expect(try FileManager.default.attributesOfItem(atPath: directory + "/" + file)[.posixPermissions] as? Int == 0o600)
        }
        #expect(try FileManager.default.attributesOfItem(atPath: directory)[.posixPermissions] as? Int == 0o700)
        journal.forget(baseURL: Self.url, name: "tf-ephemeral-00")
        #expect(journal.records().map(\.name) == ["tf-ephemeral-01"])
        #expect(files().count == 1)

        // Without /proc to name the owner nothing is written.
        OpenEphemeralJournal(directory: directory, processes: FakeProcesses(me: nil))
            .record(baseURL: Self.url, organization: nil, name: "tf-ephemeral-02", apiToken: Self.token, now: Self.now)
        #expect(files().count == 1)
        #expect(OpenEphemeralJournal(environment: [:]) == nil)
    }

    @Test("A record whose owner still runs is never touched, however old")
    func liveOwnerUntouched() async throws {
        defer { try? FileManager.default.removeItem(at: home) }
        opened("tf-ephemeral-live")
        opened("tf-ephemeral-live-old", at: UnixTime(seconds: Self.now.seconds - OpenEphemeralJournal.maxAge - 100))
        let processes = FakeProcesses(me: Self.sweeper, running: [Self.opener.pid: Self.opener.startTime])
        let revokes = RevokeRecorder()
        let outcome = await sweep(processes, revokes)
        #expect(revokes.calls.isEmpty)
        #expect(outcome.diagnostics.isEmpty && outcome.revoked.isEmpty && outcome.dropped.isEmpty)
        #expect(files().count == 2)
        // The sweeping process's own open tokens too.
        let own = await OpenEphemeralJournal(directory: directory, processes: FakeProcesses(me: Self.opener))
            .sweep(baseURL: Self.url, apiToken: Self.token, now: Self.now) { (name: String) throws(TursoAPIError) in try revokes.revoke(name) }
        #expect(revokes.calls.isEmpty && own.revoked.isEmpty)
    }

    @Test("A record whose owner has ended is revoked by name and removed; a 404 counts as revoked")
    func deadOwnerRevoked() async throws {
        defer { try? FileManager.default.removeItem(at: home) }
        opened("tf-ephemeral-dead")
        opened("tf-ephemeral-gone")
        let processes = FakeProcesses(me: Self.sweeper)
        let revokes = RevokeRecorder()
        revokes.fail("tf-ephemeral-gone", with: TursoAPIError(kind: .notFound, summary: "Not found", detail: "no such token"))
        let outcome = await sweep(processes, revokes)
        #expect(revokes.calls.sorted() == ["tf-ephemeral-dead", "tf-ephemeral-gone"])
        #expect(outcome.revoked.sorted() == ["tf-ephemeral-dead", "tf-ephemeral-gone"])
        #expect(outcome.diagnostics.isEmpty, "\(outcome.diagnostics)")
        #expect(files().isEmpty)
        // Nothing left: a second sweep asks nothing.
        _ = await sweep(processes, revokes)
        #expect(revokes.calls.count == 2)
    }

    @Test("A pid now used by another process (another start time) is a dead owner; a zombie too")
    func reusedPid() async throws {
        defer { try? FileManager.default.removeItem(at: home) }
        opened("tf-ephemeral-reused")
        let processes = FakeProcesses(me: Self.sweeper, running: [Self.opener.pid: Self.opener.startTime + 1])
        let revokes = RevokeRecorder()
        let outcome = await sweep(processes, revokes)
        #expect(revokes.calls == ["tf-ephemeral-reused"])
        #expect(outcome.revoked == ["tf-ephemeral-reused"])
        #expect(files().isEmpty)

        #expect(ProcFSProcessTable.startTime(stat: "4100 (a) b) c) S 1 4100 4100 0 -1 4194560 1 2 3 4 5 6 7 8 20 0 1 0 77000 1 2") == 77_000)
        #expect(ProcFSProcessTable.startTime(stat: "4100 (terraform-provider) Z 1 4100 4100 0 -1 4194560 1 2 3 4 5 6 7 8 20 0 1 0 77000 1 2") == nil)
        #expect(ProcFSProcessTable.startTime(stat: "4100 (short) S 1") == nil)
    }

    @Test("The real process table names this process, running, and no process for an impossible pid")
    func realProcessTable() throws {
        let table = ProcFSProcessTable()
        let me = try #require(table.current())
        #expect(me.pid == getpid())
        #expect(table.startTime(of: me.pid) == me.startTime)
        #expect(me.scope.contains("pid:["), "\(me.scope)")
        #expect(table.startTime(of: Int32.max) == nil)
        #expect(table.startTime(of: 0) == nil && table.startTime(of: -1) == nil)
    }

    @Test("A failed revoke keeps the record for the next sweep, with a warning naming the token escaped")
    func revokeFailureKeepsRecord() async throws {
        defer { try? FileManager.default.removeItem(at: home) }
        let name = "tf-ephemeral-\u{1B}[2J"
        opened(name, organization: "acme")
        let processes = FakeProcesses(me: Self.sweeper)
        let revokes = RevokeRecorder()
        revokes.fail(name, with: TursoAPIError(kind: .server, summary: "Turso API server error", detail: "HTTP 500: down."))
        let outcome = await sweep(processes, revokes)
        #expect(revokes.calls == [name])
        #expect(outcome.revoked.isEmpty)
        let warning = try #require(outcome.diagnostics.first)
        #expect(outcome.diagnostics.count == 1)
        #expect(warning.severity == .warning)
        #expect(warning.summary == "Ephemeral API token of an interrupted run not revoked yet")
        #expect(warning.detail.contains("tf-ephemeral-\\u{1B}[2J") && !warning.detail.contains("\u{1B}"), "\(warning.detail)")
        #expect(warning.detail.contains("acme") && warning.detail.contains("HTTP 500"))
        #expect(!warning.detail.contains(Self.token))
        #expect(files().count == 1)

        // Next time Turso answers: revoked and removed.
        let again = RevokeRecorder()
        let retried = await sweep(processes, again)
        #expect(again.calls == [name] && retried.revoked == [name] && retried.diagnostics.isEmpty)
        #expect(files().isEmpty)
    }

    @Test("Records of another base URL or other credentials are left to the runs that have them")
    func foreignRecordsUntouched() async throws {
        defer { try? FileManager.default.removeItem(at: home) }
        opened("tf-ephemeral-elsewhere", baseURL: "https://api.turso.tech")
        opened("tf-ephemeral-other-account", apiToken: "another-account-token")
        let processes = FakeProcesses(me: Self.sweeper)
        let revokes = RevokeRecorder()
        let outcome = await sweep(processes, revokes)
        #expect(revokes.calls.isEmpty && outcome.diagnostics.isEmpty)
        #expect(files().count == 2)
        let elsewhere = await sweep(processes, revokes, baseURL: "https://api.turso.tech")
        #expect(revokes.calls == ["tf-ephemeral-elsewhere"] && elsewhere.revoked == ["tf-ephemeral-elsewhere"])
        #expect(files().count == 1)
    }

    @Test("An owner from another boot or pid namespace cannot be judged: left alone until the record is stale")
    func otherScopeUntouched() async throws {
        defer { try? FileManager.default.removeItem(at: home) }
        opened("tf-ephemeral-other-machine")
        let elsewhere = FakeProcesses(me: ProcessOwner(pid: 4_200, startTime: 1, scope: "boot-2 pid:[4026531836]"))
        let revokes = RevokeRecorder()
        let outcome = await sweep(elsewhere, revokes)
        #expect(revokes.calls.isEmpty && outcome.diagnostics.isEmpty)
        #expect(files().count == 1)
        // Without /proc this process cannot judge any owner either.
        _ = await sweep(FakeProcesses(me: nil), revokes)
        #expect(revokes.calls.isEmpty && files().count == 1)
    }

    @Test("A record older than the bound is dropped without revoking, with a warning naming the token")
    func staleRecordDropped() async throws {
        defer { try? FileManager.default.removeItem(at: home) }
        let old = UnixTime(seconds: Self.now.seconds - OpenEphemeralJournal.maxAge - 1)
        opened("tf-ephemeral-stale", at: old)
        opened("tf-ephemeral-stale-elsewhere", baseURL: "https://api.turso.tech", at: old)
        opened("tf-ephemeral-just-in-time", at: UnixTime(seconds: Self.now.seconds - OpenEphemeralJournal.maxAge))
        let processes = FakeProcesses(me: Self.sweeper)
        let revokes = RevokeRecorder()
        let outcome = await sweep(processes, revokes)
        #expect(revokes.calls == ["tf-ephemeral-just-in-time"])
        #expect(outcome.dropped.sorted() == ["tf-ephemeral-stale", "tf-ephemeral-stale-elsewhere"])
        #expect(outcome.diagnostics.count == 2)
        #expect(outcome.diagnostics.allSatisfy { $0.severity == .warning && $0.summary == "Record of an ephemeral API token dropped" })
        #expect(outcome.diagnostics.contains { $0.detail.contains("\"tf-ephemeral-stale\"") && $0.detail.contains("7 days") })
        #expect(files().isEmpty)
    }

    @Test("Files that are not whole records are kept while recent and removed once stale; a record filed under another name is not read")
    func unreadableFiles() async throws {
        defer { try? FileManager.default.removeItem(at: home) }
        opened("tf-ephemeral-real")
        let real = try #require(files().first)
        try Data("terraform-provider-turso open-ephemeral-token 1\n17".utf8).write(to: URL(fileURLWithPath: directory + "/half"))
        // A valid record copied under another file name (its name and base URL are checked against the file's).
        try FileManager.default.copyItem(atPath: directory + "/" + real, toPath: directory + "/0123456789abcdef0123456789abcdef")
        let journal = OpenEphemeralJournal(directory: directory, processes: FakeProcesses(me: Self.sweeper))
        #expect(journal.records().map(\.name) == ["tf-ephemeral-real"])
        let revokes = RevokeRecorder()
        let wallClock = UnixTime(seconds: Int64(Date().timeIntervalSince1970))
        _ = await sweep(FakeProcesses(me: Self.sweeper, running: [Self.opener.pid: Self.opener.startTime]), revokes, now: wallClock)
        #expect(files().count == 3)
        let later = UnixTime(seconds: wallClock.seconds + OpenEphemeralJournal.maxAge + 60)
        _ = await sweep(FakeProcesses(me: Self.sweeper, running: [Self.opener.pid: Self.opener.startTime]), revokes, now: later)
        #expect(files() == [real])
        #expect(revokes.calls.isEmpty)
    }
}

/// The journal as `ephemeral "turso_api_token"` keeps it, against the
/// emulator over HTTP.
@Suite("Ephemeral API token journal through the resource")
struct EphemeralAPITokenJournalTests {
    let home = FileManager.default.temporaryDirectory.appendingPathComponent("eph-journal-\(UUID().uuidString)")
    var environment: [String: String] { ["XDG_CONFIG_HOME": home.path] }
    var directory: String { home.path + "/terraform-provider-turso/open-ephemeral" }

    func records() -> [OpenEphemeralJournal.Record] {
        OpenEphemeralJournal(directory: directory, processes: ProcFSProcessTable()).records()
    }

    static func open(_ harness: ConfiguredProvider, prefix: String = "unit-") async -> OpenEphemeralResourceResponse {
        await EphemeralTokenTests.ephemeral(harness, EphemeralAPITokenResource.self)
            .open(OpenEphemeralResourceRequest(typeName: "turso_api_token", config: EphemeralTokenTests.apiConfig(prefix: prefix)))
    }

    static func close(_ harness: ConfiguredProvider, _ opened: OpenEphemeralResourceResponse) async -> [Diagnostic] {
        await EphemeralTokenTests.ephemeral(harness, EphemeralAPITokenResource.self)
            .close(CloseEphemeralResourceRequest(typeName: "turso_api_token", private: opened.private))
    }

    @Test("Open records the token under this process before creating it; Close removes the record once revoked")
    func openRecordsCloseForgets() async throws {
        defer { try? FileManager.default.removeItem(at: home) }
        let harness = try await ConfiguredProvider(environment: environment)
        let opened = await Self.open(harness)
        #expect(opened.diagnostics.isEmpty, "\(opened.diagnostics)")
        let name = try #require(opened.result[attribute: "name"].stringValue)
        let record = try #require(records().first)
        #expect(records().count == 1)
        #expect(record.name == name && record.baseURL == harness.emulator.baseURL && record.owner == ProcFSProcessTable().current())
        #expect(record.written == ConfiguredProvider.start)
        #expect(record.credentials == OpenEphemeralJournal.credentialsFingerprint(emulatorAdminToken))

        // A Close whose revoke fails keeps it, and says a later run retries.
        try harness.emulator.addFault(Fault(method: "DELETE", count: 1, status: 400, error: "refused"))
        let failed = await Self.close(harness, opened)
        #expect(failed.map(\.summary) == ["Ephemeral API token not revoked"])
        #expect(failed.first?.detail.contains("stays recorded") == true, "\(failed)")
        #expect(records().map(\.name) == [name])
        #expect(await Self.close(harness, opened).isEmpty)
        #expect(records().isEmpty)
    }

    @Test("An Open that fails before anything was created, or revokes what it made, leaves no record")
    func failedOpenForgets() async throws {
        defer { try? FileManager.default.removeItem(at: home) }
        let harness = try await ConfiguredProvider(environment: environment)
        try harness.emulator.addFault(Fault(method: "POST", count: 1, status: 400, error: "bad request"))
        let refused = await Self.open(harness)
        #expect(refused.diagnostics.hasErrors)
        #expect(records().isEmpty)
        try harness.emulator.addFault(Fault(method: "POST", count: 1, process: true, drop: true))
        let lost = await Self.open(harness)
        #expect(lost.diagnostics.map(\.summary).contains("Ephemeral API token revoked again"), "\(lost.diagnostics)")
        #expect(records().isEmpty)
    }

    @Test("The first Open of a configuration revokes the token of a record whose owner has ended, and not the live ones")
    func openSweeps() async throws {
        defer { try? FileManager.default.removeItem(at: home) }
        let harness = try await ConfiguredProvider(environment: environment)
        let client = TursoClient(baseURL: harness.emulator.baseURL, apiToken: emulatorAdminToken, userAgent: "test")
        let me = try #require(ProcFSProcessTable().current())
        // Tokens in Turso whose opener is gone (a pid beyond pid_max), and one whose opener runs (this process).
        for (name, owner) in [("killed-run-1", ProcessOwner(pid: Int32.max, startTime: 1, scope: me.scope)), ("live-run-1", me)] {
            _ = try await client.createToken(name: name, organization: nil, group: nil, scopes: nil)
            OpenEphemeralJournal(directory: directory, processes: FakeProcesses(me: owner))
                .record(baseURL: harness.emulator.baseURL, organization: nil, name: name, apiToken: emulatorAdminToken, now: ConfiguredProvider.start)
        }
        let opened = await Self.open(harness)
        #expect(opened.diagnostics.isEmpty, "\(opened.diagnostics)")
        let name = try #require(opened.result[attribute: "name"].stringValue)
        let listed = try await EphemeralTokenTests.listed(harness)
        #expect(!listed.contains("killed-run-1") && listed.contains("live-run-1") && listed.contains(name), "\(listed)")
        #expect(Set(records().map(\.name)) == ["live-run-1", name])

        // Once per configuration: a second Open does not sweep again.
        let killed = ProcessOwner(pid: Int32.max, startTime: 1, scope: me.scope)
        _ = try await client.createToken(name: "killed-run-2", organization: nil, group: nil, scopes: nil)
        OpenEphemeralJournal(directory: directory, processes: FakeProcesses(me: killed))
            .record(baseURL: harness.emulator.baseURL, organization: nil, name: "killed-run-2", apiToken: emulatorAdminToken, now: ConfiguredProvider.start)
        let second = await Self.open(harness)
        #expect(second.diagnostics.isEmpty)
        #expect(try await EphemeralTokenTests.listed(harness).contains("killed-run-2"))

        // A sweep whose revoke fails only warns; the Open succeeds.
        _ = await harness.provider.configure(ConfigureProviderRequest(terraformVersion: "1.15.5", config: .object(type: harness.provider.schema.impliedType, [
            "api_token": .string(emulatorAdminToken), "base_url": .string(harness.emulator.baseURL),
            "private_state_key": .string(ConfiguredProvider.privateStateKey), "private_state_previous_keys": .null(.list(.string)),
        ])))
        try harness.emulator.addFault(Fault(method: "DELETE", tokenName: "killed-run-2", status: 403, error: "forbidden"))
        let third = await Self.open(harness)
        #expect(third.result[attribute: "token"].stringValue?.isEmpty == false)
        #expect(third.diagnostics.map(\.severity) == [.warning], "\(third.diagnostics)")
        #expect(third.diagnostics.first?.detail.contains("killed-run-2") == true)
        #expect(records().contains { $0.name == "killed-run-2" })
    }
}
