/// Turso's permission scopes for group-scoped tokens, in the order the
/// OpenAPI spec lists them, and the presets that expand to them.
enum TokenScopes {
    static let all = [
        "read", "db:create", "db:delete", "db:configure", "db:mint-token", "db:rotate-creds",
        "group:configure", "group:mint-token", "group:rotate-creds",
    ]

    static let presets: [String: [String]] = ["read-only": ["read"], "full-access": all]

    /// Expands presets and removes duplicates, keeping the spec's order
    /// (Turso stores individual scopes and lists them that way). Returns the
    /// first unknown entry instead when there is one.
    static func expand(_ requested: [String]) -> Result<[String], UnknownScope> {
        var granted = Set<String>()
        for scope in requested {
            if let preset = presets[scope] {
                granted.formUnion(preset)
            } else if all.contains(scope) {
                granted.insert(scope)
            } else {
                return .failure(UnknownScope(scope: scope))
            }
        }
        return .success(all.filter(granted.contains))
    }

    struct UnknownScope: Error {
        var scope: String
        var message: String {
            "unknown scope \"\(scope)\"; valid scopes are \(all.joined(separator: ", ")) and the presets read-only, full-access"
        }
    }
}
