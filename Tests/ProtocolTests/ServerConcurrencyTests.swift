import Foundation
import PluginTestSupport
import TerraformPlugin
import Testing

/// A handler whose calls take as long as the test asks, or wait for each
/// other, to see the server run them side by side and stop them on shutdown.
private struct TimingHandler: RPCHandler {
    let arrivals = LockedBox(0)
    /// Calls of `/test.Timing/AwaitCancel` that saw their task cancelled.
    let cancellations = LockedBox(0)
    /// Calls of `/test.Timing/AwaitCancel` that reached the handler.
    let waiters = LockedBox(0)

    static let streamingMethods: Set<String> = ["/test.Timing/Count", "/test.Timing/StreamFail", "/test.Timing/AwaitCancelStream"]

    func handleServerStream(method: String, request: [UInt8]) async -> RPCStreamResult {
        switch method {
        case "/test.Timing/Count":
            // The request is "COUNT" or "COUNT SIZE": COUNT messages, the
            // i-th being "i" padded with "." to SIZE bytes.
            let words = String(decoding: request, as: UTF8.self).split(separator: " ").compactMap { Int($0) }
            let count = words.first ?? 0, size = words.count > 1 ? words[1] : 0
            return .messages((0..<count).map { index in
                let text = Array(String(index).utf8)
                return text + [UInt8](repeating: UInt8(ascii: "."), count: max(0, size - text.count))
            })
        case "/test.Timing/StreamFail":
            return .failure(.failedPrecondition, "no stream today")
        case "/test.Timing/AwaitCancelStream":
            return await awaitCancel() ? .failure(.cancelled, "cancelled") : .messages([])
        default:
            return .failure(.unimplemented, "no stream \(method)")
        }
    }

    /// Waits (up to 5 minutes) for the task to be cancelled; true if it was.
    private func awaitCancel() async -> Bool {
        waiters.mutate { $0 += 1 }
        do {
            try await Task.sleep(for: .seconds(300))
            return false
        } catch {
            cancellations.mutate { $0 += 1 }
            return true
        }
    }

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
        case "/test.Timing/AwaitCancel":
            return await awaitCancel() ? .failure(.cancelled, "cancelled") : .success([])
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
        let handler = TimingHandler()

        init(maxMessageBytes: Int = 256 << 20) throws {
            var configuration = PluginServerConfiguration()
            configuration.handlerServices = ["test.Timing"]
            configuration.serverStreamingMethods = TimingHandler.streamingMethods
            configuration.maxMessageBytes = maxMessageBytes
            // Shutdown cancels handler tasks at once; the grace period only
            // bounds how long the server then waits for them to answer. The
            // production 300 ms is a deadline for the process to exit; here a
            // generous one lets "drained" mean the cancellation worked, even
            // on a loaded machine under AddressSanitizer (where 300 ms was
            // seen to run out).
            configuration.shutdownGracePeriod = .seconds(20)
            let identity = try ClientIdentity.generate(curve: .p521)
            server = try InProcessPluginServer(handler: handler, configuration: configuration, clientIdentity: identity)
            client = server.makeClient(presenting: identity)
        }

        /// Stops the server as the host does; how it ended.
        func shutdown() async -> PluginGRPCServer.Outcome? {
            let result = await client.call("/plugin.GRPCController/Shutdown", timeout: .seconds(60))
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
        let small = await running.client.call("/test.Timing/Echo", request: [UInt8](repeating: 7, count: 512 << 10), timeout: .seconds(60))
        #expect(small.status == .ok, "\(small)")
        let large = await running.client.call("/test.Timing/Echo", request: [UInt8](repeating: 7, count: 2 << 20), timeout: .seconds(60))
        #expect(large.status == .resourceExhausted, "\(large)")
        #expect(await running.shutdown() == .drained)
    }

    @Test("A request of tiny unknown fields past the field budget is refused before the handler sees it")
    func fieldFlood() async throws {
        let running = try Running()
        // 1 MiB of 2-byte fields: 524,288 of them, past 65,536 + 1 MiB / 128.
        let flood = (0..<(1 << 20)).map { (index: Int) -> UInt8 in index.isMultiple(of: 2) ? 0xF8 : 0x00 }
        let refused = await running.client.call("/test.Timing/Echo", request: flood, timeout: .seconds(60))
        #expect(refused.status == .resourceExhausted, "\(refused)")
        #expect(refused.response == nil)
        // The same size in one field goes through. (Its contents must not
        // parse as protobuf: this test service has no schema, so any
        // length-delimited field might be a message. tfplugin6 methods are
        // counted by their descriptors; see ServerHandshakeTests.)
        let single: [UInt8] = [0x0A, 0x80, 0x80, 0x40] + [UInt8](repeating: 0x0F, count: 1 << 20)
        #expect(await running.client.call("/test.Timing/Echo", request: single, timeout: .seconds(60)).response == single)
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
        #expect(await running.client.call("/test.Timing/Echo", request: [9], timeout: .seconds(60)).response == [9])
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

    /// Waits (up to 30 s, for a loaded machine) until `condition` holds.
    private static func eventually(_ condition: () -> Bool) async -> Bool {
        for _ in 0..<3000 {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return condition()
    }

    @Test("A server-streaming call gets every message in order, then OK", arguments: [0, 1, 3, 1000])
    func serverStreaming(count: Int) async throws {
        let running = try Running()
        let result = await running.client.streamingCall("/test.Timing/Count", request: Array(String(count).utf8), timeout: .seconds(120))
        #expect(result.status == .ok, "\(result)")
        #expect(result.responses == (0..<count).map { Array(String($0).utf8) })
        #expect(await running.shutdown() == .drained)
    }

    @Test("Large streamed messages go out whole, one after another")
    func serverStreamingLarge() async throws {
        let running = try Running()
        let result = await running.client.streamingCall("/test.Timing/Count", request: Array("3 \(6 << 20)".utf8), timeout: .seconds(60))
        #expect(result.status == .ok, "\(result)")
        #expect(result.responses.map(\.count) == [6 << 20, 6 << 20, 6 << 20])
        #expect(result.responses.map { Array($0.prefix(2)) } == [Array("0.".utf8), Array("1.".utf8), Array("2.".utf8)])
        #expect(await running.shutdown() == .drained)
    }

    @Test("A server-streaming call can fail with a status and no message; unlisted methods stay unary")
    func serverStreamingFailure() async throws {
        let running = try Running()
        let failed = await running.client.streamingCall("/test.Timing/StreamFail", timeout: .seconds(60))
        #expect(failed.status == .failedPrecondition, "\(failed)")
        #expect(failed.message == "no stream today")
        #expect(failed.responses.isEmpty)
        // Echo is not a streaming method: the unary handler answers it.
        let echo = await running.client.streamingCall("/test.Timing/Echo", request: [4, 2], timeout: .seconds(60))
        #expect(echo.status == .ok && echo.responses == [[4, 2]], "\(echo)")
        #expect(await running.shutdown() == .drained)
    }

    // The evidence is the handler's own record of its cancellation, waited
    // for as a rendezvous; the task would otherwise sleep for 5 minutes.
    // The deadlines only have to outlast the call's way to the handler (on
    // a connection already made); generous, as a loaded machine slows that.
    @Test("A client deadline that passes cancels the handler's task, unary and streaming")
    func deadlineCancelsHandler() async throws {
        let running = try Running()
        #expect(await running.client.call("/test.Timing/Echo", request: [1], timeout: .seconds(60)).response == [1])
        let unary = await running.client.call("/test.Timing/AwaitCancel", timeout: .seconds(8))
        #expect(unary.status == .deadlineExceeded, "\(unary)")
        #expect(running.handler.waiters.value == 1, "the call reached the handler before its deadline")
        #expect(await Self.eventually { running.handler.cancellations.value == 1 })
        let stream = await running.client.streamingCall("/test.Timing/AwaitCancelStream", timeout: .seconds(8))
        #expect(stream.status == .deadlineExceeded, "\(stream)")
        #expect(running.handler.waiters.value == 2, "the call reached the handler before its deadline")
        #expect(await Self.eventually { running.handler.cancellations.value == 2 })
        // The server goes on serving, and nothing is left in a handler.
        #expect(await running.client.call("/test.Timing/Echo", request: [5], timeout: .seconds(60)).response == [5])
        #expect(await running.shutdown() == .drained)
    }

    @Test("Calls the client cancels once the handler has them cancel their handlers' tasks")
    func clientCancelCancelsHandler() async throws {
        let running = try Running()
        let handler = running.handler
        // Twenty calls at once; each is cancelled by its client only when all
        // twenty are in the handler.
        let results = await withTaskGroup(of: CallResult.self) { group in
            for _ in 0..<20 {
                group.addTask {
                    await running.client.call("/test.Timing/AwaitCancel", timeout: .seconds(240)) { handler.waiters.value == 20 }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.allSatisfy { $0.status == .cancelled }, "\(results.map(\.status))")
        #expect(await Self.eventually { handler.cancellations.value == 20 }, "\(handler.cancellations.value) of 20")
        #expect(await running.shutdown() == .drained)
    }
}
