import TerraformPlugin

/// `turso_api_token_validation`: asks Turso whether a token is valid.
struct APITokenValidationDataSource: DataSource {
    let context: ProviderContext

    var typeName: String { "turso_api_token_validation" }

    // MARK: Schema

    var schema: Schema { Self.schema }

    static let schema = Schema(block: SchemaBlock(
        attributes: [
            .optional("token", .string, sensitive: true, """
                The Turso Platform API token to check, for example `turso_api_token.ci.token`. \
                Defaults to the provider's own API token.
                """),
            .computed("valid", .bool, """
                Whether Turso accepts the token. A revoked, expired or unknown token gives `false`, \
                not an error.
                """),
            .computed("expires_at", .string, """
                When the token expires, as an RFC 3339 timestamp in UTC (`2026-01-02T15:04:05Z`); null \
                when it never expires or is not valid.
                """),
        ],
        description: """
            Checks a Turso Platform API token with Turso (`GET /v1/auth/validate`): whether it is \
            valid, and until when. Use it to fail early on a stale token, or in a `check` or \
            `postcondition`. Read at every plan.
            """
    ))

    /// A token with a line break would add headers of its own to the request.
    func validateConfig(_ request: ValidateDataSourceConfigRequest) async -> [Diagnostic] {
        Self.validate(request.config)
    }

    static func validate(_ config: CtyValue) -> [Diagnostic] {
        guard let token = config[attribute: "token"].stringValue, DisplayText.hasControlCharacters(token) else { return [] }
        return [ProviderDiagnostics.apiTokenHasControlCharacters(source: "token", at: "token")]
    }

    // MARK: Read

    func read(_ request: ReadDataSourceRequest) async -> ReadDataSourceResponse {
        let config = request.config
        let failed = { (diagnostic: Diagnostic) in ReadDataSourceResponse(state: config, diagnostics: [diagnostic]) }
        if let problem = Self.validate(config).first { return failed(problem) }
        let token: String
        let client: TursoClient
        if let given = config[attribute: "token"].stringValue {
            switch context.apiWithoutToken() {
            case .success(let found): (token, client) = (given, found)
            case .failure(let reason): return failed(reason.diagnostic)
            }
        } else {
            switch context.api() {
            case .success(let found):
                guard let own = context.apiToken else { return failed(APIUnavailable.settingsUnknown.diagnostic) }
                (token, client) = (own, found)
            case .failure(let reason):
                return failed(reason.diagnostic)
            }
        }
        let validity: TokenValidity
        do throws(TursoAPIError) {
            validity = try await client.validate(token: token)
        } catch {
            return failed(error.diagnostic())
        }
        let (valid, expiresAt): (Bool, CtyValue) = switch validity {
        case .valid(let expiry): (true, expiry.map { .string(RFC3339.format($0)) } ?? .null(.string))
        case .invalid: (false, .null(.string))
        }
        return ReadDataSourceResponse(state: config.setting(["valid": .bool(valid), "expires_at": expiresAt]))
    }
}
