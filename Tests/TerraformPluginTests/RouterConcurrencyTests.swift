import CTFPlugin6
import Testing
@testable import TerraformPlugin

@Suite("Router: concurrency, schema caching and StopProvider")
struct RouterConcurrencyTests {
    static func importRequest(id: String) -> [UInt8] {
        request(Tfplugin6__ImportResourceState__Request.self) { arena, message in
            message.pointee.type_name = arena.string("fake_thing")
            message.pointee.id = arena.string(id)
        }
    }

    /// Polls `condition` until it holds; fails the test after `seconds`.
    static func waitUntil(seconds: Double = 10, _ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while !condition() {
            guard ContinuousClock.now < deadline else {
                Issue.record("condition not met within \(seconds) s")
                throw CancellationError()
            }
            try await Task.sleep(for: .milliseconds(1))
        }
    }

    static func slowStarted(_ recorder: FakeRecorder) -> Bool {
        recorder.calls.contains { if case .slowStarted = $0 { true } else { false } }
    }

    static func slowEnded(_ recorder: FakeRecorder) -> [Bool] {
        recorder.calls.compactMap { if case .slowEnded(let cancelled) = $0 { cancelled } else { nil } }
    }

    @Test("GetProviderSchema answers the same bytes every time, also to concurrent first callers")
    func schemaBytesAreStable() async throws {
        let (router, _) = makeRouter()
        let results = await withTaskGroup(of: RPCResult.self) { group in
            for _ in 0..<16 { group.addTask { await router.call("GetProviderSchema", []) } }
            return await group.reduce(into: []) { $0.append($1) }
        }
        let later = await router.call("GetProviderSchema", [])
        let all = (results + [later]).map { result -> [UInt8]? in
            if case .success(let bytes) = result { bytes } else { nil }
        }
        let first = try #require(all.first ?? nil)
        #expect(!first.isEmpty)
        #expect(all.allSatisfy { $0 == first })
        // and the cached bytes are what an uncached encoding gives
        let core = router.core
        let fresh = GetProviderSchemaRPC.packFresh(
            await GetProviderSchemaRPC.call(core, ()), (), ResponseContext(core: core, typeName: "", valueType: core.providerConfigType)
        )
        #expect(first == fresh)
    }

    @Test("GetProviderSchema encodes the schema once per router, however many calls come")
    func schemaEncodedOnce() async {
        let (router, recorder) = makeRouter()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<50 { group.addTask { _ = await router.call("GetProviderSchema", []) } }
        }
        for _ in 0..<150 { _ = await router.call("GetProviderSchema", []) }
        #expect(recorder.schemaReads == 1)
    }

    @Test("concurrent calls each get their own answer")
    func concurrentCalls() async throws {
        let (router, recorder) = makeRouter()
        let count = 48
        let answers = await withTaskGroup(of: (Int, RPCResult).self) { group in
            for index in 0..<count {
                group.addTask {
                    (index, await router.call("ImportResourceState", Self.importRequest(id: "id-\(index)")))
                }
            }
            return await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
        }
        for index in 0..<count {
            let (typeName, state) = try response(Tfplugin6__ImportResourceState__Response.self, answers[index]!) { message in
                let resource = try #require(wireElements(message.n_imported_resources, message.imported_resources).first)
                return (String(wire: resource.pointee.type_name), try decoded(resource.pointee.state, as: FakeThing.type))
            }
            #expect(typeName == "fake_thing")
            #expect(state == FakeThing.value(id: .string("id-\(index)"), name: "imported"))
        }
        #expect(recorder.providerCalls.count == count)
        #expect(router.core.calls.count == 0)
    }

    @Test("concurrent calls of different RPCs do not disturb each other")
    func mixedConcurrentCalls() async {
        let (router, _) = makeRouter()
        let failures = await withTaskGroup(of: Bool.self) { group in
            for index in 0..<60 {
                group.addTask {
                    let result: RPCResult = switch index % 3 {
                    case 0: await router.call("GetProviderSchema", [])
                    case 1: await router.call("GetMetadata", [])
                    default: await router.call("ImportResourceState", [0x0A])  // malformed
                    }
                    return (index % 3 == 2) != (result.failureCode == .invalidArgument)
                }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(failures == 0)
    }

    @Test("StopProvider cancels a slow call in flight, calls the provider's stop and answers an empty error")
    func stopCancelsInFlightCalls() async throws {
        let (router, recorder) = makeRouter()
        let slow = Task { await router.call("ImportResourceState", Self.importRequest(id: FakeThing.slowName)) }
        try await Self.waitUntil { Self.slowStarted(recorder) }
        #expect(router.core.calls.count == 1)

        // No time bound: the slow call only ends by cancellation (or after
        // a long timeout, which slowEnded would tell apart).
        let stop = await router.call("StopProvider", [])
        let stopError = try response(Tfplugin6__StopProvider__Response.self, stop) { String(wire: $0.error) }
        #expect(stopError == "")

        let result = await slow.value
        let summaries = try response(Tfplugin6__ImportResourceState__Response.self, result) {
            diagnostics($0.n_diagnostics, $0.diagnostics).map(\.summary)
        }
        #expect(summaries == ["Stopped"])
        #expect(Self.slowEnded(recorder) == [true])
        #expect(recorder.calls.contains { if case .stop = $0 { true } else { false } })
        #expect(router.core.calls.count == 0)
    }

    @Test("StopProvider with nothing in flight still calls the provider's stop")
    func stopWithNothingInFlight() async throws {
        let (router, recorder) = makeRouter()
        let stop = await router.call("StopProvider", [])
        #expect(try response(Tfplugin6__StopProvider__Response.self, stop) { String(wire: $0.error) } == "")
        #expect(recorder.calls.count == 1)
        #expect(recorder.calls.contains { if case .stop = $0 { true } else { false } })
    }

    @Test("calls after StopProvider are served normally")
    func callsAfterStop() async throws {
        let (router, _) = makeRouter()
        _ = await router.call("StopProvider", [])
        let result = await router.call("ImportResourceState", Self.importRequest(id: "after"))
        let count = try response(Tfplugin6__ImportResourceState__Response.self, result) { $0.n_imported_resources }
        #expect(count == 1)
    }

    @Test("cancelling the task serving a call cancels the provider's work")
    func callerCancellationReachesProvider() async throws {
        let (router, recorder) = makeRouter()
        let slow = Task { await router.call("ImportResourceState", Self.importRequest(id: FakeThing.slowName)) }
        try await Self.waitUntil { Self.slowStarted(recorder) }
        slow.cancel()
        _ = await slow.value
        #expect(Self.slowEnded(recorder) == [true])
    }
}
