import Testing
@testable import TerraformPlugin

/// `CallCancellation` tells a provider call's code who cancelled it.
@Suite("InFlightCalls: a call's cancellation says whether StopProvider or the caller did it")
struct CallCancellationTests {
    /// Runs a call that waits until cancelled, and reports what its
    /// `CallCancellation` said then.
    private static func waitingCall(_ calls: InFlightCalls) async -> CallCancellation.Reason? {
        await calls.run {
            let cancellation = CallCancellation.current
            while !Task.isCancelled { try? await Task.sleep(for: .seconds(60)) }
            return cancellation?.reason
        }
    }

    private static func untilRunning(_ calls: InFlightCalls) async {
        while calls.count == 0 { await Task.yield() }
    }

    @Test("StopProvider's cancelAll marks the call .stopProvider")
    func stopProvider() async {
        let calls = InFlightCalls()
        let call = Task { await Self.waitingCall(calls) }
        await Self.untilRunning(calls)
        #expect(calls.cancelAll() == 1)
        #expect(await call.value == .stopProvider)
    }

    @Test("The caller's task cancelled (client gone, deadline, shutdown) marks the call .callerGone")
    func callerGone() async {
        let calls = InFlightCalls()
        let call = Task { await Self.waitingCall(calls) }
        await Self.untilRunning(calls)
        call.cancel()
        #expect(await call.value == .callerGone)
    }

    @Test("Outside a provider call there is none; inside one not cancelled, no reason")
    func outside() async {
        #expect(CallCancellation.current == nil)
        let reason = await InFlightCalls().run { CallCancellation.current.map { $0.reason == nil } }
        #expect(reason == true)
    }
}
