import TerraformPlugin

/// `turso_api_token_validation`: asks Turso whether a token is valid.
struct APITokenValidationDataSource: DataSource, ModelBacked {
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

    /// The configuration and result of `turso_api_token_validation`.
    struct Model: ObjectModel {
        enum Key: String, ModelKey { case token, valid, expiresAt = "expires_at" }

        var token: Field<String>
        var valid: Field<Bool>
        var expiresAt: Field<String>

        init(reading object: ModelReader<Key>) {
            token = object[.token]
            valid = object[.valid]
            expiresAt = object[.expiresAt]
        }

        func write(to object: inout ModelWriter<Key>) {
            object.set(.token, token)
            object.set(.valid, valid)
            object.set(.expiresAt, expiresAt)
        }
    }

    /// A token with a line break would add headers of its own to the request.
    func validateConfig(_ request: ValidateDataSourceConfigRequest) async -> [Diagnostic] {
        Self.validate(Model(request.config))
    }

    static func validate(_ config: Model) -> [Diagnostic] {
        guard let token = config.token.value, DisplayText.hasControlCharacters(token) else { return [] }
        return [ProviderDiagnostics.apiTokenHasControlCharacters(source: "token", at: "token")]
    }

    // MARK: Read

    func read(_ request: ReadDataSourceRequest) async -> ReadDataSourceResponse {
        let config = Model(request.config)
        let failed = { (diagnostic: Diagnostic) in ReadDataSourceResponse(state: request.config, diagnostics: [diagnostic]) }
        if let problem = Self.validate(config).first { return failed(problem) }
        let token: String
        let client: TursoClient
        if let given = config.token.value {
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
        var state = config
        switch validity {
        case .valid(let expiry): (state.valid, state.expiresAt) = (.known(true), Field(expiry.map(RFC3339.format)))
        case .invalid: (state.valid, state.expiresAt) = (.known(false), .null)
        }
        return ReadDataSourceResponse(state: state.value(of: Self.schema.impliedType, over: request.config))
    }
}
