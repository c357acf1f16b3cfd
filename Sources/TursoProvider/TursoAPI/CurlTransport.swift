import Synchronization

/// HTTP over libcurl for the Turso client. libcurl is loaded, and the
/// transfer thread started, on the first request; a failure to load is
/// reported by every request (nothing is retried: the library will not appear).
final class CurlTransport: Sendable {
    struct Settings: Sendable {
        var libraryName = CurlLibrary.defaultName
        var userAgent: String
        var connectTimeout: Duration
        var requestTimeout: Duration
        /// Larger answers fail the request: a token listing is a few hundred
        /// bytes per token.
        var maxResponseBytes = 16 * 1024 * 1024
    }

    private let settings: Settings
    private let loop = Mutex<Result<CurlTransferLoop, TransportFailure>?>(nil)

    init(settings: Settings) {
        self.settings = settings
    }

    deinit {
        if case .success(let loop)? = loop.withLock({ $0 }) { loop.shutdown() }
    }

    /// Sends one request and waits for the whole answer. Cancelling the
    /// calling task aborts the transfer at once (the loop thread is woken).
    func send(_ request: HTTPRequest) async throws(TransportFailure) -> HTTPResponse {
        let loop = try startedLoop()
        let transfer = CurlTransfer(request)
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                transfer.attach(continuation)
                loop.submit(transfer)
            }
        } onCancel: {
            loop.cancel(transfer)
        }
        return try result.get()
    }

    private func startedLoop() throws(TransportFailure) -> CurlTransferLoop {
        let result = loop.withLock { loop in
            if let loop { return loop }
            let started = CurlLibrary.load(named: settings.libraryName).flatMap { CurlTransferLoop.start(library: $0, settings: settings) }
            loop = started
            return started
        }
        return try result.get()
    }
}
