import CCurl
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A request on its way through the transfer loop, and the way back to its caller.
final class CurlTransfer: Sendable {
    let request: HTTPRequest
    private let cancelled = Atomic<Bool>(false)
    private let continuation = Mutex<CheckedContinuation<Result<HTTPResponse, TransportFailure>, Never>?>(nil)

    init(_ request: HTTPRequest) {
        self.request = request
    }

    var isCancelled: Bool { cancelled.load(ordering: .acquiring) }

    func markCancelled() { cancelled.store(true, ordering: .releasing) }

    func attach(_ continuation: CheckedContinuation<Result<HTTPResponse, TransportFailure>, Never>) {
        self.continuation.withLock { $0 = continuation }
    }

    /// Resumes the caller; later calls do nothing.
    func finish(_ result: Result<HTTPResponse, TransportFailure>) {
        let continuation = self.continuation.withLock { $0.take() }
        continuation?.resume(returning: result)
    }
}

/// Runs every transfer of one transport on one thread, through one curl
/// multi handle: curl's calls block, so they stay off Swift's cooperative
/// pool; the multi handle keeps one connection cache for all requests; and
/// `curl_multi_wakeup` lets a cancelled task interrupt the wait at once
/// (a progress callback would only run about once a second while waiting).
final class CurlTransferLoop: Sendable {
    private let multi: CurlMultiHandle
    private let inbox = Mutex(Inbox())

    private struct Inbox {
        var pending: [CurlTransfer] = []
        var shuttingDown = false
    }

    private init(multi: CurlMultiHandle) {
        self.multi = multi
    }

    /// Creates the multi handle and starts the loop thread.
    static func start(library: CurlLibrary, settings: CurlTransport.Settings) -> Result<CurlTransferLoop, TransportFailure> {
        guard let multi = CurlMultiHandle(library: library) else {
            return .failure(TransportFailure(kind: .other, message: "curl_multi_init failed", requestSent: false))
        }
        let loop = CurlTransferLoop(multi: multi)
        guard CurlLoopWorker.spawn(CurlLoopWorker(loop: loop, multi: multi, settings: settings)) else {
            return .failure(TransportFailure(kind: .other, message: "cannot start the HTTP thread: \(errno)", requestSent: false))
        }
        return .success(loop)
    }

    func submit(_ transfer: CurlTransfer) {
        let accepted = inbox.withLock { inbox in
            guard !inbox.shuttingDown else { return false }
            inbox.pending.append(transfer)
            return true
        }
        guard accepted else {
            transfer.finish(.failure(.cancelled))
            return
        }
        multi.wakeup()
    }

    func cancel(_ transfer: CurlTransfer) {
        transfer.markCancelled()
        multi.wakeup()
    }

    /// Ends the thread; transfers still in flight finish as cancelled.
    func shutdown() {
        inbox.withLock { $0.shuttingDown = true }
        multi.wakeup()
    }

    fileprivate func takeInbox() -> (pending: [CurlTransfer], shuttingDown: Bool) {
        inbox.withLock { inbox in
            defer { inbox.pending.removeAll() }
            return (inbox.pending, inbox.shuttingDown)
        }
    }
}

/// The loop thread's own state: easy handles and the transfers in flight.
/// Only that thread touches it, libcurl's callbacks included.
private final class CurlLoopWorker {
    private static let maxIdleHandles = 4
    /// While transfers run; curl shortens it to its own next timer.
    private static let busyPollMilliseconds: Int32 = 1_000
    /// While idle; any submit wakes the thread at once.
    private static let idlePollMilliseconds: Int32 = 60_000

    private let loop: CurlTransferLoop
    private let multi: CurlMultiHandle
    private let library: CurlLibrary
    private let settings: CurlTransport.Settings
    private var active: [OpaquePointer: ActiveTransfer] = [:]
    private var idle: [CurlEasyHandle] = []

    init(loop: CurlTransferLoop, multi: CurlMultiHandle, settings: CurlTransport.Settings) {
        self.loop = loop
        self.multi = multi
        self.library = multi.library
        self.settings = settings
    }

    /// Starts the loop thread, which owns the worker until the loop shuts down.
    static func spawn(_ worker: CurlLoopWorker) -> Bool {
        let context = Unmanaged.passRetained(worker).toOpaque()
        var thread = pthread_t()
        let created = pthread_create(&thread, nil, { context in
            // Balances the passRetained above: the thread now owns the worker.
            let worker = Unmanaged<CurlLoopWorker>.fromOpaque(context!).takeRetainedValue()
            worker.run()
            return nil
        }, context)
        guard created == 0 else {
            Unmanaged<CurlLoopWorker>.fromOpaque(context).release()
            return false
        }
        pthread_detach(thread)
        return true
    }

    private func run() {
        while true {
            let (incoming, shuttingDown) = loop.takeInbox()
            if shuttingDown {
                for transfer in incoming { transfer.finish(.failure(.cancelled)) }
                for transfer in Array(active.values) { end(transfer, with: .failure(.cancelledInFlight)) }
                return
            }
            for transfer in incoming { begin(transfer) }
            if !active.isEmpty {
                var running: Int32 = 0
                _ = ccurl_multi_perform(library.api, multi.pointer, &running)
                collectFinished()
            }
            for transfer in Array(active.values) where transfer.transfer.isCancelled {
                end(transfer, with: .failure(.cancelledInFlight))
            }
            let timeout = active.isEmpty ? Self.idlePollMilliseconds : Self.busyPollMilliseconds
            if ccurl_multi_poll(library.api, multi.pointer, timeout) != CURLM_OK {
                usleep(10_000)  // never spin on a broken multi handle
            }
        }
    }

    private func begin(_ transfer: CurlTransfer) {
        guard !transfer.isCancelled else {
            transfer.finish(.failure(.cancelled))
            return
        }
        guard let easy = idle.popLast() ?? CurlEasyHandle(library: library) else {
            transfer.finish(.failure(TransportFailure(kind: .other, message: "curl_easy_init failed", requestSent: false)))
            return
        }
        let running = ActiveTransfer(transfer: transfer, easy: easy, maxResponseBytes: settings.maxResponseBytes)
        var failed = configure(running)
        if failed == nil {
            let added = ccurl_multi_add_handle(library.api, multi.pointer, easy.pointer)
            if added != CURLM_OK { failed = String(cString: ccurl_multi_strerror(library.api, added)) }
        }
        if let failed {
            recycle(easy)
            transfer.finish(.failure(TransportFailure(kind: .other, message: failed, requestSent: false)))
            return
        }
        active[easy.pointer] = running
    }

    /// Sets every option of the transfer; returns libcurl's complaint, if any.
    private func configure(_ running: ActiveTransfer) -> String? {
        let easy = running.easy
        let request = running.transfer.request
        var firstFailure = CURLE_OK
        func apply(_ code: CURLcode) {
            if firstFailure == CURLE_OK, code != CURLE_OK { firstFailure = code }
        }
        apply(easy.set(CURLOPT_URL, copying: request.url))
        // Defence in depth (redirects are not followed anyway); libcurl
        // before 7.85 lacks the option, and must not fail every request for it.
        let protocols = easy.set(CURLOPT_PROTOCOLS_STR, copying: "http,https")
        if protocols != CURLE_UNKNOWN_OPTION { apply(protocols) }
        // Threads: no SIGALRM-based DNS timeouts, which are not thread-safe.
        apply(easy.set(CURLOPT_NOSIGNAL, 1))
        apply(easy.set(CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(settings.connectTimeout)))
        apply(easy.set(CURLOPT_TIMEOUT_MS, Self.milliseconds(settings.requestTimeout)))
        apply(easy.set(CURLOPT_USERAGENT, copying: settings.userAgent))
        apply(easy.set(CURLOPT_TCP_KEEPALIVE, 1))
        // Send the path as given: libcurl would otherwise resolve `.` and `..`
        // segments, sending the request to another endpoint than the one meant.
        apply(easy.set(CURLOPT_PATH_AS_IS, 1))
        switch request.method {
        case .get:
            apply(easy.set(CURLOPT_HTTPGET, 1))
        case .post:
            apply(easy.set(CURLOPT_POST, 1))
            apply(easy.setBody(request.body ?? []))
        case .delete:
            apply(easy.set(CURLOPT_CUSTOMREQUEST, copying: "DELETE"))
            if let body = request.body { apply(easy.setBody(body)) }
        }
        if request.freshConnection {
            apply(easy.set(CURLOPT_FRESH_CONNECT, 1))
            apply(easy.set(CURLOPT_FORBID_REUSE, 1))
        }
        var lines = request.headers
        // No `Expect: 100-continue` round trip, and no form Content-Type for a bodiless POST.
        lines.append("Expect:")
        if request.body == nil { lines.append("Content-Type:") }
        for line in lines where !running.headers.append(line) {
            return "out of memory building request headers"
        }
        apply(ccurl_easy_setopt_slist(library.api, easy.pointer, CURLOPT_HTTPHEADER, running.headers.pointer))
        apply(ccurl_easy_setopt_pointer(library.api, easy.pointer, CURLOPT_ERRORBUFFER, running.errorBuffer))

        // The transfer is kept alive by `active` until its handle leaves the
        // multi handle and is reset, so an unretained pointer suffices.
        let context = Unmanaged.passUnretained(running).toOpaque()
        apply(ccurl_easy_setopt_write_callback(library.api, easy.pointer, CURLOPT_WRITEFUNCTION) { data, size, count, context in
            let running = Unmanaged<ActiveTransfer>.fromOpaque(context!).takeUnretainedValue()
            return running.receiveBody(UnsafeRawBufferPointer(start: data, count: size * count))
        })
        apply(ccurl_easy_setopt_pointer(library.api, easy.pointer, CURLOPT_WRITEDATA, context))
        apply(ccurl_easy_setopt_write_callback(library.api, easy.pointer, CURLOPT_HEADERFUNCTION) { data, size, count, context in
            let running = Unmanaged<ActiveTransfer>.fromOpaque(context!).takeUnretainedValue()
            running.receiveHeader(UnsafeRawBufferPointer(start: data, count: size * count))
            return size * count
        })
        apply(ccurl_easy_setopt_pointer(library.api, easy.pointer, CURLOPT_HEADERDATA, context))
        return firstFailure == CURLE_OK ? nil : library.describe(firstFailure)
    }

    private func collectFinished() {
        var easy: OpaquePointer?
        var code = CURLE_OK
        while ccurl_multi_next_done(library.api, multi.pointer, &easy, &code) == 1 {
            guard let easy, let running = active[easy] else { continue }
            end(running, with: outcome(of: running, code))
        }
    }

    private func outcome(of running: ActiveTransfer, _ code: CURLcode) -> Result<HTTPResponse, TransportFailure> {
        if code == CURLE_OK {
            return .success(HTTPResponse(
                status: running.easy.info(CURLINFO_RESPONSE_CODE), body: running.body, retryAfter: running.retryAfter
            ))
        }
        let sent = running.easy.info(CURLINFO_REQUEST_SIZE) > 0
        if running.overflowed {
            return .failure(TransportFailure(
                kind: .responseTooLarge, message: "the answer exceeded \(settings.maxResponseBytes) bytes", requestSent: sent
            ))
        }
        let message = running.errorText.isEmpty ? library.describe(code) : running.errorText
        return .failure(TransportFailure(kind: Self.kind(of: code), message: message, requestSent: sent))
    }

    static func kind(of code: CURLcode) -> TransportFailure.Kind {
        switch code {
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: .resolve
        case CURLE_COULDNT_CONNECT: .connect
        case CURLE_OPERATION_TIMEDOUT: .timeout
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
             CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_ISSUER_ERROR,
             CURLE_SSL_CRL_BADFILE, CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_SHUTDOWN_FAILED:
            .tls
        case CURLE_GOT_NOTHING, CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_PARTIAL_FILE, CURLE_HTTP2, CURLE_HTTP2_STREAM:
            .connectionLost
        default: .other
        }
    }

    /// Takes the transfer out of the multi handle, keeps its easy handle for
    /// the next request, and answers the caller.
    private func end(_ running: ActiveTransfer, with result: Result<HTTPResponse, TransportFailure>) {
        active.removeValue(forKey: running.easy.pointer)
        _ = ccurl_multi_remove_handle(library.api, multi.pointer, running.easy.pointer)
        recycle(running.easy)
        running.transfer.finish(result)
    }

    private func recycle(_ easy: CurlEasyHandle) {
        // Reset first: it drops libcurl's pointers into the finished transfer's buffers.
        easy.reset()
        if idle.count < Self.maxIdleHandles { idle.append(easy) }
    }

    private static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return max(1, Int(clamping: seconds) &* 1000 &+ Int(attoseconds / 1_000_000_000_000_000))
    }
}

/// One transfer in the multi handle: what libcurl writes into, and what it points at.
private final class ActiveTransfer {
    let transfer: CurlTransfer
    let easy: CurlEasyHandle
    let headers: CurlHeaderList
    let maxResponseBytes: Int
    private(set) var body: [UInt8] = []
    private(set) var retryAfter: String?
    private(set) var overflowed = false
    /// libcurl's CURLOPT_ERRORBUFFER: it must stay put for the whole transfer.
    let errorBuffer: UnsafeMutablePointer<CChar>

    init(transfer: CurlTransfer, easy: CurlEasyHandle, maxResponseBytes: Int) {
        self.transfer = transfer
        self.easy = easy
        self.headers = CurlHeaderList(library: easy.library)
        self.maxResponseBytes = maxResponseBytes
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
    }

    deinit { errorBuffer.deallocate() }

    var errorText: String { String(cString: errorBuffer) }

    /// Returns the bytes taken; fewer than offered makes libcurl abort the transfer.
    func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Int {
        guard body.count + bytes.count <= maxResponseBytes else {
            overflowed = true
            return 0
        }
        body.append(contentsOf: bytes)
        return bytes.count
    }

    func receiveHeader(_ bytes: UnsafeRawBufferPointer) {
        let line = String(decoding: bytes, as: UTF8.self)
        if line.hasPrefix("HTTP/") {
            retryAfter = nil  // a new response (after an interim one) starts
            return
        }
        guard let colon = line.firstIndex(of: ":"), line[..<colon].lowercased() == "retry-after" else { return }
        let value = line[line.index(after: colon)...].trimmingWhitespace()
        if !value.isEmpty { retryAfter = value }
    }
}
