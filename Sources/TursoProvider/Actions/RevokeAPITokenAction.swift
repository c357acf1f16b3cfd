import TerraformPlugin

/// `action "turso_revoke_api_token" "leaked" { config { name = "ci" } }`
/// (Terraform 1.14+), run with `terraform apply -invoke=action.turso_revoke_api_token.leaked`:
/// revokes a Turso API token now, for incident response, whether or not
/// Terraform manages it.
///
/// Without `organization` it revokes the provider's user's token of that
/// name; with it, the organization's token of that name (an organization
/// admin may revoke any member's). A name Turso does not know succeeds with
/// a warning: the token one wanted gone is gone.
struct RevokeAPITokenAction: ProviderAction, ModelBacked {
    let context: ProviderContext

    var typeName: String { "turso_revoke_api_token" }

    // MARK: Schema

    var schema: Schema { Self.schema }

    static let schema = Schema(block: SchemaBlock(
        attributes: [
            .required("name", .string, """
                The name of the token to revoke.
                """),
            .optional("organization", .string, """
                The slug of an organization: revoke that organization's token of this name, which \
                may belong to another member when you are an admin. Without it, the token of the \
                provider's API token's user is revoked.
                """),
        ],
        description: """
            Revokes a Turso Platform API token immediately, for incident response: \
            `terraform apply -invoke=action.turso_revoke_api_token.<name>`. The token need not be \
            managed by Terraform. A `turso_api_token` resource whose token is revoked is recreated \
            by the next apply. Revoking a name Turso does not know succeeds with a warning.
            """
    ))

    /// The action's configuration.
    struct Model: ObjectModel {
        enum Key: String, ModelKey { case name, organization }

        var name: Field<String>
        var organization: Field<String>

        init(reading object: ModelReader<Key>) {
            name = object[.name]
            organization = object[.organization]
        }

        func write(to object: inout ModelWriter<Key>) {
            object.set(.name, name)
            object.set(.organization, organization)
        }
    }

    func validateConfig(_ request: ValidateActionConfigRequest) async -> [Diagnostic] {
        Self.validate(Model(request.config))
    }

    static func validate(_ config: Model) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        if let name = config.name.value, let problem = APITokenResource.nameProblem(name) {
            diagnostics.append(APITokenDiagnostics.invalidName(name, problem: problem))
        }
        if config.organization.value == "" { diagnostics.append(APITokenDiagnostics.empty("organization")) }
        return diagnostics
    }

    // MARK: Plan

    func plan(_ request: PlanActionRequest) async -> [Diagnostic] {
        let diagnostics = Self.validate(Model(request.config))
        if diagnostics.hasErrors { return diagnostics }
        switch context.api() {
        case .success, .failure(.settingsUnknown): return diagnostics
        case .failure(let reason): return diagnostics + [reason.diagnostic]
        }
    }

    // MARK: Invoke

    func invoke(_ request: InvokeActionRequest, progress: @Sendable (String) async -> Void) async -> [Diagnostic] {
        let config = Model(request.config)
        let diagnostics = Self.validate(config)
        if diagnostics.hasErrors { return diagnostics }
        guard let name = config.name.value else { return [RevokeActionDiagnostics.nameUnknown] }
        let organization = config.organization.value
        let client: TursoClient
        switch context.api() {
        case .success(let found): client = found
        case .failure(let reason): return [reason.diagnostic]
        }
        do throws(TursoAPIError) {
            if let organization {
                await progress("Looking up API token \"\(name)\" in organization \(organization)")
                guard let token = try await client.listTokens(organization: organization).first(where: { $0.name == name }) else {
                    return [RevokeActionDiagnostics.notFound(name, organization: organization)]
                }
                await progress("Revoking API token \"\(name)\" (id \(token.id)) of organization \(organization)")
                try await client.revokeOrganizationToken(organization: organization, id: token.id)
            } else {
                await progress("Revoking API token \"\(name)\"")
                try await client.revokeToken(name: name)
            }
        } catch where error.kind == .notFound {
            return [RevokeActionDiagnostics.notFound(name, organization: organization)]
        } catch {
            return [error.diagnostic()]
        }
        await progress("Revoked API token \"\(name)\"")
        return []
    }
}

enum RevokeActionDiagnostics {
    static func notFound(_ name: String, organization: String?) -> Diagnostic {
        .warning(
            "No API token named \"\(name)\"",
            "Turso has no API token named \"\(name)\"\(organization.map { " in organization \($0)" } ?? " for the provider's API token's user"), so there was nothing to revoke. If it was revoked already, nothing more is needed; otherwise check the name with `turso auth api-tokens list`."
        )
    }

    static let nameUnknown = Diagnostic.error(
        "Token name unknown at invocation",
        "The name of the token to revoke must be known when the action runs. Use a value known before apply."
    )
}
