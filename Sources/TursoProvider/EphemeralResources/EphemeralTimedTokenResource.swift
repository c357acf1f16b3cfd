import TerraformPlugin

/// `ephemeral "turso_timed_token"`: a locally minted, time-limited token
/// for one Terraform run, as the `turso_timed_token` resource mints it, but
/// never written to state or plan files. Nothing exists outside the
/// provider, so there is nothing to renew or close.
struct EphemeralTimedTokenResource: EphemeralResource, ModelBacked {
    let context: ProviderContext

    var typeName: String { "turso_timed_token" }

    // MARK: Schema

    var schema: Schema { Self.schema }

    static let schema = Schema(block: SchemaBlock(
        attributes: [
            .required("name", .string, """
                A name for the token, for your own reference.
                """),
            .optional("ttl", .string, """
                How long the token lives, as a duration such as `90s`, `30m` or `1h30m` \
                (units `h`, `m`, `s`, `ms`, `us`, `ns`). At least one second. Defaults to \
                `\(TimedTokenResource.defaultTTL)`.
                """),
            .computed("id", .string, """
                The token's identifier, `\(TimedTokenResource.idPrefix)` followed by a random UUID.
                """),
            .computed("token", .string, sensitive: true, """
                The token value: `\(TimedTokenResource.tokenPrefix)` followed by a UUID from a \
                cryptographic random source. A new one every time Terraform opens the ephemeral \
                resource (in plan and in apply alike); never stored in state or plan files.
                """),
            .computed("expires_at", .string, """
                When the token expires, as an RFC 3339 timestamp in UTC (`2026-01-02T15:04:05Z`): \
                `ttl` after it was minted.
                """),
        ],
        description: """
            A locally minted, time-limited token that exists only while Terraform runs. Nothing is \
            sent to Turso: the value comes from a cryptographic random source on the machine running \
            Terraform, and it is never written to state or plan files. Requires Terraform 1.10 or later.
            """
    ))

    /// The configuration and result of an ephemeral `turso_timed_token`.
    struct Model: ObjectModel {
        enum Key: String, ModelKey { case name, ttl, id, token, expiresAt = "expires_at" }

        var name: Field<String>
        var ttl: Field<String>
        var id: Field<String>
        var token: Field<String>
        var expiresAt: Field<String>

        init(reading object: ModelReader<Key>) {
            name = object[.name]
            ttl = object[.ttl]
            id = object[.id]
            token = object[.token]
            expiresAt = object[.expiresAt]
        }

        func write(to object: inout ModelWriter<Key>) {
            object.set(.name, name)
            object.set(.ttl, ttl)
            object.set(.id, id)
            object.set(.token, token)
            object.set(.expiresAt, expiresAt)
        }
    }

    /// `ttl` as the resource parses it (an ephemeral token has no
    /// `renew_before`, so the resource's default of zero applies).
    static func settings(_ config: Model) -> (TimedTokenResource.Settings?, [Diagnostic]) {
        TimedTokenResource.settings(ttl: config.ttl, renewBefore: .null)
    }

    func validateConfig(_ request: ValidateEphemeralResourceConfigRequest) async -> [Diagnostic] {
        Self.settings(Model(request.config)).1
    }

    // MARK: Open

    func open(_ request: OpenEphemeralResourceRequest) async -> OpenEphemeralResourceResponse {
        var result = Model(request.config)
        let (settings, diagnostics) = Self.settings(result)
        guard let settings else {
            // The router passes only known configurations, so this is an invalid ttl.
            return OpenEphemeralResourceResponse(result: .null(Self.schema.impliedType), diagnostics: diagnostics)
        }
        result.id = .known(TimedTokenResource.idPrefix + context.random.uuid4())
        result.token = .known(TimedTokenResource.tokenPrefix + context.random.uuid4())
        result.expiresAt = .known(RFC3339.format(context.clock.now().adding(settings.ttl)))
        return OpenEphemeralResourceResponse(result: result.value(of: Self.schema.impliedType, over: request.config), diagnostics: diagnostics)
    }

    // MARK: Renew, Close
    // None: the token exists nowhere but in this run (the protocol's
    // defaults answer both, doing nothing).
}
