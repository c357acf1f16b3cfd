import TerraformPlugin

/// `turso_timed_token`: a token minted locally with a limited lifetime, and
/// replaced automatically once it expires (or once it is within
/// `renew_before` of expiring).
///
/// Expiry: Read keeps an expired (or due) token in state and Plan replaces
/// it, with refresh and with `-refresh=false` alike. Not hashicorp/time's
/// `time_rotating` way (Read removes it, the next plan creates a new one):
/// a resource that vanishes is created, not replaced, so its
/// `replace_triggered_by` dependents were left alone
/// (hashicorp/terraform-provider-time#118).
struct TimedTokenResource: ModelResource {
    let context: ProviderContext

    var typeName: String { "turso_timed_token" }

    static let idPrefix = "timed-token-id-"
    static let tokenPrefix = "token-"
    static let defaultTTL = "1h"
    static let defaultRenewBefore = "0s"

    // MARK: Schema

    var schema: Schema { Self.schema }

    static let schema = Schema(block: SchemaBlock(
        attributes: [
            .required("name", .string, """
                A name for the token, for your own reference. Changing it replaces the token.
                """).requiresReplace(),
            .optionalComputed("ttl", .string, """
                How long the token lives, as a duration such as `90s`, `30m` or `1h30m` \
                (units `h`, `m`, `s`, `ms`, `us`, `ns`). At least one second. Defaults to `\(defaultTTL)`. \
                Changing it to a different length replaces the token.
                """).defaultValue(.string(defaultTTL)).requiresReplace(if: differentLength),
            .optionalComputed("renew_before", .string, """
                How long before `expires_at` the token is replaced, as a duration such as `5m`. \
                Defaults to `\(defaultRenewBefore)`: the token is replaced once it has expired. \
                Must be shorter than `ttl`. Changing it does not replace the token.
                """).defaultValue(.string(defaultRenewBefore)),
            .optional("triggers", .map(.string), """
                Arbitrary values that, when changed, replace the token. Use it to tie the \
                token's lifetime to something else, for example `{ deployment = var.release }`.
                """).requiresReplace(if: { !$1.sameTriggers(as: $0) }),
            .optional("seal_token", .bool, """
                Keep the token out of state: when `true`, `token` is null and `sealed_token` holds \
                the value sealed under the provider's private-state key, so the state file holds \
                the token in no readable form. Defaults to `false`. Changing it replaces the token.
                """).requiresReplace(if: SealToken.changes),
            .computed("id", .string, """
                The token's identifier, `timed-token-id-` followed by a random UUID.
                """).useStateForUnknown(),
            .computed("token", .string, sensitive: true, """
                The token value: `token-` followed by a UUID from a cryptographic random source. \
                Minted at apply, never at plan. Stored in state (mark outputs that use it \
                `sensitive`) and sealed in private state.
                """).useStateForUnknown(),
            .computed("sealed_token", .string, """
                With `seal_token = true`: the token sealed (XChaCha20-Poly1305) under the provider's \
                `private_state_key` and bound to this resource, as `turso_timed_token:<id>:<sealed>`. \
                `terraform-provider-turso unseal` prints the token from it, given the key in \
                `TURSO_PRIVATE_STATE_KEY`. Null otherwise.
                """).useStateForUnknown(),
            .computed("token_version", .number, """
                A number that changes with every new token: when it was minted, in Unix \
                milliseconds. Give it to a `*_wo_version` argument alongside a write-only copy of \
                the token, so the copy is written again whenever the token is replaced.
                """).useStateForUnknown(),
            .computed("expires_at", .string, """
                When the token expires, as an RFC 3339 timestamp in UTC (`2026-01-02T15:04:05Z`). \
                From `expires_at` minus `renew_before` on, the next refresh or plan replaces the token.
                """).useStateForUnknown(),
        ],
        description: """
            A locally minted, time-limited token. Nothing is sent to Turso: the value comes from \
            a cryptographic random source on the machine running Terraform. Once the token has \
            expired (or is within `renew_before` of expiring), the next plan replaces it, even \
            with `-refresh=false`.
            """
    ))

    /// A `ttl` written differently with the same length (`60m`, `1h`) is no
    /// change of lifetime; one not known yet may turn out different, and a
    /// stored one that does not parse (an edited state) is replaced.
    static func differentLength(prior: CtyValue, planned: CtyValue) -> Bool {
        guard planned.isKnown else { return true }
        let parse = { (value: CtyValue) in value.stringValue.flatMap { try? TokenDuration.parse($0).get() } }
        return parse(prior) == nil || parse(prior) != parse(planned)
    }

    /// The state of a `turso_timed_token`, and its configuration and plan.
    struct Model: ObjectModel {
        enum Key: String, ModelKey {
            case name, ttl, renewBefore = "renew_before", triggers, sealToken = "seal_token"
            case id, token, sealedToken = "sealed_token", tokenVersion = "token_version", expiresAt = "expires_at"
        }

        var name: Field<String>
        var ttl: Field<String>
        var renewBefore: Field<String>
        /// As Terraform sent it: a known map may hold unknown values.
        var triggers: CtyValue
        var sealToken: Field<Bool>
        var id: Field<String>
        var token: Field<String>
        var sealedToken: Field<String>
        var tokenVersion: Field<CtyNumber>
        var expiresAt: Field<String>

        init(reading object: ModelReader<Key>) {
            name = object[.name]
            ttl = object[.ttl]
            renewBefore = object[.renewBefore]
            triggers = object[raw: .triggers]
            sealToken = object[.sealToken]
            id = object[.id]
            token = object[.token]
            sealedToken = object[.sealedToken]
            tokenVersion = object[.tokenVersion]
            expiresAt = object[.expiresAt]
        }

        func write(to object: inout ModelWriter<Key>) {
            object.set(.name, name)
            object.set(.ttl, ttl)
            object.set(.renewBefore, renewBefore)
            object.set(raw: .triggers, triggers)
            object.set(.sealToken, sealToken)
            object.set(.id, id)
            object.set(.token, token)
            object.set(.sealedToken, sealedToken)
            object.set(.tokenVersion, tokenVersion)
            object.set(.expiresAt, expiresAt)
        }

        /// `seal_token`, null meaning false.
        var sealsToken: Bool { sealToken.value ?? false }
    }

    /// The user's settings, with defaults applied and durations parsed.
    struct Settings {
        var ttlText: String
        var ttl: TokenDuration
        var renewBeforeText: String
        var renewBefore: TokenDuration
    }

    /// Parses `ttl` and `renew_before` (null: the default). Nil settings
    /// with no errors means a value is unknown (it depends on something not
    /// yet created).
    static func settings(ttl ttlValue: Field<String>, renewBefore renewValue: Field<String>) -> (Settings?, [Diagnostic]) {
        guard ttlValue.isKnown, renewValue.isKnown else { return (nil, []) }
        let ttlText = ttlValue.value ?? defaultTTL
        let renewText = renewValue.value ?? defaultRenewBefore
        var diagnostics: [Diagnostic] = []

        var ttl: TokenDuration?
        switch TokenDuration.parse(ttlText) {
        case .success(let duration) where duration.wholeSeconds >= 1: ttl = duration
        case .success: diagnostics.append(ProviderDiagnostics.durationNotPositive(attribute: "ttl", text: ttlText))
        case .failure(let error): diagnostics.append(ProviderDiagnostics.invalidDuration(attribute: "ttl", text: ttlText, reason: error.reason))
        }
        var renewBefore: TokenDuration?
        switch TokenDuration.parse(renewText) {
        case .success(let duration) where duration >= .zero: renewBefore = duration
        case .success: diagnostics.append(ProviderDiagnostics.durationNegative(attribute: "renew_before", text: renewText))
        case .failure(let error):
            diagnostics.append(ProviderDiagnostics.invalidDuration(attribute: "renew_before", text: renewText, reason: error.reason))
        }
        guard let ttl, let renewBefore else { return (nil, diagnostics) }
        guard renewBefore < ttl else {
            return (nil, diagnostics + [ProviderDiagnostics.renewBeforeNotShorterThanTTL(renewBefore: renewText, ttl: ttlText)])
        }
        return (Settings(ttlText: ttlText, ttl: ttl, renewBeforeText: renewText, renewBefore: renewBefore), diagnostics)
    }

    static func settings(_ config: Model) -> (Settings?, [Diagnostic]) {
        settings(ttl: config.ttl, renewBefore: config.renewBefore)
    }

    func validateConfig(_ request: ValidateResourceConfigRequest) async -> [Diagnostic] {
        Self.settings(Model(request.config)).1
    }

    /// True once `now + renew_before` has reached the expiry in `state`.
    /// An unreadable `expires_at` (an edited state) counts as due, so a
    /// token of unknown age is replaced rather than trusted.
    static func isDue(_ state: Model, now: UnixTime) -> Bool {
        guard let expiresAt = state.expiresAt.value.flatMap(RFC3339.parse) else { return true }
        let renewText = state.renewBefore.value ?? defaultRenewBefore
        let renewBefore = (try? TokenDuration.parse(renewText).get()) ?? .zero
        return now.adding(renewBefore) >= expiresAt
    }

    // MARK: Plan
    // Declared on the schema: defaults for ttl and renew_before, what
    // replaces the token, and that its computed values stay on an in-place
    // update (renew_before, or a ttl written differently with the same length).

    func modifyPlan(_ plan: inout ModelPlan<Model>) async {
        let (_, diagnostics) = Self.settings(plan.config)
        plan.diagnostics += diagnostics
        if diagnostics.hasErrors { return }
        // Expired, or within renew_before of expiring under the planned
        // setting: the plan itself rotates, so -refresh=false still works.
        if var dueCheck = plan.prior, plan.requiresReplace.isEmpty, plan.planned.renewBefore.isKnown {
            dueCheck.renewBefore = plan.planned.renewBefore
            if Self.isDue(dueCheck, now: context.clock.now()) { plan.requireReplace(AttributePath(Model.Key.expiresAt)) }
        }
        // Minted at apply, never here (Terraform may plan twice). With
        // `seal_token` the token is null already in the plan; while
        // `seal_token` is unknown, either may get the value.
        if plan.createsObject, plan.config.sealToken.isKnown {
            if plan.config.sealsToken { plan.planned.token = .null } else { plan.planned.sealedToken = .null }
        }
    }

    // MARK: Apply

    // Destroy: the default's (the token only ever existed in state).

    func create(planned: Model, config: Model) async -> ModelResult<Model> {
        let (settings, diagnostics) = Self.settings(config)
        guard let settings else {
            return .removed(diagnostics.hasErrors ? diagnostics : [TimedTokenDiagnostics.settingsUnknownAtApply])
        }
        let id = Self.idPrefix + context.random.uuid4()
        let token = Self.tokenPrefix + context.random.uuid4()
        var newState = planned
        newState.ttl = .known(settings.ttlText)
        newState.renewBefore = .known(settings.renewBeforeText)
        newState.id = .known(id)
        newState.token = .known(token)
        newState.expiresAt = .known(RFC3339.format(context.clock.now().adding(settings.ttl)))
        newState.sealedToken = .null
        newState.tokenVersion = .known(CtyNumber(context.clock.nowMilliseconds()))
        guard let vault = context.privateStateVault() else {
            return .removed(diagnostics + [ProviderDiagnostics.privateStateKeyUnavailableAtApply])
        }
        do {
            if planned.sealsToken {
                // Only the sealed form leaves this function.
                newState.sealedToken = .known(try SealedToken.seal(token, resourceType: typeName, id: id, vault: vault))
                newState.token = .null
            }
            let stateValue = stateValue(newState)
            let sealed = try Self.sealedAttributes(for: newState).seal(stateValue, id: id, with: vault)
            return ModelResult(state: newState, private: sealed, diagnostics: diagnostics)
        } catch {
            return .removed(diagnostics + [TimedTokenDiagnostics.sealFailed(error)])
        }
    }

    func update(prior: Model, planned: Model, config: Model, private blob: [UInt8]) async -> ModelResult<Model> {
        // In-place: the planned state already holds the token.
        if planned.id.isKnown { return ModelResult(state: planned, private: blob) }
        return await create(planned: planned, config: config)
    }

    /// The token and its expiry, sealed in private state.
    static let sealed = SealedAttributes<Model.Key>(resourceType: "turso_timed_token", names: [.token, .expiresAt])
    /// With `seal_token`: the sealed form stands for the token (the value
    /// itself is nowhere in the state file, private state included).
    static let sealedOnly = SealedAttributes<Model.Key>(
        resourceType: "turso_timed_token", names: [.sealedToken, .expiresAt], sealedTokenKey: .sealedToken
    )

    static func sealedAttributes(for state: Model) -> SealedAttributes<Model.Key> { state.sealsToken ? sealedOnly : sealed }

    static func binding(id: String) -> PrivateStateBinding { sealed.binding(id: id) }

    // MARK: Read

    func read(state: Model, private blob: [UInt8]) async -> ModelResult<Model> {
        let id = state.id.value ?? ""
        // Private state holds the authoritative copy of the secret.
        let attributes = Self.sealedAttributes(for: state)
        let reconciled = attributes.resealingSealedToken(attributes.reconcile(
            stateValue(state), private: blob, id: id, label: "turso_timed_token \(id)", vault: context.privateStateVault()
        ), id: id, vault: context.privateStateVault())
        // A due token stays: Plan replaces it (see the type's comment).
        return ModelResult(
            state: Self.withTokenVersion(Model(reconciled.state)), private: reconciled.private, diagnostics: reconciled.diagnostics
        )
    }

    /// A state written before `token_version` existed gets the mint time
    /// back from `expires_at` minus `ttl`, so it has one without a new token.
    static func withTokenVersion(_ state: Model) -> Model {
        guard state.tokenVersion.isNull,
              let expiresAt = state.expiresAt.value.flatMap(RFC3339.parse),
              let ttl = state.ttl.value.flatMap({ try? TokenDuration.parse($0).get() })
        else { return state }
        var updated = state
        updated.tokenVersion = .known(CtyNumber((expiresAt.seconds - ttl.wholeSeconds) * 1000))
        return updated
    }

    // MARK: Import

    func importState(_ request: ImportResourceStateRequest) async -> ImportResourceStateResponse {
        ImportResourceStateResponse(diagnostics: [TimedTokenDiagnostics.importNotSupported])
    }
}

/// `seal_token`'s replace rule, shared by both token resources: a change
/// of whether the value is sealed needs a new token, and so does one not
/// known yet (it may turn out different, which only a new token can honour).
enum SealToken {
    static func changes(prior: CtyValue, planned: CtyValue) -> Bool {
        !planned.isKnown || (planned.boolValue ?? false) != (prior.boolValue ?? false)
    }
}

/// User-facing wording for `turso_timed_token`.
enum TimedTokenDiagnostics {
    static let importNotSupported = Diagnostic.error(
        "turso_timed_token cannot be imported",
        "A timed token is minted locally by the provider and exists only in Terraform's state; there is nothing to import. Declare the resource in configuration and apply: a new token is minted."
    )

    static let settingsUnknownAtApply = Diagnostic.error(
        "ttl or renew_before unknown at apply",
        "The token's ttl and renew_before must be known when it is created. This is a bug in the provider or in Terraform; please report it."
    )

    static func sealFailed(_ error: any Error) -> Diagnostic {
        .error("Could not store the token in private state", "\(error)")
    }
}
