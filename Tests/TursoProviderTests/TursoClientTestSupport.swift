import Foundation
import Synchronization
import Testing
import TursoEmulator
@testable import TursoProvider

/// The waits a client asked for, recorded instead of slept.
final class SleepRecorder: Sendable {
    private let recorded = Mutex<[Duration]>([])

    var sleeps: [Duration] { recorded.withLock { $0 } }

    /// Records the wait and returns at once; still honours cancellation like Task.sleep.
    func sleep(_ duration: Duration) async throws {
        recorded.withLock { $0.append(duration) }
        try Task.checkCancellation()
    }
}

/// A client of `emulator` whose waits are recorded, not slept, with jitter fixed at the middle.
func client(
    of emulator: TursoAPIEmulator, token: String = emulatorAdminToken, recorder: SleepRecorder = SleepRecorder(),
    configure: (inout TursoClient.Options) -> Void = { _ in }
) -> TursoClient {
    var options = TursoClient.Options()
    options.sleep = { try await recorder.sleep($0) }
    options.random = { 0.5 }
    options.connectTimeout = .seconds(5)
    options.requestTimeout = .seconds(10)
    configure(&options)
    return TursoClient(baseURL: emulator.baseURL, apiToken: token, userAgent: "terraform-provider-turso/test", options: options)
}

/// The error a call threw, failing the test when it did not throw a TursoAPIError.
func apiError(_ call: () async throws -> Void) async -> TursoAPIError? {
    do {
        try await call()
        Issue.record("expected a TursoAPIError")
        return nil
    } catch let error as TursoAPIError {
        return error
    } catch {
        Issue.record("expected a TursoAPIError, got \(error)")
        return nil
    }
}

extension TursoAPIEmulator {
    /// The logged API requests as "METHOD path status" (status "-" when dropped).
    var loggedCalls: [String] {
        requestLog().map { "\($0.method) \($0.path) \($0.status.map(String.init) ?? "-")" }
    }
}
