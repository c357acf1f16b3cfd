import TerraformPlugin

/// `turso_api_tokens`: the API tokens Turso lists, without their values.
struct APITokensDataSource: DataSource, ModelBacked {
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

    /// The configuration and result of `turso_api_tokens`.
    struct Model: ObjectModel {
        enum Key: String, ModelKey { case organization, tokens }

        var organization: Field<String>
        /// A list of `Token` values.
        var tokens: CtyValue

        init(reading object: ModelReader<Key>) {
            organization = object[.organization]
            tokens = object[raw: .tokens]
        }

        func write(to object: inout ModelWriter<Key>) {
            object.set(.organization, organization)
            object.set(raw: .tokens, tokens)
        }
    }

    /// One listed token (`tokenType`).
    struct Token: ObjectModel {
        enum Key: String, ModelKey { case name, id, organization, group, scopes, createdAt = "created_at" }

        var name: Field<String>
        var id: Field<String>
        var organization: Field<String>
        var group: Field<String>
        var scopes: CtyValue
        var createdAt: Field<String>

        init(reading object: ModelReader<Key>) {
            name = object[.name]
            id = object[.id]
            organization = object[.organization]
            group = object[.group]
            scopes = object[raw: .scopes]
            createdAt = object[.createdAt]
        }

        func write(to object: inout ModelWriter<Key>) {
            object.set(.name, name)
            object.set(.id, id)
            object.set(.organization, organization)
            object.set(.group, group)
            object.set(raw: .scopes, scopes)
            object.set(.createdAt, createdAt)
        }

        init(_ token: APIToken) {
            self = .allNull
            name = .known(token.name)
            id = .known(token.id)
            organization = Field(token.organization)
            group = Field(token.group)
            scopes = token.scopes.map { .list(of: .string, $0.map(CtyValue.string)) } ?? .null(.list(.string))
            createdAt = Field(token.createdAt)
        }
    }

    /// The organization travels as a path segment: `..` would send the
    /// listing elsewhere (see PathSegmentNames).
    func validateConfig(_ request: ValidateDataSourceConfigRequest) async -> [Diagnostic] {
        Self.validate(Model(request.config))
    }

    static func validate(_ config: Model) -> [Diagnostic] {
        guard let organization = config.organization.value else { return [] }
        if organization.isEmpty { return [APITokensDiagnostics.emptyOrganization] }
        if let problem = PathSegmentNames.problem(organization) { return [APITokensDiagnostics.invalidOrganization(organization, problem: problem)] }
        return []
    }

    // MARK: Read

    func read(_ request: ReadDataSourceRequest) async -> ReadDataSourceResponse {
        var config = Model(request.config)
        let failed = { (diagnostic: Diagnostic) in ReadDataSourceResponse(state: request.config, diagnostics: [diagnostic]) }
        let problems = Self.validate(config)
        if problems.hasErrors { return ReadDataSourceResponse(state: request.config, diagnostics: problems) }
        let client: TursoClient
        switch context.api() {
        case .success(let found): client = found
        case .failure(let reason): return failed(reason.diagnostic)
        }
        let tokens: [APIToken]
        do throws(TursoAPIError) {
            tokens = try await client.listTokens(organization: config.organization.value)
        } catch {
            return failed(error.diagnostic(at: error.kind == .notFound ? "organization" : nil))
        }
        config.tokens = .list(of: Self.tokenType, tokens.map { Token($0).value(of: Self.tokenType) })
        return ReadDataSourceResponse(state: config.value(of: Self.schema.impliedType, over: request.config))
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
