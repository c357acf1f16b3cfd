extension TursoClient {
    /// Creates an API token and returns it with its value, which Turso
    /// never shows again.
    ///
    /// - organization: restricts the token to one organization.
    /// - group, scopes: pin it to a group of that organization, with these
    ///   scopes (`read`, `db:create`, ..., or the presets `read-only`, `full-access`).
    /// - All nil: an unrestricted token (deprecated by Turso).
    ///
    /// A create is not idempotent, so it is resent only when Turso surely
    /// did not act on it. When an attempt fails in a way that leaves that
    /// open, the tokens are listed: if the name now exists, the value is
    /// lost and this throws `.createdButValueLost` (with how to recover)
    /// instead of creating again.
    public func createToken(
        name: String, organization: String? = nil, group: String? = nil, scopes: [String]? = nil
    ) async throws(TursoAPIError) -> CreatedAPIToken {
        let operation = TursoOperation.createToken(name: name)
        try requireNonEmpty(name, "token name", operation)
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
            }
        )
        let response = exchange.response
        guard response.status == 200 else {
            let error = error(for: response, operation, attempts: exchange.attempts)
            // The earlier attempt may have landed after the check: the name taken now is likely ours.
            if error.kind == .alreadyExists, exchange.afterAmbiguousAttempt {
                throw .createdButValueLost(
                    name: name, cause: "an earlier attempt got no clear answer, and sending it again found the name taken"
                )
            }
            throw error
        }
        let created = try? TursoJSON.parse(response.body)
        guard let id = created?["id"]?.stringValue, let token = created?["token"]?.stringValue, !token.isEmpty else {
            // Turso did create it: say so, rather than only that the answer was odd.
            throw .createdButValueLost(name: name, cause: "the answer had no token id or value")
        }
        return CreatedAPIToken(name: created?["name"]?.stringValue ?? name, id: id, token: token)
    }

    /// Returns when no token named `name` exists, so creating again is safe.
    private func checkNotCreated(name: String, cause: String) async throws(TursoAPIError) {
        listCache.invalidate()
        switch await fetchTokens(.user) {
        case .success(let tokens):
            if tokens.contains(where: { $0.name == name }) { throw .createdButValueLost(name: name, cause: cause) }
        case .failure(let error):
            if error.kind == .cancelled { throw error }
            throw .createOutcomeUnknown(name: name, cause: cause, check: error)
        }
    }
}
