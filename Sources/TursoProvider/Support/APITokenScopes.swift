import TerraformPlugin

/// The permission scopes Turso grants group-scoped API tokens, and the
/// presets that stand for several of them. Turso stores and lists tokens
/// with presets expanded, so two spellings are the same grant when their
/// expansions are equal.
enum APITokenScopes {
    /// In the order of Turso's API reference.
    static let individual = [
        "read", "db:create", "db:delete", "db:configure", "db:mint-token", "db:rotate-creds",
        "group:configure", "group:mint-token", "group:rotate-creds",
    ]

    static let presets: [String: [String]] = ["read-only": ["read"], "full-access": individual]

    static func isValid(_ scope: String) -> Bool { presets[scope] != nil || individual.contains(scope) }

    /// The individual scopes `scopes` grants. Unknown entries are kept as
    /// they are, so a scope Turso adds later still compares equal to itself.
    static func expanded(_ scopes: [String]) -> Set<String> {
        var granted = Set<String>()
        for scope in scopes { granted.formUnion(presets[scope] ?? [scope]) }
        return granted
    }

    /// The entries of a set or list of strings; nil when it is null, unknown
    /// or holds an unknown.
    static func strings(_ value: CtyValue) -> [String]? {
        guard value.isWhollyKnown, let elements = value.elements else { return nil }
        return elements.compactMap(\.stringValue)
    }
}

extension APITokenScopes {
    /// The same grant: equal values, or wholly known ones whose expansions
    /// are equal (a preset and the scopes it stands for).
    static func sameGrant(_ first: CtyValue, _ second: CtyValue) -> Bool {
        if first == second { return true }
        guard let one = strings(first), let other = strings(second) else { return false }
        return expanded(one) == expanded(other)
    }
}
