import Foundation
import Testing
import TursoEmulator
@testable import TursoProvider

@Suite("Turso client: retries and creates that may have happened")
struct TursoClientRetryTests {
    @Test("429 with Retry-After in seconds is retried after exactly that wait, to success")
    func rateLimitedSeconds() async throws {
        let emulator = try startedEmulator()
        let recorder = SleepRecorder()
        let client = client(of: emulator, recorder: recorder)
        try emulator.addFault(Fault(method: "GET", count: 2, status: 429, retryAfter: "2", error: "too many requests"))
        #expect(try await client.listTokens().isEmpty)
        #expect(recorder.sleeps == [.seconds(2), .seconds(2)])
        #expect(emulator.loggedCalls == [
            "GET /v1/auth/api-tokens 429", "GET /v1/auth/api-tokens 429", "GET /v1/auth/api-tokens 200",
        ])
    }

    @Test("429 with Retry-After as an HTTP-date waits until that date")
    func rateLimitedDate() async throws {
        let emulator = try startedEmulator()
        let recorder = SleepRecorder()
        // Sun, 06 Nov 1994 08:49:37 GMT is 784111777; the clock stands 7 s before it.
        let client = client(of: emulator, recorder: recorder) { $0.clock = ManualClock(UnixTime(seconds: 784_111_770)) }
        try emulator.addFault(Fault(method: "GET", count: 1, status: 429, retryAfter: "Sun, 06 Nov 1994 08:49:37 GMT"))
        _ = try await client.listTokens()
        #expect(recorder.sleeps == [.seconds(7)])
    }

    @Test("A Retry-After beyond the cap waits only the cap")
    func retryAfterCapped() async throws {
        let emulator = try startedEmulator()
        let recorder = SleepRecorder()
        let client = client(of: emulator, recorder: recorder) { $0.retry.maxRetryAfter = .seconds(30) }
        try emulator.addFault(Fault(method: "GET", count: 1, status: 429, retryAfter: "3600"))
        _ = try await client.listTokens()
        #expect(recorder.sleeps == [.seconds(30)])
    }

    @Test("503 without Retry-After is retried with exponential backoff and jitter, to success")
    func serviceUnavailable() async throws {
        let emulator = try startedEmulator()
        let recorder = SleepRecorder()
        let client = client(of: emulator, recorder: recorder)
        try emulator.addFault(Fault(method: "POST", count: 2, status: 503, error: "overloaded"))
        let created = try await client.createToken(name: "after-503")
        #expect(created.name == "after-503")
        // Jitter 0.5 of the upper half: 500 ms -> 375 ms, 1 s -> 750 ms.
        #expect(recorder.sleeps == [.milliseconds(375), .milliseconds(750)])
        // A 503 should mean nothing was done, but a create is never assumed:
        // each is checked with a listing before it is sent again.
        #expect(emulator.loggedCalls == [
            "POST /v1/auth/api-tokens/after-503 503", "GET /v1/auth/api-tokens 200",
            "POST /v1/auth/api-tokens/after-503 503", "GET /v1/auth/api-tokens 200",
            "POST /v1/auth/api-tokens/after-503 200",
        ])
    }

    @Test("Backoff jitter follows the random source, and the delay stops doubling at its ceiling")
    func backoffShape() {
        let policy = RetryPolicy(initialDelay: .seconds(1), maxDelay: .seconds(4))
        #expect(policy.delay(afterAttempt: 1, retryAfter: nil, random: 0) == .milliseconds(500))
        #expect(policy.delay(afterAttempt: 1, retryAfter: nil, random: 0.999) == .milliseconds(999.5))
        #expect(policy.delay(afterAttempt: 3, retryAfter: nil, random: 0) == .seconds(2))
        #expect(policy.delay(afterAttempt: 9, retryAfter: nil, random: 1) == .seconds(4))
        #expect(policy.delay(afterAttempt: 2, retryAfter: .seconds(3), random: 0.7) == .seconds(3))
    }

    @Test("Retry-After parses delay-seconds and IMF-fixdate, and ignores anything else")
    func retryAfterParsing() {
        let now = UnixTime(seconds: 784_111_700)
        #expect(RetryAfter.parse("120", now: now) == .seconds(120))
        #expect(RetryAfter.parse(" 0 ", now: now) == .zero)
        #expect(RetryAfter.parse("Sun, 06 Nov 1994 08:49:37 GMT", now: now) == .seconds(77))
        #expect(RetryAfter.parse("Sun, 06 Nov 1994 08:49:37 GMT", now: UnixTime(seconds: 784_200_000)) == .zero)
        #expect(RetryAfter.parse("Thu, 01 Jan 2026 00:00:00 GMT", now: UnixTime(seconds: 1_767_225_590)) == .seconds(10))
        #expect(RetryAfter.parse("-5", now: now) == nil)
        #expect(RetryAfter.parse("soon", now: now) == nil)
        #expect(RetryAfter.parse("Sunday, 06-Nov-94 08:49:37 GMT", now: now) == nil)
    }

    @Test("Retries stop at the attempt limit and report the last answer with the attempt count")
    func attemptsExhausted() async throws {
        let emulator = try startedEmulator()
        let recorder = SleepRecorder()
        let client = client(of: emulator, recorder: recorder) { $0.retry.maxAttempts = 3 }
        try emulator.addFault(Fault(method: "GET", status: 503, error: "down for maintenance"))
        let error = try #require(await apiError { _ = try await client.listTokens() })
        #expect(error.kind == .server)
        #expect(error.statusCode == 503)
        #expect(error.detail.contains("after 3 attempts"))
        #expect(error.detail.contains("down for maintenance"))
        #expect(recorder.sleeps.count == 2)
        #expect(emulator.requestLog().count == 3)
    }

    @Test("Retries stop when the next wait would pass the total wait budget")
    func totalDelayBudget() async throws {
        let emulator = try startedEmulator()
        let recorder = SleepRecorder()
        let client = client(of: emulator, recorder: recorder) { $0.retry.maxTotalDelay = .seconds(5) }
        try emulator.addFault(Fault(method: "GET", status: 429, retryAfter: "3"))
        let error = try #require(await apiError { _ = try await client.listTokens() })
        #expect(error.kind == .rateLimited)
        #expect(error.detail.contains("2 time(s)"))
        #expect(recorder.sleeps == [.seconds(3)])
    }

    @Test("502 and 504 on reads are retried; a 500 on a read is not")
    func gatewayErrorsOnReads() async throws {
        let emulator = try startedEmulator()
        let recorder = SleepRecorder()
        let client = client(of: emulator, recorder: recorder)
        try emulator.addFault(Fault(method: "GET", count: 1, status: 502))
        try emulator.addFault(Fault(method: "GET", count: 1, status: 504))
        _ = try await client.listTokens()
        #expect(emulator.requestLog().map(\.status) == [502, 504, 200])
    }

    @Test("A create whose answer was lost after Turso made the token fails as created-but-value-lost, without a second create")
    func createdButValueLost() async throws {
        let emulator = try startedEmulator()
        let client = client(of: emulator)
        try emulator.addFault(Fault(method: "POST", count: 1, process: true, drop: true))
        let error = try #require(await apiError { _ = try await client.createToken(name: "lost") })
        #expect(error.kind == .createdButValueLost)
        #expect(error.summary == "API token \"lost\" was created but its value was lost")
        #expect(emulator.loggedCalls == ["POST /v1/auth/api-tokens/lost -", "GET /v1/auth/api-tokens 200"])
        let listed = try #require(try await client.token(named: "lost"))
        // The error carries the token, so the caller can keep it in state.
        #expect(error.lostToken == listed)
        #expect(error.detail.contains("(id \(listed.id))"))
    }

    @Test("A create answered 500 after Turso made the token fails as created-but-value-lost")
    func createdThen500() async throws {
        let emulator = try startedEmulator()
        let client = client(of: emulator)
        try emulator.addFault(Fault(method: "POST", count: 1, process: true, status: 500, error: "oops"))
        let error = try #require(await apiError { _ = try await client.createToken(name: "half") })
        #expect(error.kind == .createdButValueLost)
        #expect(error.detail.contains("Turso answered 500: oops"))
        #expect(emulator.loggedCalls == ["POST /v1/auth/api-tokens/half 500", "GET /v1/auth/api-tokens 200"])
    }

    @Test("A create cut off before Turso acted is checked, then sent again, to success")
    func ambiguousButNotCreated() async throws {
        let emulator = try startedEmulator()
        let recorder = SleepRecorder()
        let client = client(of: emulator, recorder: recorder)
        try emulator.addFault(Fault(method: "POST", count: 1, drop: true))
        try emulator.addFault(Fault(method: "POST", count: 1, status: 502))
        let created = try await client.createToken(name: "second-try", organization: "my-org")
        #expect(created.name == "second-try")
        #expect(emulator.loggedCalls == [
            "POST /v1/auth/api-tokens/second-try -", "GET /v1/auth/api-tokens 200",
            "POST /v1/auth/api-tokens/second-try 502", "GET /v1/auth/api-tokens 200",
            "POST /v1/auth/api-tokens/second-try 200",
        ])
        #expect(recorder.sleeps.count == 2)
        #expect(try await client.token(named: "second-try")?.organization == "my-org")
    }

    @Test("When the check after a cut-off create fails too, the error says the token may exist")
    func createOutcomeUnknown() async throws {
        let emulator = try startedEmulator()
        let client = client(of: emulator)
        try emulator.addFault(Fault(method: "POST", count: 1, drop: true))
        try emulator.addFault(Fault(method: "GET", status: 403, error: "no listing for you"))
        let error = try #require(await apiError { _ = try await client.createToken(name: "unsure") })
        #expect(error.kind == .createOutcomeUnknown)
        #expect(error.mayHaveCreated)
        #expect(error.lostToken == nil)
        #expect(error.summary == "API token \"unsure\" may have been created, with its value lost")
        #expect(error.detail.contains("listing the tokens to check failed as well"))
        #expect(error.detail.contains("no listing for you"))
    }

    @Test("A 409 after an unclear attempt is decided by looking: a listed token is created-but-value-lost")
    func conflictAfterAmbiguousAttempt() async throws {
        let emulator = try startedEmulator()
        let client = client(of: emulator)
        try emulator.addFault(Fault(method: "POST", count: 1, status: 504))
        // As if the first attempt landed after the check: the token appears, and the retry finds the name taken.
        try emulator.addFault(Fault(method: "POST", count: 1, process: true, status: 409, error: "a token with the name late already exists"))
        let error = try #require(await apiError { _ = try await client.createToken(name: "late") })
        #expect(error.kind == .createdButValueLost)
        #expect(error.lostToken?.name == "late")
        #expect(error.detail.contains("found the name taken"))
    }

    @Test("A 409 after an unclear attempt with no token listed is the plain 409, not a guess")
    func conflictAfterAmbiguousAttemptNotListed() async throws {
        let emulator = try startedEmulator()
        let client = client(of: emulator)
        try emulator.addFault(Fault(method: "POST", count: 1, status: 504))
        try emulator.addFault(Fault(method: "POST", count: 1, status: 409, error: "a token with the name late already exists"))
        let error = try #require(await apiError { _ = try await client.createToken(name: "late") })
        #expect(error.kind == .alreadyExists)
        #expect(error.summary == "An API token named \"late\" already exists")
        #expect(emulator.loggedCalls.filter { $0.hasPrefix("GET") }.count == 2, "checked after the 504 and after the 409")
    }

    @Test("A revoke whose answer was lost after it took effect succeeds on the retry's 404")
    func revokeAnswerLost() async throws {
        let emulator = try startedEmulator()
        let client = client(of: emulator)
        _ = try await client.createToken(name: "revoked-twice")
        emulator.clearRequestLog()
        try emulator.addFault(Fault(method: "DELETE", count: 1, process: true, drop: true))
        try await client.revokeToken(name: "revoked-twice")
        #expect(emulator.loggedCalls == ["DELETE /v1/auth/api-tokens/revoked-twice -", "DELETE /v1/auth/api-tokens/revoked-twice 404"])
    }
}
