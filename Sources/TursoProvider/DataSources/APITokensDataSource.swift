import TerraformPlugin

/// `turso_api_tokens`: the API tokens Turso lists, without their values.
struct APITokensDataSource: DataSource {
    let context: ProviderContext

    var typeName: String { "turso_api_tokens" }

    // MARK: Schema

    var schema: Schema { Self.schema }

    static let tokenType = CtyType.object([
        "name": .string, "id": .string, "organization": .string, "group": .string, "scopes": .list(.string), "created_at": .string,
    ])

    static let schema = Schema(block: SchemaBlock(
        attributes: [
            .optional("organization", .string, """
                An organization's slug: list the tokens restricted to that organization (organization- \
                and group-scoped, not unrestricted ones), those of every member if you are an admin or \
                owner, else only yours. Without it, every token of the provider's API token's user.
                """),
            .computed("tokens", .list(tokenType), """
                The tokens, in Turso's order. Each has `name`, `id`, `organization` (null for an \
                unrestricted token), `group` and `scopes` (null unless group-scoped; presets are listed \
                expanded, so `read-only` shows as `read`), and `created_at`, the day of creation as \
                Turso reports it (`YYYY-MM-DD`). Token values are never listed: Turso shows a value \
                only when the token is created.
                """),
        ],
        description: """
            Lists Turso Platform API tokens: your own, or an organization's. Values are not included.
            """
    ))

    /// The organization travels as a path segment: `..` would send the
    /// listing elsewhere (see PathSegmentNames).
    func validateConfig(_ request: ValidateDataSourceConfigRequest) async -> [Diagnostic] {
        Self.validate(request.config)
    }

    static func validate(_ config: CtyValue) -> [Diagnostic] {
        guard let organization = config[attribute: "organization"].stringValue else { return [] }
        if organization.isEmpty { return [APITokensDiagnostics.emptyOrganization] }
        if let problem = PathSegmentNames.problem(organization) { return [APITokensDiagnostics.invalidOrganization(organization, problem: problem)] }
        return []
    }

    // MARK: Read

    func read(_ request: ReadDataSourceRequest) async -> ReadDataSourceResponse {
        let config = request.config
        let failed = { (diagnostic: Diagnostic) in ReadDataSourceResponse(state: config, diagnostics: [diagnostic]) }
        let problems = Self.validate(config)
        if problems.hasErrors { return ReadDataSourceResponse(state: config, diagnostics: problems) }
        let client: TursoClient
        switch context.api() {
        case .success(let found): client = found
        case .failure(let reason): return failed(reason.diagnostic)
        }
        let tokens: [APIToken]
        do throws(TursoAPIError) {
            tokens = try await client.listTokens(organization: config[attribute: "organization"].stringValue)
        } catch {
            return failed(error.diagnostic(at: error.kind == .notFound ? "organization" : nil))
        }
        let listed = tokens.map { token in
            CtyValue.object(type: Self.tokenType, [
                "name": .string(token.name),
                "id": .string(token.id),
                "organization": token.organization.map(CtyValue.string) ?? .null(.string),
                "group": token.group.map(CtyValue.string) ?? .null(.string),
                "scopes": token.scopes.map { .list(of: .string, $0.map(CtyValue.string)) } ?? .null(.list(.string)),
                "created_at": token.createdAt.map(CtyValue.string) ?? .null(.string),
            ])
        }
        return ReadDataSourceResponse(state: config.setting("tokens", to: .list(of: Self.tokenType, listed)))
    }
}

/// User-facing wording for `turso_api_tokens`.
enum APITokensDiagnostics {
    static let emptyOrganization = Diagnostic.error(
        "Empty organization",
        "Set organization to an organization's slug (see `turso org list`), or leave it out to list your own tokens.",
        at: "organization"
    )

    static func invalidOrganization(_ organization: String, problem: String) -> Diagnostic {
        .error(
            "Invalid organization",
            "\"\(DisplayText.escaped(organization, limit: 100))\" cannot be an organization slug: \(problem). Set organization to a slug from `turso org list`.",
            at: "organization"
        )
    }
}
