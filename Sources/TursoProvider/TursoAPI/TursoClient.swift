import TerraformPlugin

/// A client of the Turso Platform API's token endpoints, shared by the
/// resources and data sources of one provider process.
///
/// Every call retries what is safe to retry (see `exchange`), throws a
/// `TursoAPIError` whose text is ready for the user, and ends promptly when
/// its task is cancelled. Listings are shared (see `TokenListCache`).
public final class TursoClient: Sendable {
    public static let defaultBaseURL = "https://api.turso.tech"

    public struct Options: Sendable {
        public var connectTimeout: Duration = .seconds(10)
        /// The whole of one attempt: connecting, sending, the answer.
        public var requestTimeout: Duration = .seconds(30)
        public var retry = RetryPolicy()
        /// How long a listing is reused. The provider's own creates and
        /// revokes invalidate it at once; changes made elsewhere show after this.
        public var listCacheLifetime: Duration = .seconds(10)

        /// Waits between attempts; tests record the delays instead.
        package var sleep: @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
        /// Jitter source, in 0..<1.
        package var random: @Sendable () -> Double = { Double.random(in: 0..<1) }
        /// For `Retry-After` dates.
        package var clock: any Clock = SystemClock()
        /// Tests point it at a library that does not exist.
        package var libraryName = CurlLibrary.defaultName

        public init() {}
    }

    let baseURL: String
    private let apiToken: String
    let options: Options
    let transport: CurlTransport
    let listCache: TokenListCache

    /// - Parameters:
    ///   - baseURL: `https://api.turso.tech`, or an emulator's `http://127.0.0.1:<port>`.
    ///   - apiToken: the bearer for every call (the provider's `api_token` or `TURSO_API_TOKEN`).
    ///   - userAgent: names the provider and its version, e.g. `terraform-provider-turso/0.1.0`.
    public init(baseURL: String = TursoClient.defaultBaseURL, apiToken: String, userAgent: String, options: Options = Options()) {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.apiToken = apiToken
        self.options = options
        self.transport = CurlTransport(settings: CurlTransport.Settings(
            libraryName: options.libraryName, userAgent: userAgent,
            connectTimeout: options.connectTimeout, requestTimeout: options.requestTimeout
        ))
        self.listCache = TokenListCache(lifetime: options.listCacheLifetime)
    }

    // MARK: Token endpoints

    /// The tokens of the API token's user (`organization` nil), or the
    /// organization- and group-scoped tokens of `organization` (with their
    /// owners, for admins). Possibly up to `listCacheLifetime` old, but
    /// never older than this client's last create or revoke.
    public func listTokens(organization: String? = nil) async throws(TursoAPIError) -> [APIToken] {
        let scope: TokenListCache.Scope = organization.map { .organization($0) } ?? .user
        let operation = TursoOperation.listTokens(organization: organization)
        return try await listCache.tokens(scope, cancelled: .cancelled(operation)) { [self] scope in
            await fetchTokens(scope)
        }.get()
    }

    /// The user's token named `name`, or nil. Served from the shared listing,
    /// so reading many tokens costs a handful of API calls.
    public func token(named name: String) async throws(TursoAPIError) -> APIToken? {
        try await listTokens().first { $0.name == name }
    }

    /// Revokes the user's token named `name`. Throws `.notFound` when there
    /// is none, except when an earlier attempt of this call may have revoked it.
    public func revokeToken(name: String) async throws(TursoAPIError) {
        let operation = TursoOperation.revokeToken(name: name)
        try requireNonEmpty(name, "token name", operation)
        defer { listCache.invalidate() }
        let exchange = try await exchange(operation, .delete, "/v1/auth/api-tokens/\(Self.pathSegment(name))")
        try expectRevoked(exchange, operation)
    }

    /// Revokes the token with `id` in `organization` (an admin may revoke any member's).
    public func revokeOrganizationToken(organization: String, id: String) async throws(TursoAPIError) {
        let operation = TursoOperation.revokeOrganizationToken(organization: organization, id: id)
        try requireNonEmpty(organization, "organization", operation)
        try requireNonEmpty(id, "token id", operation)
        defer { listCache.invalidate() }
        let path = "/v1/organizations/\(Self.pathSegment(organization))/api-tokens/\(Self.pathSegment(id))"
        let exchange = try await exchange(operation, .delete, path)
        try expectRevoked(exchange, operation)
    }

    /// Asks Turso whether `token` (any token, not the client's own) is valid,
    /// and until when.
    public func validate(token: String) async throws(TursoAPIError) -> TokenValidity {
        let operation = TursoOperation.validateToken
        let exchange = try await exchange(operation, .get, "/v1/auth/validate", bearer: token)
        let response = exchange.response
        if response.status == 401 { return .invalid }
        guard response.status == 200 else { throw error(for: response, operation, attempts: exchange.attempts, redacting: token) }
        guard let exp = (try? TursoJSON.parse(response.body))?["exp"]?.int64Value else {
            throw .invalidResponse(operation, status: 200, problem: "no integer \"exp\"")
        }
        return .valid(expiresAt: exp < 0 ? nil : UnixTime(seconds: exp))
    }

    // MARK: Shared by the calls

    /// One uncached listing, with retries.
    func fetchTokens(_ scope: TokenListCache.Scope) async -> TokenListCache.Listing {
        let (operation, path): (TursoOperation, String) = switch scope {
        case .user: (.listTokens(organization: nil), "/v1/auth/api-tokens")
        case .organization(let slug): (.listTokens(organization: slug), "/v1/organizations/\(Self.pathSegment(slug))/api-tokens")
        }
        do throws(TursoAPIError) {
            let exchange = try await exchange(operation, .get, path)
            let response = exchange.response
            guard response.status == 200 else { throw error(for: response, operation, attempts: exchange.attempts) }
            guard let list = (try? TursoJSON.parse(response.body))?["tokens"]?.arrayValue else {
                throw .invalidResponse(operation, status: 200, problem: "no \"tokens\" list")
            }
            var tokens: [APIToken] = []
            tokens.reserveCapacity(list.count)
            for element in list {
                guard let token = APIToken(json: element) else {
                    throw .invalidResponse(operation, status: 200, problem: "a token without name or id")
                }
                tokens.append(token)
            }
            return .success(tokens)
        } catch {
            return .failure(error)
        }
    }

    private func expectRevoked(_ exchange: Exchange, _ operation: TursoOperation) throws(TursoAPIError) {
        let status = exchange.response.status
        // A 404 after an attempt that may have gone through means that attempt revoked it.
        if status == 200 || (status == 404 && exchange.afterAmbiguousAttempt) { return }
        throw error(for: exchange.response, operation, attempts: exchange.attempts)
    }

    func requireNonEmpty(_ value: String, _ what: String, _ operation: TursoOperation) throws(TursoAPIError) {
        if value.isEmpty { throw .invalidArgument(operation, problem: "the \(what) is empty") }
    }

    /// The error for a final non-success answer.
    func error(for response: HTTPResponse, _ operation: TursoOperation, attempts: Int, redacting secret: String? = nil) -> TursoAPIError {
        let message = apiMessage(response.body, redacting: secret)
        switch response.status {
        case 400:
            // Turso has answered a duplicate name with 400 too.
            if message?.lowercased().contains("already exists") == true {
                return .alreadyExists(operation, status: 400, apiMessage: message)
            }
            return .invalidRequest(operation, status: 400, apiMessage: message)
        case 401: return .authentication(operation, apiMessage: message)
        case 403: return .forbidden(operation, apiMessage: message)
        case 404: return .notFound(operation, apiMessage: message)
        case 409: return .alreadyExists(operation, status: 409, apiMessage: message)
        case 405, 411, 413, 415, 422: return .invalidRequest(operation, status: response.status, apiMessage: message)
        case 429: return .rateLimited(operation, attempts: attempts, apiMessage: message)
        case 500...599: return .server(operation, status: response.status, attempts: attempts, apiMessage: message)
        default: return .unexpectedStatus(operation, status: response.status, apiMessage: message)
        }
    }

    /// Turso's `{"error": "..."}` text, shortened, with any token value
    /// removed and control characters escaped: it is whatever a server sent,
    /// and it reaches the user's terminal.
    func apiMessage(_ body: [UInt8], redacting secret: String? = nil) -> String? {
        guard let text = (try? TursoJSON.parse(body))?["error"]?.stringValue, !text.isEmpty else { return nil }
        var message = String(text.prefix(500))
        for value in [apiToken, secret ?? ""] where value.count >= 8 {
            message = message.replacing(value, with: "<redacted>")
        }
        return Self.escapingControlCharacters(message)
    }

    /// Control characters (C0, DEL, C1) and the Unicode line and paragraph
    /// separators written as `\u001b`-style escapes; the rest unchanged.
    static func escapingControlCharacters(_ text: String) -> String {
        var escaped = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar.properties.generalCategory == .control || scalar.value == 0x2028 || scalar.value == 0x2029 {
                let hex = String(scalar.value, radix: 16)
                escaped.append(contentsOf: ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).unicodeScalars)
            } else {
                escaped.append(scalar)
            }
        }
        return String(escaped)
    }

    /// Percent-encodes everything but RFC 3986's unreserved characters.
    static func pathSegment(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var encoded: [UInt8] = []
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                encoded.append(byte)
            default:
                encoded += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            }
        }
        return String(decoding: encoded, as: UTF8.self)
    }

    func authorization(_ bearer: String?) -> String { "Authorization: Bearer \(bearer ?? apiToken)" }
}
