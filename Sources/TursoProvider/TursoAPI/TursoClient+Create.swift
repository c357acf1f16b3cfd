import Synchronization
import TerraformPlugin

extension TursoClient {
    /// Creates an API token and returns it with its value, which Turso
    /// never shows again.
    ///
    /// - organization: restricts the token to one organization.
    /// - group, scopes: pin it to a group of that organization, with these
    ///   scopes (`read`, `db:create`, ..., or the presets `read-only`, `full-access`).
    /// - All nil: an unrestricted token (deprecated by Turso).
    ///
    /// A create is not idempotent, and its outcome is never assumed. After
    /// any failure that leaves open whether Turso acted on it (no answer
    /// after sending, an answer that is not HTTP or too large, a 429 or 5xx,
    /// a success without the value) the tokens are listed: if the name now
    /// exists this throws `.createdButValueLost` carrying the token, so the
    /// caller can keep track of it; if listing fails too, `.createOutcomeUnknown`.
    /// Sending again happens only once the listing showed nothing was created.
    ///
    /// Cancellation by Terraform's StopProvider (or by a caller outside a
    /// provider call) does not abandon a request that may already be with
    /// Turso: it is awaited for up to `Options.stopGracePeriod`, so its token
    /// is not lost; no new attempt starts once cancelled. A call whose client
    /// gave up (`CallCancellation.Reason.callerGone`: its deadline passed, it
    /// cancelled, it went away) stops at once: nobody can receive the token,
    /// so nothing more is sent or awaited, not even a check listing.
    public func createToken(
        name: String, organization: String? = nil, group: String? = nil, scopes: [String]? = nil
    ) async throws(TursoAPIError) -> CreatedAPIToken {
        let operation = TursoOperation.createToken(name: name)
        try requireNonEmpty(name, "token name", operation)
        let stop = StopRequest()
        let work = Task { [self] () -> Result<CreatedAPIToken, TursoAPIError> in
            do throws(TursoAPIError) {
                return .success(try await createUnshielded(
                    name: name, organization: organization, group: group, scopes: scopes, stop: stop
                ))
            } catch {
                return .failure(error)
            }
        }
        let grace = options.stopGracePeriod
        // Read here: the handler below runs in the canceller's context.
        let cancellation = CallCancellation.current
        let result = await withTaskCancellationHandler {
            await work.value
        } onCancel: {
            stop.request()
            if cancellation?.reason == .callerGone {
                work.cancel()
                return
            }
            // Bounded: past the grace period the request is abandoned (and
            // the outcome reported as unknown, naming the token).
            Task {
                try? await Task.sleep(for: grace)
                work.cancel()
            }
        }
        return try result.get()
    }

    private func createUnshielded(
        name: String, organization: String?, group: String?, scopes: [String]?, stop: StopRequest
    ) async throws(TursoAPIError) -> CreatedAPIToken {
        let operation = TursoOperation.createToken(name: name)
        var members: [String: TursoJSON] = [:]
        if let organization { members["organization"] = .string(organization) }
        if let group { members["group"] = .string(group) }
        if let scopes { members["scopes"] = .array(scopes.map(TursoJSON.string)) }
        defer { listCache.invalidate() }

        let exchange = try await exchange(
            operation, .post, "/v1/auth/api-tokens/\(Self.pathSegment(name))",
            body: members.isEmpty ? nil : .object(members),
            repetition: .create { [self] cause throws(TursoAPIError) in
                try await checkNotCreated(name: name, cause: cause)
            },
            stopRequested: { stop.isRequested }
        )
        let response = exchange.response
        guard (200...299).contains(response.status) else {
            let error = error(for: response, operation, attempts: exchange.attempts)
            // The earlier attempt may have landed after its check: look again.
            if error.kind == .alreadyExists, exchange.afterAmbiguousAttempt {
                try await checkNotCreated(
                    name: name, cause: "an earlier attempt got no clear answer, and sending it again found the name taken"
                )
            }
            throw error
        }
        // Any success carrying the value is one (a 201 too); without it, Turso may still have created the token.
        let created = try? TursoJSON.parse(response.body)
        if let id = created?["id"]?.stringValue, let token = created?["token"]?.stringValue, !id.isEmpty, !token.isEmpty {
            return CreatedAPIToken(name: name, id: id, token: token)
        }
        let cause = "Turso answered \(response.status) without the token's id and value"
        try await checkNotCreated(name: name, cause: cause)
        throw .invalidResponse(
            operation, status: response.status,
            problem: "no token id or value, and no token named \"\(DisplayText.escaped(name))\" exists: nothing was created"
        )
    }

    /// Returns when no token named `name` exists, so nothing was created and
    /// sending again is safe. Throws `.createdButValueLost` with the token
    /// when it exists, `.createOutcomeUnknown` when the listing fails
    /// (cancellation included: the question stays open either way).
    func checkNotCreated(name: String, cause: String) async throws(TursoAPIError) {
        listCache.invalidate()
        switch await fetchTokens(.user) {
        case .success(let tokens):
            if let found = try Self.token(named: name, in: tokens, .listTokens(organization: nil)) {
                throw .createdButValueLost(name: name, cause: cause, token: found)
            }
        case .failure(let error):
            throw .createOutcomeUnknown(name: name, cause: cause, check: error)
        }
    }
}

/// Set once the caller of a create was cancelled: no new attempt starts,
/// while the one in flight is still awaited.
final class StopRequest: Sendable {
    private let requested = Atomic<Bool>(false)

    var isRequested: Bool { requested.load(ordering: .acquiring) }

    func request() { requested.store(true, ordering: .releasing) }
}
