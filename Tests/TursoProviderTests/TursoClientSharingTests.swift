import Foundation
import Testing
import TursoEmulator
import TursoProvider

@Suite("Turso client: shared listings and cancellation")
struct TursoClientSharingTests {
    @Test("1000 concurrent lookups cost at most a handful of list requests")
    func concurrentLookups() async throws {
        let emulator = try startedEmulator()
        let client = client(of: emulator)
        for index in 0..<20 { _ = try await client.createToken(name: "token-\(index)") }
        emulator.clearRequestLog()
        // Slow listings, so that the lookups really overlap.
        try emulator.addFault(Fault(method: "GET", delayMilliseconds: 100))
        let found = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<1000 {
                group.addTask { try await client.token(named: "token-\(index % 25)") != nil }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(found == 800)
        let lists = emulator.requestLog().filter { $0.method == "GET" }
        #expect((1...3).contains(lists.count), "\(lists.count) list requests")
    }

    @Test("A listing is reused for later lookups, and a create or revoke makes the next lookup list again")
    func reuseAndInvalidation() async throws {
        let emulator = try startedEmulator()
        let client = client(of: emulator)
        #expect(try await client.token(named: "new") == nil)
        #expect(try await client.token(named: "other") == nil)
        #expect(emulator.loggedCalls == ["GET /v1/auth/api-tokens 200"])

        _ = try await client.createToken(name: "new")
        #expect(try await client.token(named: "new") != nil)
        try await client.revokeToken(name: "new")
        #expect(try await client.token(named: "new") == nil)
        #expect(emulator.requestLog().filter { $0.method == "GET" }.count == 3)
    }

    @Test("A kept listing expires after its lifetime")
    func lifetime() async throws {
        let emulator = try startedEmulator()
        let client = client(of: emulator) { $0.listCacheLifetime = .milliseconds(50) }
        _ = try await client.listTokens()
        try await Task.sleep(for: .milliseconds(120))
        _ = try await client.listTokens()
        #expect(emulator.requestLog().count == 2)
    }

    @Test("Organization listings are kept apart from the user's listing")
    func scopesApart() async throws {
        let emulator = try startedEmulator()
        let client = client(of: emulator)
        _ = try await client.createToken(name: "org-token", organization: "my-org")
        _ = try await client.createToken(name: "user-token")
        #expect(try await client.listTokens().count == 2)
        #expect(try await client.listTokens(organization: "my-org").map(\.name) == ["org-token"])
        #expect(try await client.listTokens().count == 2)
        #expect(emulator.requestLog().filter { $0.method == "GET" }.count == 2)
    }

    @Test("A failed listing is not kept: the next lookup asks again")
    func errorsNotKept() async throws {
        let emulator = try startedEmulator()
        let client = client(of: emulator)
        try emulator.addFault(Fault(method: "GET", count: 1, status: 500, error: "transient"))
        let error = await apiError { _ = try await client.listTokens() }
        #expect(error?.kind == .server)
        #expect(try await client.listTokens().isEmpty)
        #expect(emulator.requestLog().map(\.status) == [500, 200])
    }

    // No elapsed-time bound (these machines are noisy): the answer is held
    // back far longer than the client's 10 s request timeout, so only a
    // cancellation can end the call with `.cancelled`; without one it would
    // end in a timeout, a transport error.
    @Test("Cancelling a call aborts its request, long before the answer or the timeout")
    func cancellationAbortsRequest() async throws {
        let emulator = try startedEmulator()
        let client = client(of: emulator)
        try emulator.addFault(Fault(method: "GET", delayMilliseconds: 600_000))
        let call = Task { try await client.listTokens() }
        try await Task.sleep(for: .milliseconds(200))
        call.cancel()
        let error = await apiError { _ = try await call.value }
        #expect(error?.kind == .cancelled)
        #expect(error?.detail.contains("asked the provider to stop") == true)
    }

    @Test("Cancelling a create aborts it, and a later call on the same client still works")
    func cancellationOfCreate() async throws {
        let emulator = try startedEmulator()
        let client = client(of: emulator)
        // Held back past the request timeout: only cancellation gives `.cancelled`.
        try emulator.addFault(Fault(method: "POST", count: 1, delayMilliseconds: 600_000))
        let call = Task { try await client.createToken(name: "slow") }
        try await Task.sleep(for: .milliseconds(200))
        call.cancel()
        let error = await apiError { _ = try await call.value }
        #expect(error?.kind == .cancelled)
        #expect(try await client.createToken(name: "fast").name == "fast")
    }

    @Test("Cancelling one waiter of a shared listing leaves the others their answer")
    func cancelOneWaiter() async throws {
        let emulator = try startedEmulator()
        let client = client(of: emulator)
        try emulator.addFault(Fault(method: "GET", count: 1, delayMilliseconds: 500))
        let patient = Task { try await client.listTokens() }
        let impatient = Task { try await client.listTokens() }
        try await Task.sleep(for: .milliseconds(100))
        impatient.cancel()
        let error = await apiError { _ = try await impatient.value }
        #expect(error?.kind == .cancelled)
        #expect(try await patient.value.isEmpty)
        #expect(emulator.requestLog().count == 1)
    }

    @Test("Cancellation during a backoff wait ends the call")
    func cancellationDuringBackoff() async throws {
        let emulator = try startedEmulator()
        // Real sleeps here: the wait itself must be cancelled.
        let client = client(of: emulator) { $0.sleep = { try await Task.sleep(for: $0) } }
        // Every answer is a 429 asking for 30 s: without cancellation the
        // call would end, much later, as rate limited, not as cancelled.
        try emulator.addFault(Fault(method: "GET", status: 429, retryAfter: "30"))
        let call = Task { try await client.listTokens() }
        try await Task.sleep(for: .milliseconds(300))
        call.cancel()
        let error = await apiError { _ = try await call.value }
        #expect(error?.kind == .cancelled)
    }
}
