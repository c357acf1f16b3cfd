import Foundation
import PluginTestSupport
import TerraformPlugin
import Testing

/// A handler whose calls take as long as the test asks, or wait for each
/// other, to see the server run them side by side and stop them on shutdown.
private struct TimingHandler: RPCHandler {
    let arrivals = LockedBox(0)

    func handle(method: String, request: [UInt8]) async -> RPCResult {
        switch method {
        case "/test.Timing/Echo":
            return .success(request)
        case "/test.Timing/Sleep":
            // The request is the number of milliseconds, as text.
            let milliseconds = Int(String(decoding: request, as: UTF8.self)) ?? 0
            do {
                try await Task.sleep(for: .milliseconds(milliseconds))
                return .success(Array("slept".utf8))
            } catch {
                return .failure(.cancelled, "cancelled while sleeping")
            }
        case "/test.Timing/Gather":
            // Answers only once the number of calls in the request have all
            // arrived: calls served one after another would never get there.
            let expected = Int(String(decoding: request, as: UTF8.self)) ?? 0
            arrivals.mutate { $0 += 1 }
            let deadline = ContinuousClock.now + .seconds(30)
            while arrivals.value < expected {
                guard ContinuousClock.now < deadline, (try? await Task.sleep(for: .milliseconds(5))) != nil else {
                    return .failure(.deadlineExceeded, "only \(arrivals.value) of \(expected) calls arrived")
                }
            }
            return .success(Array("gathered".utf8))
        default:
            return .failure(.unimplemented, "no \(method)")
        }
    }
}

@Suite("Plugin server calls, concurrency and shutdown (server in the test process)")
struct ServerConcurrencyTests {
    private static func sleep(_ milliseconds: Int) -> [UInt8] { Array(String(milliseconds).utf8) }

    private struct Running {
        let server: InProcessPluginServer
        let client: PluginClient

        init(maxMessageBytes: Int = 256 << 20) throws {
            var configuration = PluginServerConfiguration()
            configuration.handlerServices = ["test.Timing"]
            configuration.maxMessageBytes = maxMessageBytes
            // Shutdown cancels handler tasks at once; the grace period only
            // bounds how long the server then waits for them to answer. The
            // production 300 ms is a deadline for the process to exit; here a
            // generous one lets "drained" mean the cancellation worked, even
            // on a loaded machine under AddressSanitizer (where 300 ms was
            // seen to run out).
            configuration.shutdownGracePeriod = .seconds(20)
            let identity = try ClientIdentity.generate(curve: .p521)
            server = try InProcessPluginServer(handler: TimingHandler(), configuration: configuration, clientIdentity: identity)
            client = server.makeClient(presenting: identity)
        }

        /// Stops the server as the host does; how it ended.
        func shutdown() async -> PluginGRPCServer.Outcome? {
            let result = await client.call("/plugin.GRPCController/Shutdown")
            #expect(result.status == .ok, "\(result)")
            return await server.waitForStop(timeout: .seconds(5))
        }
    }

    // Concurrency is shown by rendezvous, not by timing (these machines are
    // noisy): each call answers only after all ten are in the handler at once.
    @Test("Ten calls are served side by side: each waits until all ten are in the handler")
    func callsRunConcurrently() async throws {
        let running = try Running()
        let results = await withTaskGroup(of: CallResult.self) { group in
            for _ in 0..<10 {
                group.addTask { await running.client.call("/test.Timing/Gather", request: Array("10".utf8), timeout: .seconds(60)) }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 10)
        #expect(results.allSatisfy { $0.status == .ok && $0.response == Array("gathered".utf8) }, "\(results)")
        #expect(await running.shutdown() == .drained)
    }

    @Test("A slow call does not hold up a quick one")
    func slowCallDoesNotBlock() async throws {
        let running = try Running()
        // Sleeps far longer than the test lasts: it ends only by Shutdown's cancellation.
        async let slow = running.client.call("/test.Timing/Sleep", request: Self.sleep(120_000), timeout: .seconds(180))
        try await Task.sleep(for: .milliseconds(100))
        let quick = await running.client.call("/test.Timing/Echo", request: [1, 2, 3], timeout: .seconds(60))
        #expect(quick.response == [1, 2, 3], "\(quick)")
        // Shutdown cancels the slow call's task, so the server still drains.
        #expect(await running.shutdown() == .drained)
        #expect(await slow.status != .ok)
    }

    @Test("Request and response bytes round-trip exactly, 20 MiB included")
    func echo() async throws {
        let running = try Running()
        let random = try #require(FileHandle(forReadingAtPath: "/dev/urandom"))
        for size in [0, 1, 100, 20 << 20] {
            let request = [UInt8](try random.read(upToCount: size) ?? Data())
            try #require(request.count == size)
            let result = await running.client.call("/test.Timing/Echo", request: request, timeout: .seconds(30))
            #expect(result.status == .ok, "\(size) bytes: \(result)")
            let identical = result.response == request
            #expect(identical, "\(size) bytes sent, \(result.response?.count ?? -1) received")
        }
        #expect(await running.shutdown() == .drained)
    }

    @Test("Messages above the configured limit are refused with RESOURCE_EXHAUSTED")
    func messageLimit() async throws {
        let running = try Running(maxMessageBytes: 1 << 20)
        let small = await running.client.call("/test.Timing/Echo", request: [UInt8](repeating: 7, count: 512 << 10))
        #expect(small.status == .ok, "\(small)")
        let large = await running.client.call("/test.Timing/Echo", request: [UInt8](repeating: 7, count: 2 << 20))
        #expect(large.status == .resourceExhausted, "\(large)")
        #expect(await running.shutdown() == .drained)
    }

    @Test("A client that gives up mid-call leaves no trace: later calls work, shutdown drains")
    func clientGivesUp() async throws {
        let running = try Running()
        for _ in 0..<5 {
            let abandoned = await running.client.call("/test.Timing/Sleep", request: Self.sleep(400), timeout: .milliseconds(50))
            #expect(abandoned.status == .deadlineExceeded, "\(abandoned)")
        }
        // Those handlers finish after their clients left; their answers go nowhere.
        try await Task.sleep(for: .milliseconds(600))
        #expect(await running.client.call("/test.Timing/Echo", request: [9]).response == [9])
        #expect(await running.shutdown() == .drained)
    }

    // The 1 s bound of the issue is checked on the real process
    // (ServerProcessTests, ProviderRPCTests); here, only the behaviour.
    @Test("Shutdown cancels calls still in the handler and the server drains")
    func shutdownCancelsHandlers() async throws {
        let running = try Running()
        async let pending = running.client.call("/test.Timing/Sleep", request: Self.sleep(30_000), timeout: .seconds(60))
        try await Task.sleep(for: .milliseconds(200))
        #expect(await running.shutdown() == .drained)
        let result = await pending
        #expect(result.status != .ok, "\(result)")
    }

    @Test("Thousands of calls from many threads leave every call closed")
    func manyCalls() async throws {
        let running = try Running()
        let failures = await withTaskGroup(of: [CallResult].self) { group in
            for worker in 0..<16 {
                group.addTask {
                    await onOwnThread {
                        var failures: [CallResult] = []
                        for index in 0..<125 {
                            let health = (worker + index).isMultiple(of: 3)
                            let result = health
                                ? running.client.blockingCall("/grpc.health.v1.Health/Check", timeout: .seconds(30))
                                : running.client.blockingCall("/test.Timing/Echo", request: [UInt8(index)], timeout: .seconds(30))
                            if result.status != .ok { failures.append(result) }
                        }
                        return failures
                    }
                }
            }
            return await group.reduce(into: []) { $0 += $1 }
        }
        #expect(failures.isEmpty, "\(failures.prefix(5))")
        #expect(await running.shutdown() == .drained)
    }
}
