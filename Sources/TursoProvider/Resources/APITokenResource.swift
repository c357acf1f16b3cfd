import TerraformPlugin

/// `turso_api_token`: a Turso Platform API token, created through the API
/// and revoked on destroy.
///
/// Turso shows a token's value once, in the answer to its creation, so the
/// value is kept in state and sealed in private state; Read finds the token
/// by name in the shared listing (Turso has no endpoint for one token).
///
/// Rotation: unlike a timed token, an API token still exists in Turso once
/// its `rotation_period` has passed, so Read keeps it (it is real, and
/// destroying it must revoke it); Plan forces the replacement instead,
/// which also works with `-refresh=false`.
struct APITokenResource: ModelResource {
    let context: ProviderContext

    var typeName: String { "turso_api_token" }

    // MARK: Schema

    var schema: Schema { Self.schema }

    static let schema = Schema(block: SchemaBlock(
        attributes: [
            .optionalComputed("name", .string, """
                The token's name in Turso, unique among your tokens. Changing it replaces the token. \
                Also the id to give `terraform import`. Set exactly one of `name` and `name_prefix`; \
                with `name_prefix`, the name chosen at apply.
                """).requiresReplace(if: differentBytes).useStateForUnknown(),
            .optional("name_prefix", .string, """
                Instead of `name`: the token's name is this prefix followed by a unique suffix chosen \
                at apply (shown in `name`), so a replacement can be created while the token it \
                replaces still exists. With `lifecycle { create_before_destroy = true }` a rotation \
                (`rotation_period`, `triggers`, a change of scope) creates the new token before it \
                revokes the old one; with a fixed `name` it cannot, as Turso refuses a second token of \
                the same name. Changing it replaces the token.
                """).requiresReplace(if: newPrefix),
            .optional("organization", .string, """
                The slug of the organization the token is restricted to: it can act only on that \
                organization's resources. Without it the token is unrestricted (it can act on every \
                organization you belong to), which Turso deprecates. Changing it replaces the token.
                """).requiresReplace(if: differentBytes),
            .optional("group", .string, """
                A group of `organization` to pin the token to: it can act only on that group's \
                databases, and only as `scopes` allow. Requires `organization` and `scopes`, and \
                requires you to be an admin or owner of the organization. Changing it replaces the token.
                """).requiresReplace(if: differentBytes),
            .optional("scopes", .set(.string), """
                What a group-scoped token may do; only with `group`, and then at least one. Each entry \
                is a scope (`\(APITokenScopes.individual.joined(separator: "`, `"))`) or a preset: \
                `read-only` (the same as `read`) or `full-access` (every scope). `db:mint-token` lets the \
                token issue database credentials; `db:rotate-creds` invalidates all of a database's \
                credentials. Turso stores presets expanded; a configuration granting the same scopes in \
                another spelling is not a change. Granting different scopes replaces the token.
                """).requiresReplace(if: { !APITokenScopes.sameGrant($0, $1) }),
            .optional("rotation_period", .string, """
                Replace the token once this long has passed since `created_at`, as a duration such as \
                `720h` (units `h`, `m`, `s`; at least one second). The first plan after that point \
                replaces it, even with `-refresh=false`; until then refreshes keep it. Changing the \
                period does not replace the token by itself.
                """),
            .optional("triggers", .map(.string), """
                Arbitrary values that, when changed, replace the token. Use it to tie the token to \
                something else, for example `{ environment = var.environment_id }`.
                """).requiresReplace(if: { !$1.sameTriggers(as: $0) }),
            .optional("seal_token", .bool, """
                Keep the token out of state: when `true`, `token` is null and `sealed_token` holds \
                the value sealed under the provider's private-state key, so the state file holds \
                the token in no readable form. Defaults to `false`. Changing it replaces the token.
                """).requiresReplace(if: SealToken.changes),
            .computed("id", .string, """
                Turso's id of the token.
                """).useStateForUnknown(),
            .computed("sealed_token", .string, """
                With `seal_token = true`: the token sealed (XChaCha20-Poly1305) under the provider's \
                `private_state_key` and bound to this resource, as `turso_api_token:<id>:<sealed>`. \
                `terraform-provider-turso unseal` prints the token from it, given the key in \
                `TURSO_PRIVATE_STATE_KEY`. Null otherwise.
                """).useStateForUnknown(),
            .computed("token_version", .number, """
                A number that changes with every new token: when it was created, in Unix \
                milliseconds (for an imported token, midnight UTC of the day Turso reports). Give it \
                to a `*_wo_version` argument alongside a write-only copy of the token, so the copy is \
                written again whenever the token is replaced.
                """).useStateForUnknown(),
            .computed("token", .string, sensitive: true, """
                The token's value, to use as a bearer token with the Turso Platform API. Turso shows it \
                only once, when the token is created: it is stored in Terraform state (protect the state, \
                and mark outputs that use it `sensitive`) and sealed in private state. Null for an \
                imported token, whose value cannot be recovered.
                """).useStateForUnknown(),
            .computed("created_at", .string, """
                When the token was created, as an RFC 3339 timestamp in UTC (`2026-01-02T15:04:05Z`). \
                For an imported token, midnight UTC of the day Turso reports.
                """).useStateForUnknown(),
        ],
        description: """
            A [Turso Platform API token](https://docs.turso.tech/api-reference/tokens/create), created \
            with the provider's own API token and revoked when destroyed. Restrict it to an \
            organization, or to one group of an organization with a set of scopes. Turso shows a \
            token's value only when it is created; Terraform keeps it in state.
            """
    ))

    /// Changes of names compared as bytes, as Turso compares them: a name
    /// written with a combining accent is another token, although the
    /// strings are equal to Swift.
    static func differentBytes(prior: CtyValue, planned: CtyValue) -> Bool { !sameBytes(planned, prior) }

    /// A new prefix needs a new name; dropping the prefix for the same name
    /// written out (or for another name, replaced on `name`) does not.
    static func newPrefix(prior: CtyValue, planned: CtyValue) -> Bool { planned != prior && !planned.isNull }

    /// The state of a `turso_api_token`, and its configuration and plan.
    struct Model: ObjectModel {
        enum Key: String, ModelKey {
            case name, namePrefix = "name_prefix", organization, group, scopes, rotationPeriod = "rotation_period"
            case triggers, sealToken = "seal_token", id, sealedToken = "sealed_token", tokenVersion = "token_version"
            case token, createdAt = "created_at"
        }

        var name: Field<String>
        var namePrefix: Field<String>
        var organization: Field<String>
        var group: Field<String>
        /// As Terraform sent it: a known set may hold unknown values.
        var scopes: CtyValue
        var rotationPeriod: Field<String>
        /// As Terraform sent it: a known map may hold unknown values.
        var triggers: CtyValue
        var sealToken: Field<Bool>
        var id: Field<String>
        var sealedToken: Field<String>
        var tokenVersion: Field<CtyNumber>
        var token: Field<String>
        var createdAt: Field<String>

        init(reading object: ModelReader<Key>) {
            name = object[.name]
            namePrefix = object[.namePrefix]
            organization = object[.organization]
            group = object[.group]
            scopes = object[raw: .scopes]
            rotationPeriod = object[.rotationPeriod]
            triggers = object[raw: .triggers]
            sealToken = object[.sealToken]
            id = object[.id]
            sealedToken = object[.sealedToken]
            tokenVersion = object[.tokenVersion]
            token = object[.token]
            createdAt = object[.createdAt]
        }

        func write(to object: inout ModelWriter<Key>) {
            object.set(.name, name)
            object.set(.namePrefix, namePrefix)
            object.set(.organization, organization)
            object.set(.group, group)
            object.set(raw: .scopes, scopes)
            object.set(.rotationPeriod, rotationPeriod)
            object.set(raw: .triggers, triggers)
            object.set(.sealToken, sealToken)
            object.set(.id, id)
            object.set(.sealedToken, sealedToken)
            object.set(.tokenVersion, tokenVersion)
            object.set(.token, token)
            object.set(.createdAt, createdAt)
        }

        /// `seal_token`, null meaning false.
        var sealsToken: Bool { sealToken.value ?? false }
    }

    /// The model as a state of this schema.
    static func value(_ model: Model) -> CtyValue { model.value(of: schema.impliedType) }

    /// Checks the configuration as far as it is known. Runs at validate and
    /// again at plan, so an invalid token is never created.
    static func validate(_ config: Model) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        if let name = config.name.value, let problem = nameProblem(name) {
            diagnostics.append(APITokenDiagnostics.invalidName(name, problem: problem))
        }
        diagnostics += validateNamePrefix(config)
        diagnostics += validateAccess(organization: config.organization, group: config.group, scopes: config.scopes)
        if let problem = rotationPeriod(config.rotationPeriod).problem { diagnostics.append(problem) }
        return diagnostics
    }

    /// What the token may reach: `organization`, `group` and `scopes`, which
    /// the ephemeral `turso_api_token` shares with this resource.
    static func validateAccess(organization: Field<String>, group: Field<String>, scopes: CtyValue) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for (attribute, field) in [("organization", organization), ("group", group)] {
            guard let value = field.value else { continue }
            if value.isEmpty {
                diagnostics.append(APITokenDiagnostics.empty(attribute))
            } else if let problem = PathSegmentNames.problem(value) {
                diagnostics.append(APITokenDiagnostics.invalidSlug(attribute, value, problem: problem))
            }
        }
        if group.isKnown, !group.isNull {
            if organization.isNull { diagnostics.append(APITokenDiagnostics.groupWithoutOrganization) }
            if scopes.isNull {
                diagnostics.append(APITokenDiagnostics.groupWithoutScopes(at: "group"))
            } else if scopes.elements?.isEmpty == true {
                diagnostics.append(APITokenDiagnostics.groupWithoutScopes(at: "scopes"))
            }
        }
        if group.isNull, scopes.isKnown, !scopes.isNull {
            diagnostics.append(APITokenDiagnostics.scopesWithoutGroup)
        }
        let unknownScopes = (scopes.elements ?? []).compactMap(\.stringValue).filter { !APITokenScopes.isValid($0) }
        if !unknownScopes.isEmpty { diagnostics.append(APITokenDiagnostics.unknownScopes(unknownScopes.sorted())) }
        return diagnostics
    }

    /// Turso documents no syntax for names; these could never work in the
    /// path segment that carries them (see PathSegmentNames).
    static func nameProblem(_ name: String) -> String? { PathSegmentNames.problem(name) }

    /// The parsed `rotation_period`, or the problem with it. Both nil when
    /// it is unset or not known yet.
    static func rotationPeriod(_ value: Field<String>) -> (period: TokenDuration?, problem: Diagnostic?) {
        guard let text = value.value else { return (nil, nil) }
        switch TokenDuration.parse(text) {
        case .success(let period) where period.wholeSeconds >= 1: return (period, nil)
        case .success: return (nil, ProviderDiagnostics.durationNotPositive(attribute: "rotation_period", text: text))
        case .failure(let error):
            return (nil, ProviderDiagnostics.invalidDuration(attribute: "rotation_period", text: text, reason: error.reason))
        }
    }

    func validateConfig(_ request: ValidateResourceConfigRequest) async -> [Diagnostic] {
        Self.validate(Model(request.config))
    }

    /// True once `rotation_period` has passed since the state's `created_at`.
    /// An unreadable `created_at` counts as due: a token of unknown age is
    /// replaced rather than trusted.
    static func isRotationDue(_ state: Model, period: TokenDuration, now: UnixTime) -> Bool {
        guard let createdAt = state.createdAt.value.flatMap(RFC3339.parse) else { return true }
        return now >= createdAt.adding(period)
    }

    /// `name_prefix`: set, it must be a usable start of a name, and exactly
    /// one of `name` and `name_prefix` is set (unknown ones are checked later).
    static func validateNamePrefix(_ config: Model) -> [Diagnostic] {
        let name = config.name
        let prefix = config.namePrefix
        var diagnostics: [Diagnostic] = []
        if let text = prefix.value, let problem = nameProblem(text) {
            diagnostics.append(APITokenDiagnostics.invalidNamePrefix(text, problem: problem))
        }
        guard name.isKnown, prefix.isKnown else { return diagnostics }
        if !name.isNull, !prefix.isNull { diagnostics.append(APITokenDiagnostics.nameAndPrefix) }
        if name.isNull, prefix.isNull { diagnostics.append(APITokenDiagnostics.nameOrPrefixRequired) }
        return diagnostics
    }

    /// `prefix` and 12 random lowercase hex digits (48 bits: two tokens of
    /// one prefix colliding is as likely as a one in 10^14 draw). A
    /// collision fails cleanly anyway: Turso refuses a duplicate name.
    func uniqueName(prefix: String?) -> String? {
        guard let prefix else { return nil }
        let hex = Array("0123456789abcdef".utf8)
        let suffix = context.random.bytes(6).flatMap { [hex[Int($0 >> 4)], hex[Int($0 & 0x0F)]] }
        return prefix + String(decoding: suffix, as: UTF8.self)
    }

    // MARK: Plan

    // Declared on the schema: what replaces the token (with `name_prefix`
    // and no `name`, a replacement's name is chosen at apply, so unknown),
    // and that its computed values stay on an update of the state alone
    // (rotation_period, or triggers going from null to empty).

    /// Destroy revokes the token: say now if that cannot work.
    func planDestroy(prior: Model, private: [UInt8]) async -> [Diagnostic] { apiNeededAtApply() }

    func modifyPlan(_ plan: inout ModelPlan<Model>) async {
        let diagnostics = Self.validate(plan.config)
        plan.diagnostics += diagnostics
        if diagnostics.hasErrors { return }
        if let prior = plan.prior {
            if plan.planned.scopes != prior.scopes, APITokenScopes.sameGrant(prior.scopes, plan.planned.scopes) {
                // The same grant spelled differently (a preset, or Turso's
                // expanded form after import): keep the stored spelling, so
                // the plan shows no change. Terraform accepts a planned value
                // equal to the prior one in place of the configuration's.
                plan.planned.scopes = prior.scopes
            }
            // A period not known yet cannot be checked; apply then keeps the token.
            if plan.requiresReplace.isEmpty, let period = Self.rotationPeriod(plan.planned.rotationPeriod).period,
               Self.isRotationDue(prior, period: period, now: context.clock.now()) {
                plan.requireReplace(AttributePath(Model.Key.createdAt))
            }
        }
        guard plan.createsObject else { return }
        // Created at apply, never here: Terraform may plan twice. With
        // `seal_token` the token is null already in the plan; while
        // `seal_token` is unknown, either may get the value.
        if plan.config.sealToken.isKnown {
            if plan.config.sealsToken { plan.planned.token = .null } else { plan.planned.sealedToken = .null }
        }
        plan.diagnostics += apiNeededAtApply()
    }

    static func sameBytes(_ first: CtyValue, _ second: CtyValue) -> Bool {
        guard let one = first.stringValue, let other = second.stringValue else { return first == second }
        return APIToken.sameName(one, other)
    }

    /// An error when apply will need the API and surely cannot have it. API
    /// settings that are merely unknown now are checked again at apply.
    private func apiNeededAtApply() -> [Diagnostic] {
        switch context.api() {
        case .success, .failure(.settingsUnknown): []
        case .failure(let reason): [reason.diagnostic]
        }
    }

    // MARK: Apply

    // An update changes the state alone (see plan): the default's, the token stays.

    func create(planned: Model, config: Model) async -> ModelResult<Model> {
        let failed = { (diagnostics: [Diagnostic]) in ModelResult<Model>.removed(diagnostics) }
        let client: TursoClient
        switch context.api() {
        case .success(let found): client = found
        case .failure(let reason): return failed([reason.diagnostic])
        }
        // Checked before creating: a token whose value cannot be sealed
        // should not exist.
        guard let vault = context.privateStateVault() else { return failed([ProviderDiagnostics.privateStateKeyUnavailableAtApply]) }
        guard let name = planned.name.value ?? uniqueName(prefix: planned.namePrefix.value) else {
            return failed([APITokenDiagnostics.unknownAtApply])
        }

        let journal = context.createJournal
        let now = context.clock.now()
        // Asked before this create is recorded: a create of an earlier run
        // that Terraform abandoned (see CreateJournal).
        let abandonedEarlier = journal?.contains(baseURL: client.baseURL, name: name, now: now) == true
        journal?.record(baseURL: client.baseURL, name: name, now: now)
        var diagnostics: [Diagnostic] = []
        let created: CreatedAPIToken
        do throws(TursoAPIError) {
            do {
                created = try await createOnce(client, name, planned)
            } catch where error.kind == .alreadyExists && abandonedEarlier {
                // The name is taken by our own earlier create, whose value is
                // lost: revoke it and create it again, rather than fail.
                try await client.revokeToken(name: name)
                created = try await createOnce(client, name, planned)
                diagnostics.append(APITokenDiagnostics.abandonedCreateReplaced(name: name))
            }
        } catch where error.mayHaveCreated {
            return recordLost(planned, error)
        } catch {
            // Nothing created; but an abandoned token of an earlier run may still stand.
            if !abandonedEarlier { journal?.forget(baseURL: client.baseURL, name: name) }
            let taken = error.kind == .alreadyExists
            // A fixed name under create_before_destroy ends here: say what works.
            let hint = taken && planned.namePrefix.isNull ? [APITokenDiagnostics.namePrefixHint] : []
            return failed([error.diagnostic(at: taken ? "name" : nil)] + hint)
        }
        var newState = planned
        newState.name = .known(name)
        newState.id = .known(created.id)
        newState.token = .known(created.token)
        newState.createdAt = .known(RFC3339.format(context.clock.now()))
        newState.sealedToken = .null
        newState.tokenVersion = .known(CtyNumber(context.clock.nowMilliseconds()))
        if planned.sealsToken {
            // Only the sealed form goes to Terraform.
            do {
                newState.sealedToken = .known(try SealedToken.seal(created.token, resourceType: typeName, id: created.id, vault: vault))
                newState.token = .null
            } catch {
                // The token exists: keep it tracked (destroy revokes it), but not its value.
                newState.token = .null
                return ModelResult(state: newState, diagnostics: [APITokenDiagnostics.sealTokenFailed(name: name, error)])
            }
        }
        do {
            let sealed = try Self.sealedAttributes(for: newState).seal(Self.value(newState), id: created.id, with: vault)
            return ModelResult(state: newState, private: sealed, diagnostics: diagnostics)
        } catch {
            // The token exists and its value is in state: keep both. The
            // next refresh seals what the state holds.
            return ModelResult(state: newState, diagnostics: diagnostics + [APITokenDiagnostics.sealFailed(name: name, error)])
        }
    }

    private func createOnce(_ client: TursoClient, _ name: String, _ planned: Model) async throws(TursoAPIError) -> CreatedAPIToken {
        try await client.createToken(
            name: name, organization: planned.organization.value, group: planned.group.value,
            scopes: APITokenScopes.strings(planned.scopes)?.sorted()
        )
    }

    /// A create that reached Turso without its value coming back: the token
    /// exists (or may), so it is kept in state rather than dropped, with no
    /// value and an error. Terraform then marks it tainted, so the next plan
    /// replaces it (revoke, then create) instead of failing on the taken name.
    private func recordLost(_ planned: Model, _ error: TursoAPIError) -> ModelResult<Model> {
        let lost = error.lostToken
        var state = planned
        state.id = Field(lost?.id)
        state.token = .null
        state.createdAt = Self.createdAt(tursoDate: lost?.createdAt)
        if state.createdAt.isNull { state.createdAt = .known(RFC3339.format(context.clock.now())) }
        return ModelResult(state: state, diagnostics: [APITokenDiagnostics.keptAfterLostCreate(error)])
    }

    /// Revokes the token.
    func delete(prior: Model, private blob: [UInt8]) async -> ModelResult<Model> {
        // On failure the prior state stays, so the token is still tracked.
        let kept = { (diagnostic: Diagnostic) in ModelResult(state: prior, private: blob, diagnostics: [diagnostic]) }
        guard let name = prior.name.value else { return .removed() }
        switch context.api() {
        case .failure(let reason):
            return kept(reason.diagnostic)
        case .success(let client):
            do throws(TursoAPIError) {
                try await client.revokeToken(name: name)
            } catch where error.kind == .notFound {
                // Revoked elsewhere, as destroy wanted; but a 404 is only
                // believed once the listing agrees (a request sent astray
                // answers 404 too, and the token would stay valid).
                do throws(TursoAPIError) {
                    if let still = try await client.token(named: name) {
                        return kept(APITokenDiagnostics.revokeNotFoundButListed(name: name, id: still.id, error))
                    }
                } catch {
                    return kept(error.diagnostic())
                }
            } catch {
                return kept(error.diagnostic())
            }
        }
        return .removed()
    }

    /// The token's value and creation time, sealed in private state.
    /// `name` too: an edited name is recognised and restored without asking
    /// Turso (the envelope is bound to the id, so an edited id is found by
    /// trying the ids Turso lists; see read).
    static let sealed = SealedAttributes<Model.Key>(resourceType: "turso_api_token", names: [.token, .createdAt, .name])
    /// With `seal_token`: the sealed form stands for the token (the value
    /// itself is nowhere in the state file, private state included).
    static let sealedOnly = SealedAttributes<Model.Key>(
        resourceType: "turso_api_token", names: [.sealedToken, .createdAt, .name], sealedTokenKey: .sealedToken
    )

    static func sealedAttributes(for state: Model) -> SealedAttributes<Model.Key> { state.sealsToken ? sealedOnly : sealed }

    /// `token_version` for a state without one (imported, or written before
    /// it existed): `created_at` in milliseconds.
    static func withTokenVersion(_ state: Model) -> Model {
        guard state.tokenVersion.isNull, let createdAt = state.createdAt.value.flatMap(RFC3339.parse) else { return state }
        var updated = state
        updated.tokenVersion = .known(CtyNumber(createdAt.seconds * 1000))
        return updated
    }

    // MARK: Read

    func read(state current: Model, private blob: [UInt8]) async -> ModelResult<Model> {
        let id = current.id.value ?? ""
        let name = current.name.value ?? ""
        let label = Self.label(name: name, id: id)
        let attributes = Self.sealedAttributes(for: current)
        var reconciled = attributes.resealingSealedToken(
            attributes.reconcile(Self.value(current), private: blob, id: id, label: label, vault: context.privateStateVault()),
            id: id, vault: context.privateStateVault()
        )
        func response() -> ModelResult<Model> {
            ModelResult(state: Model(reconciled.state), private: reconciled.private, diagnostics: reconciled.diagnostics)
        }

        let client: TursoClient
        switch context.api() {
        case .success(let found):
            client = found
        case .failure(.settingsUnknown):
            // Planning with an api_token that depends on another resource:
            // the last known state stands until the API can be asked.
            reconciled.diagnostics.append(ProviderDiagnostics.apiSettingsUnknownAtRead(resource: label))
            return response()
        case .failure(let reason):
            reconciled.diagnostics.append(reason.diagnostic)
            return response()
        }

        let listing: [APIToken]
        let byName: APIToken?
        do throws(TursoAPIError) {
            listing = try await client.listTokens()
            byName = try TursoClient.token(named: Model(reconciled.state).name.value ?? name, in: listing, .listTokens(organization: nil))
        } catch {
            reconciled.diagnostics.append(error.diagnostic())
            return response()
        }
        let identity = Self.identify(reconciled, id: id, byName: byName, listing: listing, blob: blob, vault: context.privateStateVault())
        switch identity {
        case .same(let remote), .repaired(let remote, _, _, _):
            // In a state now: no longer an abandoned create.
            context.createJournal?.forget(baseURL: client.baseURL, name: remote.name)
        case .gone, .replaced, .undecided:
            break
        }
        var state = Model(reconciled.state)
        switch identity {
        case .same(let remote):
            state = Self.refreshed(state, from: remote)
        case .repaired(let remote, let repaired, let diagnostic, let envelopeOpened):
            state = Self.refreshed(repaired, from: remote)
            // The envelope did open, for the real id: the warning that it did not is moot.
            if envelopeOpened { reconciled.diagnostics.removeAll() }
            reconciled.diagnostics.append(diagnostic)
        case .gone:
            // Revoked outside Terraform: gone from state, so the next plan creates it again.
            return .removed(reconciled.diagnostics + [APITokenDiagnostics.revokedOutsideTerraform(label: label)])
        case .replaced(let remote):
            return .removed(reconciled.diagnostics + [APITokenDiagnostics.replacedOutsideTerraform(name: name, id: id, remoteID: remote.id)])
        case .undecided(let remote):
            reconciled.diagnostics.append(APITokenDiagnostics.identityUndecided(label: label, remote: remote))
        }
        return ModelResult(state: Self.withTokenVersion(state), private: reconciled.private, diagnostics: reconciled.diagnostics)
    }

    /// What Read concluded about the token in state.
    enum Identity {
        /// Turso lists it by name and id as the state says.
        case same(APIToken)
        /// The state's name or id was edited (or recorded without an id after
        /// a lost create): repaired to match the token Turso lists.
        case repaired(APIToken, state: Model, Diagnostic, envelopeOpened: Bool = false)
        /// No token of that name or id: revoked outside Terraform.
        case gone
        /// The state's id is confirmed ours and gone; another token took the name.
        case replaced(APIToken)
        /// Turso lists the name with another id, and nothing tells whether the
        /// state's id was edited or the token replaced: kept as it is.
        case undecided(APIToken)
    }

    /// Matches the state against Turso's listing. Names are compared as
    /// bytes; ids are Turso's own. Turso cannot rename a token, so a token
    /// listed with the state's id under another name means the state's name
    /// was edited; a token listed under the state's name with another id is
    /// ours only if our sealed envelope opens for its id. The state is
    /// dropped only when nothing listed can be ours, so no tampering with
    /// the state file leaves a live token out of it.
    static func identify(
        _ reconciled: SealedAttributes<Model.Key>.Reconciled, id: String, byName: APIToken?, listing: [APIToken], blob: [UInt8],
        vault: (any PrivateStateVault)?
    ) -> Identity {
        let state = Model(reconciled.state)
        let stateName = state.name.value ?? ""
        if let byName, !id.isEmpty, byName.id == id { return .same(byName) }
        if !id.isEmpty, let byID = listing.first(where: { $0.id == id }) {
            var repaired = state
            repaired.name = .known(byID.name)
            return .repaired(byID, state: repaired, APITokenDiagnostics.nameRestored(from: stateName, to: byID.name, id: id))
        }
        if id.isEmpty, let byName {
            // Recorded after a create whose answer was lost: now it is known.
            var repaired = state
            repaired.id = .known(byName.id)
            return .repaired(byName, state: repaired, APITokenDiagnostics.idFound(name: stateName, id: byName.id))
        }
        if let byName {
            // The name is listed with another id. Our token if our envelope
            // opens for that id (the state's id was edited); gone and replaced
            // if the envelope confirmed the state's id; otherwise undecided.
            if reconciled.verified { return .replaced(byName) }
            if let repaired = restoredID(state, blob: blob, vault: vault, owner: byName, editedID: id) { return repaired }
            return .undecided(byName)
        }
        // Neither the name nor the id is listed. Revoked outside Terraform,
        // unless an unconfirmed state's envelope belongs to a listed token
        // (id and name both edited, or another resource's envelope): then
        // nothing is dropped, and it is reported.
        if !reconciled.verified, !blob.isEmpty, let vault,
           let owner = listing.first(where: { sealed.open(blob, id: $0.id, vault: vault) != nil }) {
            return .undecided(owner)
        }
        return .gone
    }

    /// The state with the id of `owner`, when the blob is `owner`'s sealed
    /// envelope, and the sealed values restored from it.
    private static func restoredID(
        _ state: Model, blob: [UInt8], vault: (any PrivateStateVault)?, owner: APIToken, editedID: String
    ) -> Identity? {
        guard !blob.isEmpty, let vault, let fields = sealed.open(blob, id: owner.id, vault: vault) else { return nil }
        var withID = state
        withID.id = .known(owner.id)
        var result = SealedAttributes<Model.Key>.Reconciled(state: value(withID), private: blob, diagnostics: [], verified: true)
        sealedAttributes(for: state).restore(fields, into: &result, label: label(name: owner.name, id: owner.id))
        return .repaired(
            owner, state: Model(result.state), APITokenDiagnostics.idRestored(from: editedID, to: owner.id, name: owner.name), envelopeOpened: true
        )
    }

    /// The state updated with what Turso reports. Scopes keep the stored
    /// spelling when it grants what Turso lists (Turso lists presets expanded).
    static func refreshed(_ state: Model, from remote: APIToken) -> Model {
        var refreshed = state
        refreshed.scopes = .null(.set(.string))
        if let listed = remote.scopes {
            let stored = APITokenScopes.strings(state.scopes)
            refreshed.scopes = if let stored, APITokenScopes.expanded(stored) == Set(listed) {
                state.scopes
            } else {
                .set(of: .string, listed.map(CtyValue.string))
            }
        }
        refreshed.organization = Field(remote.organization)
        refreshed.group = Field(remote.group)
        if state.createdAt.value.flatMap(RFC3339.parse) == nil {
            refreshed.createdAt = createdAt(tursoDate: remote.createdAt)
        }
        return refreshed
    }

    static func refreshed(_ state: CtyValue, from remote: APIToken) -> CtyValue {
        refreshed(Model(state), from: remote).value(of: schema.impliedType, over: state)
    }

    /// Turso's `YYYY-MM-DD` as midnight UTC of that day; null when absent or malformed.
    static func createdAt(tursoDate: String?) -> Field<String> {
        guard let tursoDate, let time = RFC3339.parse(tursoDate + "T00:00:00Z") else { return .null }
        return .known(RFC3339.format(time))
    }

    static func label(name: String, id: String) -> String {
        "turso_api_token \"\(DisplayText.escaped(name, limit: 100))\" (id \(DisplayText.escaped(id, limit: 100)))"
    }

    // MARK: Import

    /// `terraform import turso_api_token.x <name>`.
    func importState(_ request: ImportResourceStateRequest) async -> ImportResourceStateResponse {
        let name = request.id
        if let problem = Self.nameProblem(name) {
            return ImportResourceStateResponse(diagnostics: [APITokenDiagnostics.invalidImportID(name, problem: problem)])
        }
        let client: TursoClient
        switch context.api() {
        case .success(let found): client = found
        case .failure(let reason): return ImportResourceStateResponse(diagnostics: [reason.diagnostic])
        }
        let remote: APIToken?
        do throws(TursoAPIError) {
            remote = try await client.token(named: name)
        } catch {
            return ImportResourceStateResponse(diagnostics: [error.diagnostic()])
        }
        guard let remote else { return ImportResourceStateResponse(diagnostics: [APITokenDiagnostics.importNotFound(name)]) }
        return ImportResourceStateResponse(
            importedResources: [ImportedResource(typeName: typeName, state: Self.state(importedFrom: remote))],
            diagnostics: [APITokenDiagnostics.importedWithoutValue(name)]
        )
    }
}

/// User-facing wording for `turso_api_token`.
enum APITokenDiagnostics {
    static func invalidName(_ name: String, problem: String) -> Diagnostic {
        .error("Invalid API token name", "The name \"\(DisplayText.escaped(name, limit: 100))\" cannot be used: \(problem). Use letters, digits, '-' and '_'.", at: "name")
    }

    static func invalidSlug(_ attribute: String, _ value: String, problem: String) -> Diagnostic {
        .error(
            "Invalid \(attribute)",
            "\"\(DisplayText.escaped(value, limit: 100))\" cannot be \(attribute == "group" ? "a group name" : "an organization slug"): \(problem).",
            at: AttributePath(attribute)
        )
    }

    /// The create reached Turso and its value was lost; the token is kept in state, to be replaced.
    static func keptAfterLostCreate(_ error: TursoAPIError) -> Diagnostic {
        let kept = error.lostToken != nil
            ? " Terraform keeps it in state so that it is not lost, marked tainted: the next `terraform apply` revokes it and creates a new one, with a new value."
            : " Terraform keeps it in state so that it is not lost, without an id and marked tainted: the next plan looks it up, and the next `terraform apply` revokes it if it exists and creates a new one."
        return .error(error.summary, error.detail + kept)
    }

    static func abandonedCreateReplaced(name: String) -> Diagnostic {
        let shown = DisplayText.escaped(name, limit: 100)
        return .warning(
            "API token \"\(shown)\" from an interrupted run was replaced",
            "An earlier run of this provider sent the create of API token \"\(shown)\" and Terraform exited before recording it (for example after Ctrl-C twice), so the token existed in Turso without being in any state, with its value lost. It has been revoked and created again; the new token is in state."
        )
    }

    static func revokeNotFoundButListed(name: String, id: String, _ error: TursoAPIError) -> Diagnostic {
        let shown = DisplayText.escaped(name, limit: 100)
        return .error(
            "API token \"\(shown)\" was not revoked",
            "Turso answered 404 Not Found to revoking API token \"\(shown)\", yet still lists it (id \(DisplayText.escaped(id, limit: 100))): the token is still valid. It stays in state. Check the provider's base_url and any proxy in between, then run Terraform again. \(error.detail)"
        )
    }

    static func revokedOutsideTerraform(label: String) -> Diagnostic {
        .warning(
            "\(label) no longer exists in Turso",
            "Turso lists no API token with this name or id: it was revoked outside Terraform. It is removed from state; the next apply creates it again."
        )
    }

    static func nameRestored(from edited: String, to name: String, id: String) -> Diagnostic {
        .warning(
            "State of turso_api_token \"\(DisplayText.escaped(name, limit: 100))\" (id \(DisplayText.escaped(id, limit: 100))) was changed outside Terraform",
            "The state named it \"\(DisplayText.escaped(edited, limit: 100))\", but Turso lists the token with this id as \"\(DisplayText.escaped(name, limit: 100))\" (Turso cannot rename a token): the state file was edited. The name has been restored from Turso."
        )
    }

    static func idRestored(from edited: String, to id: String, name: String) -> Diagnostic {
        .warning(
            "State of turso_api_token \"\(DisplayText.escaped(name, limit: 100))\" (id \(DisplayText.escaped(id, limit: 100))) was changed outside Terraform",
            "The state gave it id \(DisplayText.escaped(edited, limit: 100)), but its sealed private state belongs to the token Turso lists with id \(DisplayText.escaped(id, limit: 100)): the state file was edited. The id and the sealed values have been restored."
        )
    }

    static func idFound(name: String, id: String) -> Diagnostic {
        .warning(
            "turso_api_token \"\(DisplayText.escaped(name, limit: 100))\" found in Turso (id \(DisplayText.escaped(id, limit: 100)))",
            "It was recorded without an id after a create whose answer was lost; Turso lists it, so its id is now in state. Its value is lost: if it is marked tainted, the next apply revokes it and creates a new one."
        )
    }

    static func identityUndecided(label: String, remote: APIToken) -> Diagnostic {
        .warning(
            "\(label) does not match Turso",
            "Turso does not list this name with this id; it lists API token \"\(DisplayText.escaped(remote.name, limit: 100))\" (id \(DisplayText.escaped(remote.id, limit: 100))), which may be this one, and the private state cannot confirm it (it does not open as this token's sealed copy): the state file may have been edited, or the token replaced outside Terraform. The state is kept as it is, so a live token is never lost from it. If the token was replaced elsewhere and should not be managed here, run `terraform state rm <address>`; to manage the listed token, remove it from state and `terraform import <address> <name>`."
        )
    }

    static func empty(_ attribute: String) -> Diagnostic {
        .error("Empty \(attribute)", "Set \(attribute) to a \(attribute == "group" ? "group name" : "organization slug"), or leave it out.", at: AttributePath(attribute))
    }

    static let groupWithoutOrganization = Diagnostic.error(
        "group requires organization",
        "A group-scoped token belongs to a group of one organization: set organization to the slug of the organization the group is in.",
        at: "group"
    )

    static func groupWithoutScopes(at attribute: AttributePath) -> Diagnostic {
        .error(
            "group requires scopes",
            "A group-scoped token can do only what its scopes allow: list at least one in scopes, for example [\"read-only\"] or [\"db:create\", \"db:mint-token\"].",
            at: attribute
        )
    }

    static let scopesWithoutGroup = Diagnostic.error(
        "scopes requires group",
        "Turso grants scopes to group-scoped tokens only: set organization and group too, or leave scopes out for a token with the full access of its organization.",
        at: "scopes"
    )

    static func unknownScopes(_ scopes: [String]) -> Diagnostic {
        .error(
            "Unknown scope\(scopes.count == 1 ? "" : "s") \(scopes.map { "\"\($0)\"" }.joined(separator: ", "))",
            "Turso knows the scopes \(APITokenScopes.individual.joined(separator: ", ")) and the presets read-only and full-access.",
            at: "scopes"
        )
    }

    static func invalidNamePrefix(_ prefix: String, problem: String) -> Diagnostic {
        .error("Invalid name_prefix", "The prefix \"\(prefix)\" cannot start a token name: \(problem). Use letters, digits, '-' and '_'.", at: "name_prefix")
    }

    static let nameAndPrefix = Diagnostic.error(
        "name and name_prefix conflict",
        "Set either name (a fixed name) or name_prefix (a name chosen at apply, needed for create_before_destroy rotation), not both.",
        at: "name_prefix"
    )

    static let namePrefixHint = Diagnostic.warning(
        "Replacing a token with create_before_destroy needs name_prefix",
        "If this token is being replaced under lifecycle { create_before_destroy = true }, its fixed name is still held by the token it replaces. Use name_prefix instead of name: each token then gets a unique name, and the new one is created before the old one is revoked."
    )

    static let nameOrPrefixRequired = Diagnostic.error(
        "name or name_prefix required",
        "Set name to the token's name in Turso, or name_prefix to have a unique name chosen at apply."
    )

    static let unknownAtApply = Diagnostic.error(
        "API token name unknown at apply",
        "The token's name must be known when it is created. This is a bug in the provider or in Terraform; please report it."
    )

    static func sealFailed(name: String, _ error: any Error) -> Diagnostic {
        .warning(
            "API token \"\(DisplayText.escaped(name, limit: 100))\" was created but not sealed in private state",
            "The token exists and its value is in Terraform state; sealing a copy in private state failed (\(error)). The next refresh tries again."
        )
    }

    static func sealTokenFailed(name: String, _ error: any Error) -> Diagnostic {
        .error(
            "API token \"\(name)\" was created but its value could not be sealed",
            "The token exists in Turso and is in Terraform state, but sealing its value for sealed_token failed (\(error)), and with seal_token the value is never stored unsealed. Replace it (`terraform apply -replace=<address>`) to get a token with a sealed value."
        )
    }

    static func replacedOutsideTerraform(name: String, id: String, remoteID: String) -> Diagnostic {
        .warning(
            "API token \"\(DisplayText.escaped(name, limit: 100))\" was replaced outside Terraform",
            "The token Terraform created (id \(DisplayText.escaped(id, limit: 100))) no longer exists; Turso now has another token of that name (id \(DisplayText.escaped(remoteID, limit: 100))), created elsewhere. It is removed from state. To manage the other token, import it (`terraform import <address> \(DisplayText.escaped(name, limit: 100))`); to have Terraform create its own, revoke the other one (`turso auth api-tokens revoke \(DisplayText.escaped(name, limit: 100))`) or choose another name."
        )
    }

    static func invalidImportID(_ id: String, problem: String) -> Diagnostic {
        .error("Invalid import id", "Import an API token by its name, as in `terraform import turso_api_token.ci ci`. \"\(DisplayText.escaped(id, limit: 100))\" is not a token name: \(problem).")
    }

    static func importNotFound(_ name: String) -> Diagnostic {
        .error(
            "No API token named \"\(DisplayText.escaped(name, limit: 100))\"",
            "Turso lists no API token named \"\(DisplayText.escaped(name, limit: 100))\" for the provider's API token's user. Check the name with `turso auth api-tokens list`; tokens of other users cannot be imported."
        )
    }

    static func importedWithoutValue(_ name: String) -> Diagnostic {
        .warning(
            "The value of API token \"\(DisplayText.escaped(name, limit: 100))\" cannot be recovered",
            "Turso shows a token's value only when it is created, so the imported token's token attribute is null. If you need the value, have Terraform replace the token: `terraform apply -replace=<address>` revokes it and creates a new one."
        )
    }
}
