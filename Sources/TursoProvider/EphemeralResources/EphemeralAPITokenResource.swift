import TerraformPlugin

/// `ephemeral "turso_api_token"`: a Turso Platform API token that lives for
/// one Terraform run. Open creates it under a fresh name, Close revokes it;
/// Terraform keeps its value in neither state nor plan files.
///
/// Terraform opens ephemeral resources in plan and in apply alike, so every
/// run creates and revokes its own token. Close learns what to revoke only
/// from the private bytes Open returned, which travel through Terraform:
/// they are sealed with the provider's private-state key, so bytes that were
/// not written by Open (tampered, or from elsewhere) revoke nothing.
struct EphemeralAPITokenResource: EphemeralResource, ModelBacked {
    let context: ProviderContext

    var typeName: String { "turso_api_token" }

    static let defaultNamePrefix = "tf-ephemeral-"
    /// Random bytes in a name's suffix (written as hex): enough that two
    /// runs never pick the same name.
    static let suffixBytes = 8

    // MARK: Schema

    var schema: Schema { Self.schema }

    static let schema = Schema(block: SchemaBlock(
        attributes: [
            .optional("name_prefix", .string, """
                The start of the token's name in Turso; a random suffix of \(suffixBytes * 2) hexadecimal \
                digits makes it unique, so that runs never collide. Defaults to `\(defaultNamePrefix)`.
                """),
            .optional("organization", .string, """
                The slug of the organization the token is restricted to: it can act only on that \
                organization's resources. Without it the token is unrestricted (it can act on every \
                organization you belong to), which Turso deprecates.
                """),
            .optional("group", .string, """
                A group of `organization` to pin the token to: it can act only on that group's \
                databases, and only as `scopes` allow. Requires `organization` and `scopes`, and \
                requires you to be an admin or owner of the organization.
                """),
            .optional("scopes", .set(.string), """
                What a group-scoped token may do; only with `group`, and then at least one. Each entry \
                is a scope (`\(APITokenScopes.individual.joined(separator: "`, `"))`) or a preset: \
                `read-only` (the same as `read`) or `full-access` (every scope).
                """),
            .computed("name", .string, """
                The token's name in Turso: `name_prefix` followed by the random suffix.
                """),
            .computed("id", .string, """
                Turso's id of the token.
                """),
            .computed("token", .string, sensitive: true, """
                The token's value, to use as a bearer token with the Turso Platform API, for example as \
                another `provider "turso"` block's `api_token`. Never stored in state or plan files. \
                Valid until Terraform closes the ephemeral resource at the end of the run, when the \
                token is revoked.
                """),
        ],
        description: """
            A [Turso Platform API token](https://docs.turso.tech/api-reference/tokens/create) that \
            exists only while Terraform runs: created, under a unique name, when Terraform opens the \
            ephemeral resource (in plan and in apply alike), and revoked when Terraform closes it. Its \
            value is never written to state or plan files. Requires Terraform 1.10 or later. Restrict \
            it to an organization, or to one group of an organization with a set of scopes, as with \
            the `turso_api_token` resource.
            """
    ))

    /// The configuration and result of an ephemeral `turso_api_token`.
    struct Model: ObjectModel {
        enum Key: String, ModelKey { case namePrefix = "name_prefix", organization, group, scopes, name, id, token }

        var namePrefix: Field<String>
        var organization: Field<String>
        var group: Field<String>
        /// As Terraform sent it: a known set may hold unknown values.
        var scopes: CtyValue
        var name: Field<String>
        var id: Field<String>
        var token: Field<String>

        init(reading object: ModelReader<Key>) {
            namePrefix = object[.namePrefix]
            organization = object[.organization]
            group = object[.group]
            scopes = object[raw: .scopes]
            name = object[.name]
            id = object[.id]
            token = object[.token]
        }

        func write(to object: inout ModelWriter<Key>) {
            object.set(.namePrefix, namePrefix)
            object.set(.organization, organization)
            object.set(.group, group)
            object.set(raw: .scopes, scopes)
            object.set(.name, name)
            object.set(.id, id)
            object.set(.token, token)
        }
    }

    /// The resource's checks on organization, group and scopes, plus the prefix's.
    static func validate(_ config: Model) -> [Diagnostic] {
        var diagnostics = APITokenResource.validateAccess(organization: config.organization, group: config.group, scopes: config.scopes)
        if let prefix = config.namePrefix.value, let problem = APITokenResource.nameProblem(prefix + "0") {
            diagnostics.append(.error(
                "Invalid name prefix",
                "The name prefix \"\(DisplayText.escaped(prefix, limit: 100))\" cannot start a token name: \(problem). Use letters, digits, '-' and '_'.",
                at: "name_prefix"
            ))
        }
        return diagnostics
    }

    func validateConfig(_ request: ValidateEphemeralResourceConfigRequest) async -> [Diagnostic] {
        Self.validate(Model(request.config))
    }

    // MARK: Open

    func open(_ request: OpenEphemeralResourceRequest) async -> OpenEphemeralResourceResponse {
        let config = Model(request.config)
        let failed = { (diagnostics: [Diagnostic]) in
            OpenEphemeralResourceResponse(result: .null(Self.schema.impliedType), diagnostics: diagnostics)
        }
        let diagnostics = Self.validate(config)
        if diagnostics.hasErrors { return failed(diagnostics) }
        let client: TursoClient
        switch context.api() {
        case .success(let found): client = found
        case .failure(let reason): return failed([reason.diagnostic])
        }
        // Checked before creating: a token Close could not be told to revoke
        // must not be created.
        guard let vault = context.privateStateVault() else { return failed([EphemeralAPITokenDiagnostics.keyUnavailable]) }

        // Tokens of earlier runs killed before their Close are revoked
        // alongside this create; what fails there only warns.
        async let swept = sweepInterruptedRuns(client)
        var response = await create(config, client: client, vault: vault, request: request, diagnostics: diagnostics)
        response.diagnostics += await swept
        return response
    }

    private func create(
        _ config: Model, client: TursoClient, vault: any PrivateStateVault, request: OpenEphemeralResourceRequest, diagnostics: [Diagnostic]
    ) async -> OpenEphemeralResourceResponse {
        let failed = { (diagnostics: [Diagnostic]) in
            OpenEphemeralResourceResponse(result: .null(Self.schema.impliedType), diagnostics: diagnostics)
        }
        let prefix = config.namePrefix.value ?? Self.defaultNamePrefix
        let name = prefix + Self.hex(context.random.bytes(Self.suffixBytes))
        // Recorded before the request goes out: if this process is killed
        // before Close, a later Open revokes the token (OpenEphemeralJournal).
        let journal = context.openEphemeralJournal
        journal?.record(
            baseURL: client.baseURL, organization: config.organization.value, name: name, apiToken: client.apiToken, now: context.clock.now()
        )
        let created: CreatedAPIToken
        do throws(TursoAPIError) {
            created = try await client.createToken(
                name: name, organization: config.organization.value, group: config.group.value,
                scopes: APITokenScopes.strings(config.scopes)?.sorted()
            )
        } catch where error.mayHaveCreated {
            // Turso may hold a token whose value never arrived, and Close
            // will not be called for a failed Open: revoke it now.
            return failed([error.diagnostic()] + (await revokeAfterFailedOpen(client, name: name)))
        } catch {
            journal?.forget(baseURL: client.baseURL, name: name)
            return failed([error.diagnostic()])
        }

        let sealed: [UInt8]
        do {
            sealed = try vault.seal(PrivateStateFields(["name": name, "id": created.id]), for: Self.binding)
        } catch {
            return failed([EphemeralAPITokenDiagnostics.sealFailed(name: name, error)] + (await revokeAfterFailedOpen(client, name: name)))
        }
        // The configured attributes stay as written (a null name_prefix
        // too): Terraform expects the result to agree with the configuration.
        var result = config
        result.name = .known(name)
        result.id = .known(created.id)
        result.token = .known(created.token)
        return OpenEphemeralResourceResponse(
            result: result.value(of: Self.schema.impliedType, over: request.config), private: sealed, diagnostics: diagnostics
        )
    }

    /// Nothing may be left behind by an Open that fails after Turso may
    /// have created the token. A 404 means nothing was created. The record
    /// is kept when the revoke fails: once this process has ended, a later
    /// Open's sweep tries again.
    private func revokeAfterFailedOpen(_ client: TursoClient, name: String) async -> [Diagnostic] {
        let journal = context.openEphemeralJournal
        do throws(TursoAPIError) {
            try await client.revokeToken(name: name)
        } catch where error.kind == .notFound {
            journal?.forget(baseURL: client.baseURL, name: name)
            return []
        } catch {
            let recorded = journal?.isRecorded(baseURL: client.baseURL, name: name) == true
            return [EphemeralAPITokenDiagnostics.revokeFailed(name: name, id: nil, error, recorded: recorded)]
        }
        journal?.forget(baseURL: client.baseURL, name: name)
        return [EphemeralAPITokenDiagnostics.revokedAfterFailedOpen(name: name)]
    }

    /// Revokes the tokens that runs killed between Open and Close left in
    /// Turso, once per configuration (see OpenEphemeralJournal.sweep).
    private func sweepInterruptedRuns(_ client: TursoClient) async -> [Diagnostic] {
        guard let journal = context.openEphemeralJournal, context.claimEphemeralSweep() else { return [] }
        let outcome = await journal.sweep(baseURL: client.baseURL, apiToken: client.apiToken, now: context.clock.now()) {
            (name: String) async throws(TursoAPIError) in try await client.revokeToken(name: name)
        }
        for name in outcome.revoked {
            PluginLog.info("Revoked an ephemeral API token left open by an interrupted run", ["token_name": name])
        }
        return outcome.diagnostics
    }

    // MARK: Renew
    // None: a Turso API token does not expire, so Open never asks for a
    // renewal (the protocol's default answers one anyway, changing nothing).

    // MARK: Close

    /// What Open's private bytes are sealed to: every ephemeral API token
    /// of this provider shares it (Close knows nothing else of the token).
    static let binding = PrivateStateBinding(resourceType: "ephemeral.turso_api_token", resourceID: "")

    func close(_ request: CloseEphemeralResourceRequest) async -> [Diagnostic] {
        guard let vault = context.privateStateVault() else { return [EphemeralAPITokenDiagnostics.keyUnavailable] }
        let name: String
        let id: String
        switch vault.open(request.private, for: Self.binding) {
        case .sealed(let fields, _):
            guard let sealedName = fields["name"], let sealedID = fields["id"], !sealedName.isEmpty else {
                return [EphemeralAPITokenDiagnostics.closeRefused("the sealed record names no token")]
            }
            (name, id) = (sealedName, sealedID)
        case .empty:
            return [EphemeralAPITokenDiagnostics.closeRefused("Terraform sent no private data")]
        case .plain:
            return [EphemeralAPITokenDiagnostics.closeRefused("the private data is not sealed")]
        case .unreadable(let problem):
            return [EphemeralAPITokenDiagnostics.closeRefused(problem.message)]
        }
        let client: TursoClient
        switch context.api() {
        case .success(let found): client = found
        case .failure(let reason): return [reason.diagnostic, EphemeralAPITokenDiagnostics.notRevoked(name: name, id: id)]
        }
        let journal = context.openEphemeralJournal
        do throws(TursoAPIError) {
            try await client.revokeToken(name: name)
        } catch where error.kind == .notFound {
            // Already revoked: what Close wanted.
            journal?.forget(baseURL: client.baseURL, name: name)
            return []
        } catch {
            // The record stays: the first Open after this process ends revokes it.
            let recorded = journal?.isRecorded(baseURL: client.baseURL, name: name) == true
            return [EphemeralAPITokenDiagnostics.revokeFailed(name: name, id: id, error, recorded: recorded)]
        }
        journal?.forget(baseURL: client.baseURL, name: name)
        return []
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}

/// User-facing wording for `ephemeral "turso_api_token"`.
enum EphemeralAPITokenDiagnostics {
    static let keyUnavailable = Diagnostic.error(
        "Private state key not available",
        "An ephemeral turso_api_token records the token it created, sealed with the provider's private state key, so that closing it revokes exactly that token. The key is not known now (private_state_key depends on a value that is still unknown, or no key could be set up). Set private_state_key or TURSO_PRIVATE_STATE_KEY to a known secret."
    )

    static func sealFailed(name: String, _ error: any Error) -> Diagnostic {
        .error(
            "Could not seal the ephemeral token's record",
            "The token \"\(DisplayText.escaped(name, limit: 100))\" was created but could not be recorded for Close (\(error)); it is revoked again."
        )
    }

    static func revokedAfterFailedOpen(name: String) -> Diagnostic {
        .warning(
            "Ephemeral API token revoked again",
            "The token \"\(DisplayText.escaped(name, limit: 100))\" that this failed open created was revoked: nothing is left in Turso."
        )
    }

    static func closeRefused(_ reason: String) -> Diagnostic {
        .error(
            "Ephemeral API token not revoked",
            "Closing an ephemeral turso_api_token revokes only the token its Open recorded, and this record cannot be trusted: \(DisplayText.escaped(reason, limit: 300)). Nothing was revoked. If a token named with the ephemeral resource's name_prefix is still listed by `turso_api_tokens`, revoke it by hand."
        )
    }

    static func notRevoked(name: String, id: String) -> Diagnostic {
        .error(
            "Ephemeral API token not revoked",
            "The token \"\(DisplayText.escaped(name, limit: 100))\" (id \(DisplayText.escaped(id, limit: 100))) is still valid: revoke it by hand (`turso auth api-tokens revoke`)."
        )
    }

    static func revokeFailed(name: String, id: String?, _ error: TursoAPIError, recorded: Bool = false) -> Diagnostic {
        let idText = id.map { " (id \(DisplayText.escaped($0, limit: 100)))" } ?? ""
        let retry = recorded
            ? " It stays recorded: the first ephemeral turso_api_token opened with these credentials after this run ends revokes it."
            : ""
        return .error(
            "Ephemeral API token not revoked",
            "Revoking the token \"\(DisplayText.escaped(name, limit: 100))\"\(idText) failed: \(error.summary). \(error.detail) The token may still be valid: revoke it by hand (`turso auth api-tokens revoke`).\(retry)"
        )
    }
}
