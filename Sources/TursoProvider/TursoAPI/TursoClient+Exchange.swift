import TerraformPlugin

/// The final answer of a call, after its retries.
struct Exchange: Sendable {
    var response: HTTPResponse
    var attempts: Int
    /// An earlier attempt failed in a way that leaves open whether Turso
    /// acted on it (no answer after sending, 502, 504).
    var afterAmbiguousAttempt: Bool
}

extension TursoClient {
    /// How a request may be repeated.
    enum Repetition: Sendable {
        /// Repeating it has no further effect: retried on 429, 502, 503, 504
        /// and on connection failures, even after the request went out.
        case idempotent
        /// A create: repeated without a second thought only when the request
        /// surely never reached Turso (nothing sent). After any other failure
        /// (429 and 5xx answers included: a server may act and still answer
        /// so) `check` runs first: it throws when the token now exists (or
        /// cannot be checked), and returns when sending again is safe.
        case create(check: @Sendable (_ cause: String) async throws(TursoAPIError) -> Void)
    }

    private enum Verdict {
        case done(HTTPResponse)
        case retry(retryAfter: Duration?, maybeProcessed: Bool, cause: String)
        /// No usable answer to a request that may have reached the server,
        /// and not worth repeating: a create checks whether it landed, then
        /// `error` is thrown.
        case checkThenFail(cause: String, error: TursoAPIError)
    }

    /// Sends a request until an attempt gives a final answer, retrying as
    /// `repetition` allows within the retry policy's bounds. Returns the
    /// answer whatever its status (callers map it); throws for cancellation,
    /// for failures that retrying cannot mend, and when retries run out
    /// without any answer.
    ///
    /// - stopRequested: checked before each attempt, besides the task's
    ///   cancellation (a create runs shielded from cancellation; see createToken).
    func exchange(
        _ operation: TursoOperation, _ method: HTTPRequest.Method, _ path: String,
        bearer: String? = nil, body: TursoJSON? = nil, repetition: Repetition = .idempotent,
        stopRequested: @Sendable () -> Bool = { false }
    ) async throws(TursoAPIError) -> Exchange {
        // A line break in a header value would add headers of its own; the
        // configuration refuses such tokens, and this makes sure of it.
        guard !DisplayText.hasControlCharacters(bearer ?? apiToken) else {
            throw .invalidArgument(operation, problem: "the API token contains a line break or another control character")
        }
        var headers = [authorization(bearer), "Accept: application/json"]
        if body != nil { headers.append("Content-Type: application/json") }
        let isCreate = if case .create = repetition { true } else { false }
        let request = HTTPRequest(method: method, url: baseURL + path, headers: headers, body: body?.encoded, freshConnection: isCreate)
        let policy = options.retry
        var attempt = 0
        var waited = Duration.zero
        var ambiguous = false
        while true {
            attempt += 1
            if Task.isCancelled || stopRequested() { throw .cancelled(operation) }
            let started = ContinuousClock.now
            let outcome: Result<HTTPResponse, TransportFailure>
            do {
                outcome = .success(try await transport.send(request))
            } catch {
                outcome = .failure(error)
            }
            log(method, path, outcome, attempt: attempt, elapsed: ContinuousClock.now - started)

            let retryAfter: Duration?
            switch try verdict(on: outcome, operation, isCreate: isCreate, attempt: attempt) {
            case .done(let response):
                return Exchange(response: response, attempts: attempt, afterAmbiguousAttempt: ambiguous)
            case .retry(let requestedDelay, let maybeProcessed, let cause):
                retryAfter = requestedDelay
                guard maybeProcessed else { break }
                ambiguous = true
                if case .create(let check) = repetition { try await check(cause) }
            case .checkThenFail(let cause, let error):
                if case .create(let check) = repetition { try await check(cause) }
                throw error
            }
            let delay = policy.delay(afterAttempt: attempt, retryAfter: retryAfter, random: options.random())
            guard attempt < policy.maxAttempts, waited + delay <= policy.maxTotalDelay else {
                switch outcome {
                case .success(let response): return Exchange(response: response, attempts: attempt, afterAmbiguousAttempt: ambiguous)
                case .failure(let failure): throw .transport(operation, failure: failure, attempts: attempt, baseURL: displayBaseURL)
                }
            }
            waited += delay
            do {
                try await options.sleep(delay)
            } catch {
                throw .cancelled(operation)
            }
        }
    }

    private func verdict(
        on outcome: Result<HTTPResponse, TransportFailure>, _ operation: TursoOperation, isCreate: Bool, attempt: Int
    ) throws(TursoAPIError) -> Verdict {
        switch outcome {
        case .success(let response):
            var retryAfter: Duration? { response.retryAfter.flatMap { RetryAfter.parse($0, now: options.clock.now()) } }
            var cause: String { "Turso answered \(response.status)" + (apiMessage(response.body).map { ": \($0)" } ?? "") }
            switch response.status {
            // Turso should refuse before acting; a create is checked all the
            // same, as a server (or a proxy) may act and still answer so.
            case 429, 503: return .retry(retryAfter: retryAfter, maybeProcessed: isCreate, cause: cause)
            // A gateway gave up on Turso, which may have acted all the same.
            case 502, 504: return .retry(retryAfter: retryAfter, maybeProcessed: true, cause: cause)
            // Other server errors are not retried, except a create once its
            // check showed nothing was created.
            case 500...599 where isCreate: return .retry(retryAfter: nil, maybeProcessed: true, cause: cause)
            default: return .done(response)
            }
        case .failure(let failure):
            let cause = DisplayText.escaped(failure.message)
            switch failure.kind {
            case .cancelled:
                if isCreate, failure.requestSent {
                    return .checkThenFail(
                        cause: "Terraform asked the provider to stop, and Turso had not answered within "
                            + "\(options.stopGracePeriod) of that", error: .cancelled(operation)
                    )
                }
                throw .cancelled(operation)
            case .resolve, .connect:
                return .retry(retryAfter: nil, maybeProcessed: false, cause: cause)
            case .timeout, .connectionLost:
                return .retry(retryAfter: nil, maybeProcessed: failure.requestSent, cause: cause)
            case .tls, .responseTooLarge, .other:
                let error = TursoAPIError.transport(operation, failure: failure, attempts: attempt, baseURL: displayBaseURL)
                // Bytes that are not an HTTP answer, or too many of them: the server may have acted.
                if isCreate, failure.requestSent { return .checkThenFail(cause: cause, error: error) }
                throw error
            }
        }
    }

    /// Method, path and outcome only: headers and bodies may hold tokens.
    private func log(_ method: HTTPRequest.Method, _ path: String, _ outcome: Result<HTTPResponse, TransportFailure>, attempt: Int, elapsed: Duration) {
        guard PluginLog.isEnabled(.debug) else { return }
        let result = switch outcome {
        case .success(let response): String(response.status)
        case .failure(let failure): "\(failure.kind): \(failure.message)"
        }
        let milliseconds = elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000
        PluginLog.debug("Turso API request", [
            "method": method.rawValue, "path": path, "result": result, "attempt": String(attempt), "duration_ms": String(milliseconds),
        ])
    }
}
