/// A Turso Platform API token as Turso lists it (never with its value).
public struct APIToken: Sendable, Hashable {
    /// Unique per user, not across users.
    public var name: String
    public var id: String
    /// The organization the token is restricted to; nil for an unrestricted token.
    public var organization: String?
    /// The group a group-scoped token is pinned to.
    public var group: String?
    /// A group-scoped token's scopes, presets expanded (`read-only` is listed as `read`).
    public var scopes: [String]?
    /// `YYYY-MM-DD`, as Turso reports it.
    public var createdAt: String?
    /// Who minted it: in organization listings, shown to admins and owners.
    public var owner: Owner?

    public struct Owner: Sendable, Hashable {
        public var username: String?
        public var email: String?

        public init(username: String?, email: String?) {
            self.username = username
            self.email = email
        }
    }

    public init(
        name: String, id: String, organization: String? = nil, group: String? = nil, scopes: [String]? = nil,
        createdAt: String? = nil, owner: Owner? = nil
    ) {
        self.name = name
        self.id = id
        self.organization = organization
        self.group = group
        self.scopes = scopes
        self.createdAt = createdAt
        self.owner = owner
    }

    /// From one element of a `tokens` list; nil when name or id is missing.
    init?(json: TursoJSON) {
        guard let name = json["name"]?.stringValue, let id = json["id"]?.stringValue else { return nil }
        self.init(
            name: name, id: id, organization: json["organization"]?.stringValue, group: json["group"]?.stringValue,
            scopes: json["scopes"]?.arrayValue?.compactMap(\.stringValue), createdAt: json["created_at"]?.stringValue,
            owner: json["owner"].flatMap { owner in
                guard case .object = owner else { return nil }
                return Owner(username: owner["username"]?.stringValue, email: owner["email"]?.stringValue)
            }
        )
    }
}

/// A freshly created token, with the value Turso shows this once only.
/// Printing or dumping it never shows the value.
public struct CreatedAPIToken: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public let name: String
    public let id: String
    /// The secret: store it (sensitive), never log it.
    public let token: String

    public init(name: String, id: String, token: String) {
        self.name = name
        self.id = id
        self.token = token
    }

    public var description: String { "CreatedAPIToken(name: \(name), id: \(id), token: <redacted>)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["name": name, "id": id, "token": "<redacted>"]) }
}

/// What `GET /v1/auth/validate` says about a token.
public enum TokenValidity: Sendable, Hashable {
    /// Accepted; `expiresAt` nil means it never expires.
    case valid(expiresAt: UnixTime?)
    /// Rejected (401): unknown, revoked or expired.
    case invalid
}
