import TerraformPlugin

/// `list "turso_api_token" "all" { provider = turso }` (Terraform 1.14+,
/// `terraform query`): the API tokens of the provider's API token's user,
/// each with its identity, so `terraform query -generate-config-out=...`
/// can write the import blocks and configuration to adopt them.
///
/// One listing call to Turso per query: the same shared listing every read
/// uses, filtered here.
struct APITokenListResource: ListResource, ModelBacked {
    let context: ProviderContext

    var typeName: String { "turso_api_token" }

    // MARK: Schema

    var schema: Schema { Self.schema }

    static let schema = Schema(block: SchemaBlock(
        attributes: [
            .optional("organization", .string, """
                Only tokens restricted to the organization with this slug (organization- and \
                group-scoped tokens). Without it, every token of the user is listed, unrestricted \
                ones included.
                """),
            .optional("name_prefix", .string, """
                Only tokens whose name starts with this text, for example `ci-`.
                """),
        ],
        description: """
            Lists the Turso Platform API tokens of the user the provider's API token belongs to, \
            for `terraform query`. Each result carries the token's identity (its name) for an \
            `import` block; with `include_resource = true`, also the token's attributes as an \
            import would record them (`token` is null: Turso never shows a value again).
            """
    ))

    /// The `config` block of a `list "turso_api_token"`.
    struct Model: ObjectModel {
        enum Key: String, ModelKey { case organization, namePrefix = "name_prefix" }

        var organization: Field<String>
        var namePrefix: Field<String>

        init(reading object: ModelReader<Key>) {
            organization = object[.organization]
            namePrefix = object[.namePrefix]
        }

        func write(to object: inout ModelWriter<Key>) {
            object.set(.organization, organization)
            object.set(.namePrefix, namePrefix)
        }
    }

    func validateConfig(_ request: ValidateListResourceConfigRequest) async -> [Diagnostic] {
        if Model(request.config).organization.value == "" {
            return [APITokenListDiagnostics.emptyOrganization]
        }
        return []
    }

    // MARK: List

    func list(_ request: ListResourceRequest) async -> ListResourceResponse {
        // Without a config block: null, read as every field null.
        let config = Model(request.config)
        if config.organization.value == "" {
            return ListResourceResponse(diagnostics: [APITokenListDiagnostics.emptyOrganization])
        }
        let organization = config.organization.value
        let prefix = config.namePrefix.value
        let client: TursoClient
        switch context.api() {
        case .success(let found): client = found
        case .failure(let reason): return ListResourceResponse(diagnostics: [reason.diagnostic])
        }
        let tokens: [APIToken]
        do throws(TursoAPIError) {
            tokens = try await client.listTokens()
        } catch {
            return ListResourceResponse(diagnostics: [error.diagnostic()])
        }
        let results = Self.matching(tokens, organization: organization, namePrefix: prefix).map { token in
            ListResourceResult(
                identity: APITokenResource.identity(name: token.name),
                displayName: Self.displayName(token),
                resourceObject: request.includeResourceObject ? APITokenResource.state(importedFrom: token) : nil
            )
        }
        return ListResourceResponse(results: results)
    }

    /// Sorted by name, so a query lists the same tokens in the same order.
    static func matching(_ tokens: [APIToken], organization: String?, namePrefix: String?) -> [APIToken] {
        tokens
            .filter { token in organization.map { token.organization == $0 } ?? true }
            .filter { token in namePrefix.map { token.name.hasPrefix($0) } ?? true }
            .sorted { $0.name < $1.name }
    }

    /// `ci (organization acme, group prod)`: enough to tell tokens apart at a glance.
    static func displayName(_ token: APIToken) -> String {
        var scope: [String] = []
        if let organization = token.organization { scope.append("organization \(organization)") }
        if let group = token.group { scope.append("group \(group)") }
        return scope.isEmpty ? token.name : "\(token.name) (\(scope.joined(separator: ", ")))"
    }
}

enum APITokenListDiagnostics {
    static let emptyOrganization = Diagnostic.error(
        "Empty organization",
        "Set organization to an organization slug, or leave it out to list every token.",
        at: "organization"
    )
}
