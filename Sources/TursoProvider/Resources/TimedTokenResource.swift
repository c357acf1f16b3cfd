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
struct TimedTokenResource: ManagedResource {
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
                """),
            .optionalComputed("ttl", .string, """
                How long the token lives, as a duration such as `90s`, `30m` or `1h30m` \
                (units `h`, `m`, `s`, `ms`, `us`, `ns`). At least one second. Defaults to `\(defaultTTL)`. \
                Changing it to a different length replaces the token.
                """),
            .optionalComputed("renew_before", .string, """
                How long before `expires_at` the token is replaced, as a duration such as `5m`. \
                Defaults to `\(defaultRenewBefore)`: the token is replaced once it has expired. \
                Must be shorter than `ttl`. Changing it does not replace the token.
                """),
            .optional("triggers", .map(.string), """
                Arbitrary values that, when changed, replace the token. Use it to tie the \
                token's lifetime to something else, for example `{ deployment = var.release }`.
                """),
            .optional("seal_token", .bool, """
                Keep the token out of state: when `true`, `token` is null and `sealed_token` holds \
                the value sealed under the provider's private-state key, so the state file holds \
                the token in no readable form. Defaults to `false`. Changing it replaces the token.
                """),
            .computed("id", .string, """
                The token's identifier, `timed-token-id-` followed by a random UUID.
                """),
            .computed("token", .string, sensitive: true, """
                The token value: `token-` followed by a UUID from a cryptographic random source. \
                Minted at apply, never at plan. Stored in state (mark outputs that use it \
                `sensitive`) and sealed in private state.
                """),
            .computed("sealed_token", .string, """
                With `seal_token = true`: the token sealed (XChaCha20-Poly1305) under the provider's \
                `private_state_key` and bound to this resource, as `turso_timed_token:<id>:<sealed>`. \
                `terraform-provider-turso unseal` prints the token from it, given the key in \
                `TURSO_PRIVATE_STATE_KEY`. Null otherwise.
                """),
            .computed("token_version", .number, """
                A number that changes with every new token: when it was minted, in Unix \
                milliseconds. Give it to a `*_wo_version` argument alongside a write-only copy of \
                the token, so the copy is written again whenever the token is replaced.
                """),
            .computed("expires_at", .string, """
                When the token expires, as an RFC 3339 timestamp in UTC (`2026-01-02T15:04:05Z`). \
                From `expires_at` minus `renew_before` on, the next refresh or plan replaces the token.
                """),
        ],
        description: """
            A locally minted, time-limited token. Nothing is sent to Turso: the value comes from \
            a cryptographic random source on the machine running Terraform. Once the token has \
            expired (or is within `renew_before` of expiring), the next plan replaces it, even \
            with `-refresh=false`.
            """
    ))

    /// The user's settings, with defaults applied and durations parsed.
    struct Settings {
        var ttlText: String
        var ttl: TokenDuration
        var renewBeforeText: String
        var renewBefore: TokenDuration
    }

    /// Parses `ttl` and `renew_before`. Nil settings with no errors means a
    /// value is unknown (it depends on something not yet created).
    static func settings(from config: CtyValue) -> (Settings?, [Diagnostic]) {
        let ttlValue = config[attribute: "ttl"]
        let renewValue = config[attribute: "renew_before"]
        guard ttlValue.isKnown, renewValue.isKnown else { return (nil, []) }
        let ttlText = ttlValue.stringValue ?? defaultTTL
        let renewText = renewValue.stringValue ?? defaultRenewBefore
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

    func validateConfig(_ request: ValidateResourceConfigRequest) async -> [Diagnostic] {
        Self.settings(from: request.config).1
    }

    /// True once `now + renew_before` has reached the expiry in `state`.
    /// An unreadable `expires_at` (an edited state) counts as due, so a
    /// token of unknown age is replaced rather than trusted.
    static func isDue(_ state: CtyValue, now: UnixTime) -> Bool {
        guard let expiresText = state[attribute: "expires_at"].stringValue,
              let expiresAt = RFC3339.parse(expiresText)
        else { return true }
        let renewText = state[attribute: "renew_before"].stringValue ?? defaultRenewBefore
        let renewBefore = (try? TokenDuration.parse(renewText).get()) ?? .zero
        return now.adding(renewBefore) >= expiresAt
    }

    // MARK: Plan

    func plan(_ request: PlanResourceChangeRequest) async -> PlanResourceChangeResponse {
        let proposed = request.proposedNewState
        // Destroy: nothing to decide.
        if proposed.isNull {
            return PlanResourceChangeResponse(plannedState: proposed, plannedPrivate: request.priorPrivate)
        }
        let (settings, diagnostics) = Self.settings(from: request.config)
        if diagnostics.hasErrors {
            return PlanResourceChangeResponse(plannedState: proposed, plannedPrivate: request.priorPrivate, diagnostics: diagnostics)
        }
        var planned = proposed.setting([
            "ttl": settings.map { .string($0.ttlText) } ?? proposed[attribute: "ttl"].orUnknownIfNull(.string),
            "renew_before": settings.map { .string($0.renewBeforeText) } ?? proposed[attribute: "renew_before"].orUnknownIfNull(.string),
        ])
        let newToken = Self.newToken(sealToken: request.config[attribute: "seal_token"])

        // Create: the values are minted at apply, never here (Terraform may plan twice).
        let prior = request.priorState
        if prior.isNull {
            return PlanResourceChangeResponse(plannedState: planned.setting(newToken), diagnostics: diagnostics)
        }

        var replace: [AttributePath] = []
        if planned[attribute: "name"] != prior[attribute: "name"] { replace.append("name") }
        if !planned[attribute: "triggers"].sameTriggers(as: prior[attribute: "triggers"]) { replace.append("triggers") }
        // Not known yet: it may turn out different, which only a new token can honour.
        if !planned[attribute: "seal_token"].isKnown || Self.sealsToken(planned) != Self.sealsToken(prior) {
            replace.append("seal_token")
        }
        if let settings {
            let priorTTL = prior[attribute: "ttl"].stringValue.flatMap { try? TokenDuration.parse($0).get() }
            if priorTTL != settings.ttl { replace.append("ttl") }
        } else if !planned[attribute: "ttl"].isKnown {
            replace.append("ttl")
        }
        // Expired, or within renew_before of expiring under the planned
        // setting: the plan itself rotates, so -refresh=false still works.
        let dueCheckState = prior.setting("renew_before", to: planned[attribute: "renew_before"])
        if replace.isEmpty, planned[attribute: "renew_before"].isKnown, Self.isDue(dueCheckState, now: context.clock.now()) {
            replace.append("expires_at")
        }

        if replace.isEmpty {
            // An in-place update (renew_before, or a ttl written differently
            // with the same length): the token stays.
            planned = planned.setting([
                "id": prior[attribute: "id"], "token": prior[attribute: "token"], "expires_at": prior[attribute: "expires_at"],
                "sealed_token": prior[attribute: "sealed_token"], "token_version": prior[attribute: "token_version"],
            ])
            return PlanResourceChangeResponse(plannedState: planned, plannedPrivate: request.priorPrivate, diagnostics: diagnostics)
        }
        return PlanResourceChangeResponse(
            plannedState: planned.setting(newToken), requiresReplace: replace,
            plannedPrivate: request.priorPrivate, diagnostics: diagnostics
        )
    }

    // MARK: Apply

    func apply(_ request: ApplyResourceChangeRequest) async -> ApplyResourceChangeResponse {
        let planned = request.plannedState
        if planned.isNull {
            // Destroy: the token only ever existed in state.
            return ApplyResourceChangeResponse(newState: planned)
        }
        if !request.priorState.isNull, planned[attribute: "id"].isKnown {
            // In-place update: the planned state already holds the token.
            return ApplyResourceChangeResponse(newState: planned, private: request.plannedPrivate)
        }
        let (settings, diagnostics) = Self.settings(from: request.config)
        guard let settings else {
            return ApplyResourceChangeResponse(
                newState: .null(Self.schema.impliedType),
                diagnostics: diagnostics.hasErrors ? diagnostics : [TimedTokenDiagnostics.settingsUnknownAtApply]
            )
        }
        let id = Self.idPrefix + context.random.uuid4()
        let token = Self.tokenPrefix + context.random.uuid4()
        let expiresAt = RFC3339.format(context.clock.now().adding(settings.ttl))
        var newState = planned.setting([
            "ttl": .string(settings.ttlText), "renew_before": .string(settings.renewBeforeText),
            "id": .string(id), "token": .string(token), "expires_at": .string(expiresAt),
            "sealed_token": .null(.string), "token_version": .number(CtyNumber(context.clock.nowMilliseconds())),
        ])
        guard let vault = context.privateStateVault() else {
            return ApplyResourceChangeResponse(
                newState: .null(Self.schema.impliedType), diagnostics: diagnostics + [ProviderDiagnostics.privateStateKeyUnavailableAtApply]
            )
        }
        do {
            if Self.sealsToken(planned) {
                // Only the sealed form leaves this function.
                let sealedToken = try SealedToken.seal(token, resourceType: typeName, id: id, vault: vault)
                newState = newState.setting(["token": .null(.string), "sealed_token": .string(sealedToken)])
            }
            let sealed = try Self.sealedAttributes(for: newState).seal(newState, id: id, with: vault)
            return ApplyResourceChangeResponse(newState: newState, private: sealed, diagnostics: diagnostics)
        } catch {
            return ApplyResourceChangeResponse(
                newState: .null(Self.schema.impliedType), diagnostics: diagnostics + [TimedTokenDiagnostics.sealFailed(error)]
            )
        }
    }

    /// The token and its expiry, sealed in private state.
    static let sealed = SealedAttributes(resourceType: "turso_timed_token", names: ["token", "expires_at"])
    /// With `seal_token`: the sealed form stands for the token (the value
    /// itself is nowhere in the state file, private state included).
    static let sealedOnly = SealedAttributes(resourceType: "turso_timed_token", names: ["sealed_token", "expires_at"])

    static func sealedAttributes(for state: CtyValue) -> SealedAttributes { sealsToken(state) ? sealedOnly : sealed }

    /// `seal_token`, null meaning false.
    static func sealsToken(_ value: CtyValue) -> Bool { value[attribute: "seal_token"].boolValue ?? false }

    /// The planned computed values of a token minted at apply. With
    /// `seal_token` the token is null already in the plan; while `seal_token`
    /// is unknown, either may get the value.
    static func newToken(sealToken: CtyValue) -> [String: CtyValue] {
        let known = sealToken.isKnown
        let sealed = sealToken.boolValue ?? false
        return [
            "id": .unknown(.string), "expires_at": .unknown(.string), "token_version": .unknown(.number),
            "token": known && sealed ? .null(.string) : .unknown(.string),
            "sealed_token": known && !sealed ? .null(.string) : .unknown(.string),
        ]
    }

    static func binding(id: String) -> PrivateStateBinding { sealed.binding(id: id) }

    // MARK: Read

    func read(_ request: ReadResourceRequest) async -> ReadResourceResponse {
        let state = request.currentState
        if state.isNull { return ReadResourceResponse(newState: state, private: request.private) }
        let id = state[attribute: "id"].stringValue ?? ""
        // Private state holds the authoritative copy of the secret.
        let attributes = Self.sealedAttributes(for: state)
        let reconciled = attributes.resealingSealedToken(attributes.reconcile(
            state, private: request.private, id: id, label: "turso_timed_token \(id)", vault: context.privateStateVault()
        ), id: id, vault: context.privateStateVault())
        // A due token stays: Plan replaces it (see the type's comment).
        return ReadResourceResponse(
            newState: Self.withTokenVersion(reconciled.state), private: reconciled.private, diagnostics: reconciled.diagnostics
        )
    }

    /// A state written before `token_version` existed gets the mint time
    /// back from `expires_at` minus `ttl`, so it has one without a new token.
    static func withTokenVersion(_ state: CtyValue) -> CtyValue {
        guard state[attribute: "token_version"].isNull,
              let expiresAt = state[attribute: "expires_at"].stringValue.flatMap(RFC3339.parse),
              let ttl = state[attribute: "ttl"].stringValue.flatMap({ try? TokenDuration.parse($0).get() })
        else { return state }
        return state.setting("token_version", to: .number(CtyNumber((expiresAt.seconds - ttl.wholeSeconds) * 1000)))
    }

    // MARK: Import

    func importState(_ request: ImportResourceStateRequest) async -> ImportResourceStateResponse {
        ImportResourceStateResponse(diagnostics: [TimedTokenDiagnostics.importNotSupported])
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

extension CtyValue {
    /// An unset optional+computed attribute the provider decides at apply.
    func orUnknownIfNull(_ type: CtyType) -> CtyValue { isNull ? .unknown(type) : self }
}
