import TerraformPlugin

// Moving over from pyvider (Terraform 1.8+):
//
//     moved {
//       from = pyvider_timed_token.x
//       to   = turso_timed_token.x
//     }
//
// pyvider's `pyvider_timed_token` (pyvider-components 0.8.1) is the same
// idea with a fixed lifetime of one hour: its state holds `name`, `id`,
// `token` and `expires_at`. The move carries those over, sets `ttl = "1h"`
// and `renew_before = "0s"` (pyvider's fixed hour), and mints nothing: the
// token keeps working until it expires, then rotates as ours do. pyvider's
// private state is sealed with pyvider's key, so it is not read; the value
// comes from the state, and is sealed afresh with ours.
extension TimedTokenResource: ResourceWithMoveState {
    static let pyviderTypeName = "pyvider_timed_token"
    /// Matched on its last two parts, so any registry host serves.
    static let pyviderSource = "provide-io/pyvider"

    func moveState(_ request: MoveResourceStateRequest) async -> MoveResourceStateResponse? {
        guard request.sourceTypeName == Self.pyviderTypeName, Self.isPyvider(request.sourceProviderAddress) else { return nil }
        guard let json = request.sourceStateJSON, let source = try? TursoJSON.parse(json) else {
            return MoveResourceStateResponse(diagnostics: [TimedTokenDiagnostics.moveSourceUnreadable(problem: "its stored state is not a JSON object")])
        }
        var values: [String: String] = [:]
        var missing: [String] = []
        for name in ["name", "id", "token", "expires_at"] {
            if let value = source[name]?.stringValue, !value.isEmpty { values[name] = value } else { missing.append(name) }
        }
        guard missing.isEmpty, let name = values["name"], let id = values["id"], let token = values["token"],
              let expiresText = values["expires_at"] else {
            return MoveResourceStateResponse(diagnostics: [
                TimedTokenDiagnostics.moveSourceUnreadable(problem: "its state has no \(missing.joined(separator: ", "))"),
            ])
        }
        // pyvider writes Python's isoformat (`2026-11-30T04:14:53.899777+00:00`);
        // ours is whole seconds in UTC. Dropping the fraction makes the token
        // rotate under a second early, never late.
        guard let expiresAt = RFC3339.parse(expiresText) else {
            return MoveResourceStateResponse(diagnostics: [
                TimedTokenDiagnostics.moveSourceUnreadable(problem: "its expires_at is not an RFC 3339 timestamp"),
            ])
        }
        // token_version as for a state written before it existed: the mint
        // time, expires_at less the ttl.
        var moved = Model.allNull
        moved.name = .known(name)
        moved.ttl = .known(Self.defaultTTL)
        moved.renewBefore = .known(Self.defaultRenewBefore)
        moved.id = .known(id)
        moved.token = .known(token)
        moved.expiresAt = .known(RFC3339.format(expiresAt))
        let state = stateValue(Self.withTokenVersion(moved))
        // Without a vault (the key is not known yet) the private state stays
        // empty, and the first refresh seals the state's copy.
        let sealed = context.privateStateVault().flatMap { try? Self.sealed.seal(state, id: id, with: $0) } ?? []
        return MoveResourceStateResponse(targetState: state, targetPrivate: sealed)
    }

    static func isPyvider(_ address: String) -> Bool {
        let parts = address.split(separator: "/", omittingEmptySubsequences: false)
        return parts.count >= 2 && parts.suffix(2).joined(separator: "/").lowercased() == pyviderSource
    }
}

extension TimedTokenDiagnostics {
    static func moveSourceUnreadable(problem: String) -> Diagnostic {
        .error(
            "Cannot move this pyvider_timed_token",
            "The pyvider_timed_token cannot become a turso_timed_token: \(problem). Remove the moved block and let Terraform create a new turso_timed_token instead."
        )
    }
}
