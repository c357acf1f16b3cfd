import Foundation

/// The Turso API token endpoints, as /work/shared/reference/turso-api-tokens.txt
/// documents them. Checks run in the order Turso's answers imply: who is
/// asking (401), is the request well-formed (400), may they (403), does the
/// target exist (404), is the name free (409).
extension EmulatorCore {
    /// An answer refusing the request, carried in a Result.
    struct Refusal: Error {
        var response: HTTPResponse

        init(_ status: Int, _ message: String) {
            response = .error(status, message)
        }
    }

    /// Who a bearer token acts as, and what it is restricted to.
    struct Principal {
        var user: EmulatorConfiguration.User
        var organization: String?
        var group: String?
    }

    func api(_ request: HTTPRequest) -> HTTPResponse {
        route(request, [
            ("GET", "v1/auth/validate", { _ in self.validate(request) }),
            ("GET", "v1/auth/api-tokens", { _ in self.withPrincipal(request) { self.listTokens($0) } }),
            ("POST", "v1/auth/api-tokens/*", { captured in
                self.withPrincipal(request) { self.createToken(name: captured[0], body: request.body, by: $0) }
            }),
            ("DELETE", "v1/auth/api-tokens/*", { captured in
                self.withPrincipal(request) { self.revokeToken(name: captured[0], by: $0) }
            }),
            ("GET", "v1/organizations/*/api-tokens", { captured in
                self.withPrincipal(request) { self.listOrganizationTokens(captured[0], by: $0) }
            }),
            ("DELETE", "v1/organizations/*/api-tokens/*", { captured in
                self.withPrincipal(request) { self.revokeOrganizationToken(captured[0], id: captured[1], by: $0) }
            }),
        ])
    }

    /// Answers with the first route whose method and path template (`*`
    /// matches one segment and is captured, decoded) match: 405 when only
    /// the path matched, 404 when nothing did.
    func route(_ request: HTTPRequest, _ routes: [(method: String, template: String, action: ([String]) -> HTTPResponse)]) -> HTTPResponse {
        guard let segments = request.pathSegments else { return .error(400, "invalid percent-encoding in path") }
        var pathMatched = false
        for route in routes {
            let template = route.template.split(separator: "/").map(String.init)
            guard template.count == segments.count,
                  zip(template, segments).allSatisfy({ $0 == "*" || $0 == $1 }) else { continue }
            guard route.method == request.method else {
                pathMatched = true
                continue
            }
            return route.action(zip(template, segments).filter { $0.0 == "*" }.map(\.1))
        }
        return pathMatched
            ? .error(405, "method \(request.method) not allowed on \(request.path)")
            : .error(404, "not found: \(request.path)")
    }

    // MARK: Authentication

    private func bearer(_ request: HTTPRequest) -> String? {
        guard let value = request.header("authorization") else { return nil }
        let parts = value.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }

    /// The principal a bearer acts as, or the 401 to answer. The answer never repeats the token.
    private func authenticate(_ request: HTTPRequest) -> Result<(Principal, expiresAt: Int64?), Refusal> {
        guard let token = bearer(request) else {
            return .failure(Refusal(401, "missing bearer token in Authorization header"))
        }
        if let user = configuration.users.first(where: { $0.token == token }) {
            return .success((Principal(user: user), nil))
        }
        let minted = state.withLock { $0.tokens.first { $0.value == token } }
        guard let minted, let user = configuration.users.first(where: { $0.username == minted.owner }) else {
            return .failure(Refusal(401, "invalid or revoked token"))
        }
        if let expiresAt = minted.expiresAt, expiresAt <= Int64(configuration.now().timeIntervalSince1970) {
            return .failure(Refusal(401, "token expired"))
        }
        return .success((Principal(user: user, organization: minted.organization, group: minted.group), minted.expiresAt))
    }

    /// Runs `body` for an authenticated principal allowed to manage API tokens.
    private func withPrincipal(_ request: HTTPRequest, _ body: (Principal) -> HTTPResponse) -> HTTPResponse {
        switch authenticate(request) {
        case .failure(let refusal):
            return refusal.response
        case .success(let (principal, _)):
            if let group = principal.group {
                return .error(403, "this token is restricted to group \(group) and cannot manage API tokens")
            }
            return body(principal)
        }
    }

    private func validate(_ request: HTTPRequest) -> HTTPResponse {
        switch authenticate(request) {
        case .failure(let refusal): refusal.response
        case .success(let (_, expiresAt)): .json(200, ["exp": expiresAt ?? -1])
        }
    }

    // MARK: User endpoints

    private func createToken(name: String, body: [UInt8], by principal: Principal) -> HTTPResponse {
        let restriction: CreateRestriction
        switch CreateRestriction.parse(body) {
        case .failure(let problem): return .error(400, problem.message)
        case .success(let parsed): restriction = parsed
        }
        guard Self.isValidName(name) else {
            return .error(400, "invalid token name \"\(name)\": use 1 to 64 letters, digits, '-', '_' or '.'")
        }
        if let pinned = principal.organization, restriction.organization != pinned {
            return .error(403, "this token is restricted to organization \(pinned)")
        }
        if let organization = restriction.organization {
            guard let groups = configuration.organizations[organization] else {
                return .error(404, "organization \(organization) not found")
            }
            guard let role = principal.user.memberships[organization] else {
                return .error(403, "you are not a member of organization \(organization)")
            }
            if let group = restriction.group {
                guard role.managesOrganization else {
                    return .error(403, "only admins and owners of \(organization) can mint group-scoped tokens")
                }
                guard groups.contains(group) else {
                    return .error(404, "group \(group) not found in organization \(organization)")
                }
            }
        }
        let now = configuration.now()
        let id = TokenMinting.newID()
        let stored = StoredToken(
            name: name, id: id, value: TokenMinting.newToken(id: id, issuedAt: now), owner: principal.user.username,
            organization: restriction.organization, group: restriction.group, scopes: restriction.scopes, createdAt: now
        )
        let created = state.withLock { state -> Bool in
            if state.tokens.contains(where: { $0.owner == stored.owner && Self.sameName($0.name, name) }) { return false }
            state.tokens.append(stored)
            return true
        }
        guard created else { return .error(409, "a token with the name \(name) already exists") }
        return .json(200, ["name": stored.name, "id": stored.id, "token": stored.value])
    }

    private func listTokens(_ principal: Principal) -> HTTPResponse {
        let mine = state.withLock { $0.tokens.filter { $0.owner == principal.user.username } }
        return .json(200, TokenList(tokens: mine.map { listed($0, owner: nil) }))
    }

    private func revokeToken(name: String, by principal: Principal) -> HTTPResponse {
        state.withLock { state in
            guard let index = state.tokens.firstIndex(where: { $0.owner == principal.user.username && Self.sameName($0.name, name) }) else {
                return .error(404, "token \(name) not found")
            }
            if let pinned = principal.organization, state.tokens[index].organization != pinned {
                return .error(403, "this token is restricted to organization \(pinned)")
            }
            state.tokens.remove(at: index)
            return .json(200, ["token": name])
        }
    }

    // MARK: Organization endpoints

    /// The caller's role in `organization`, or the answer refusing them.
    private func role(in organization: String, of principal: Principal) -> Result<EmulatorConfiguration.Role, Refusal> {
        guard configuration.organizations[organization] != nil else {
            return .failure(Refusal(404, "organization \(organization) not found"))
        }
        if let pinned = principal.organization, pinned != organization {
            return .failure(Refusal(403, "this token is restricted to organization \(pinned)"))
        }
        guard let role = principal.user.memberships[organization] else {
            return .failure(Refusal(403, "you are not a member of organization \(organization)"))
        }
        return .success(role)
    }

    private func listOrganizationTokens(_ organization: String, by principal: Principal) -> HTTPResponse {
        let role: EmulatorConfiguration.Role
        switch self.role(in: organization, of: principal) {
        case .failure(let refusal): return refusal.response
        case .success(let found): role = found
        }
        let tokens = state.withLock { state in
            state.tokens.filter {
                $0.organization == organization && (role.managesOrganization || $0.owner == principal.user.username)
            }
        }
        let users = Dictionary(configuration.users.map { ($0.username, $0) }, uniquingKeysWith: { first, _ in first })
        return .json(200, TokenList(tokens: tokens.map { token in
            // Owners are shown to admins and owners only, as Turso documents.
            let owner = role.managesOrganization ? users[token.owner].map { Owner(username: $0.username, email: $0.email) } : nil
            return listed(token, owner: owner)
        }))
    }

    private func revokeOrganizationToken(_ organization: String, id: String, by principal: Principal) -> HTTPResponse {
        let role: EmulatorConfiguration.Role
        switch self.role(in: organization, of: principal) {
        case .failure(let refusal): return refusal.response
        case .success(let found): role = found
        }
        return state.withLock { state in
            // A token of another organization answers 404, not 403: ids of other organizations do not leak.
            guard let index = state.tokens.firstIndex(where: { $0.id == id && $0.organization == organization }) else {
                return .error(404, "token \(id) not found in organization \(organization)")
            }
            guard role.managesOrganization || state.tokens[index].owner == principal.user.username else {
                return .error(403, "members can only revoke tokens they minted")
            }
            state.tokens.remove(at: index)
            return .json(200, ["token": id])
        }
    }

    // MARK: Shapes

    /// Letters and digits of any script, '-', '_' and '.', 1 to 64 bytes.
    static func isValidName(_ name: String) -> Bool {
        (1...64).contains(name.utf8.count) && name.allSatisfy { $0.isLetter || $0.isNumber || "-_.".contains($0) }
    }

    /// Names are compared as Turso compares them: byte for byte (Swift's
    /// `==` would call `café` and `cafe` + combining accent equal).
    static func sameName(_ first: String, _ second: String) -> Bool {
        first.utf8.elementsEqual(second.utf8)
    }

    private func listed(_ token: StoredToken, owner: Owner?) -> ListedToken {
        ListedToken(
            name: token.name, id: token.id, organization: token.organization, group: token.group, scopes: token.scopes,
            owner: owner, createdAt: Self.day(token.createdAt)
        )
    }

    /// `YYYY-MM-DD` in UTC, as Turso's `created_at`.
    static func day(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        return formatter.string(from: date)
    }

    struct TokenList: Encodable {
        var tokens: [ListedToken]
    }

    /// Absent fields are omitted, not null, as Turso answers.
    struct ListedToken: Encodable {
        var name: String
        var id: String
        var organization: String?
        var group: String?
        var scopes: [String]?
        var owner: Owner?
        var createdAt: String

        enum CodingKeys: String, CodingKey {
            case name, id, organization, group, scopes, owner
            case createdAt = "created_at"
        }
    }

    struct Owner: Encodable {
        var username: String
        var email: String
    }
}

/// The optional body of a create request.
struct CreateRestriction {
    var organization: String?
    var group: String?
    /// Expanded (presets replaced by their scopes); set only for group-scoped tokens.
    var scopes: [String]?

    struct Problem: Error {
        var message: String
    }

    static func parse(_ body: [UInt8]) -> Result<CreateRestriction, Problem> {
        // No body (or only whitespace): an unrestricted token.
        if body.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) { return .success(CreateRestriction()) }
        guard let parsed = try? JSONSerialization.jsonObject(with: Data(body)) else {
            return .failure(Problem(message: "malformed JSON body"))
        }
        guard let object = parsed as? [String: Any] else {
            return .failure(Problem(message: "the body must be a JSON object"))
        }
        var restriction = CreateRestriction()
        for (key, value) in object where !(value is NSNull) {
            switch key {
            case "organization":
                guard let text = value as? String, !text.isEmpty else {
                    return .failure(Problem(message: "organization must be a non-empty string"))
                }
                restriction.organization = text
            case "group":
                guard let text = value as? String, !text.isEmpty else {
                    return .failure(Problem(message: "group must be a non-empty string"))
                }
                restriction.group = text
            case "scopes":
                guard let list = value as? [Any], let strings = list as? [String], strings.count == list.count else {
                    return .failure(Problem(message: "scopes must be a list of strings"))
                }
                switch TokenScopes.expand(strings) {
                case .failure(let unknown): return .failure(Problem(message: unknown.message))
                case .success(let expanded): restriction.scopes = strings.isEmpty ? [] : expanded
                }
            default:
                return .failure(Problem(message: "unknown field \"\(key)\""))
            }
        }
        if restriction.group != nil, restriction.organization == nil {
            return .failure(Problem(message: "group requires organization"))
        }
        if restriction.group != nil, restriction.scopes?.isEmpty ?? true {
            return .failure(Problem(message: "a group-scoped token needs a non-empty scopes list"))
        }
        if restriction.scopes != nil, restriction.group == nil {
            return .failure(Problem(message: "scopes apply only to group-scoped tokens: set organization and group"))
        }
        return .success(restriction)
    }
}
