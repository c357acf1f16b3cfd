import Testing
import TerraformPlugin
import TursoEmulator
@testable import TursoProvider

/// A create cancelled inside a provider call: what happens depends on who
/// cancelled it (`CallCancellation`). StopProvider: Terraform still waits for
/// the answer, so the create already sent is awaited. The client gone: nobody
/// can receive the token, so the transfer is aborted at once and nothing more
/// is sent.
@Suite("Turso client: a create cancelled by StopProvider or by its client going away")
struct CreateCancellationReasonTests {
    /// Runs a create of `name` as a provider call would, cancels it for
    /// `reason` once the emulator holds the create, and returns its outcome.
    private static func cancelledCreate(
        _ client: TursoClient, _ emulator: TursoAPIEmulator, name: String, reason: CallCancellation.Reason
    ) async throws -> Result<CreatedAPIToken, TursoAPIError> {
        let cancellation = CallCancellation()
        let task = Task { () -> Result<CreatedAPIToken, TursoAPIError> in
            await cancellation.bind {
                do throws(TursoAPIError) {
                    return .success(try await client.createToken(name: name))
                } catch {
                    return .failure(error)
                }
            }
        }
        for _ in 0..<2_000 where emulator.receivedRequests < 1 {
            try await Task.sleep(for: .milliseconds(10))
        }
        try #require(emulator.receivedRequests >= 1, "the create never reached the emulator")
        cancellation.record(reason)
        task.cancel()
        return await task.value
    }

    @Test("StopProvider: the create under way is awaited, and its token returned")
    func stopProviderAwaits() async throws {
        let emulator = try startedEmulator()
        defer { emulator.stop() }
        let client = client(of: emulator)
        try emulator.addFault(Fault(method: "POST", count: 1, delayMilliseconds: 1_000))
        let created = try await Self.cancelledCreate(client, emulator, name: "stopped", reason: .stopProvider).get()
        #expect(created.name == "stopped")
        #expect(try await client.token(named: "stopped")?.id == created.id)
    }

    @Test("The client gone: the transfer is aborted at once, with no grace wait and no check listing", .timeLimit(.minutes(2)))
    func callerGoneAborts() async throws {
        let emulator = try startedEmulator()
        defer { emulator.stop() }
        // Nothing but the abort ends this create: the answer, the request
        // timeout and the grace period are all ten minutes away.
        let client = client(of: emulator) {
            $0.stopGracePeriod = .seconds(600)
            $0.requestTimeout = .seconds(600)
        }
        try emulator.addFault(Fault(method: "POST", count: 1, delayMilliseconds: 600_000))
        let outcome = try await Self.cancelledCreate(client, emulator, name: "abandoned", reason: .callerGone)
        guard case .failure(let error) = outcome else {
            Issue.record("the create succeeded: \(outcome)")
            return
        }
        // It may have reached Turso: said so, naming the token.
        #expect(error.kind == .createOutcomeUnknown, "\(error)")
        // No listing went out after the cancellation (the emulator logs a
        // request when it answers, so the held create is not listed either).
        #expect(emulator.requestLog().isEmpty, "\(emulator.requestLog().map { "\($0.method) \($0.path)" })")
    }
}
