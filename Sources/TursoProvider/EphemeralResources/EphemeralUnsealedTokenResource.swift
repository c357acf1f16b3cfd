import TerraformPlugin

/// `ephemeral "turso_unsealed_token"`: the token inside a `sealed_token`
/// (see SealedToken), opened with the provider's private-state keys, for
/// one Terraform run. It is what `terraform-provider-turso unseal` does,
/// inside Terraform: the value can feed write-only arguments and provider
/// configurations while state and plan files keep only the sealed text.
/// Nothing is made outside the provider, so there is nothing to renew or
/// close.
struct EphemeralUnsealedTokenResource: EphemeralResource, ModelBacked {
    let context: ProviderContext

    var typeName: String { "turso_unsealed_token" }

    // MARK: Schema

    var schema: Schema { Self.schema }

    static let schema = Schema(block: SchemaBlock(
        attributes: [
            .required("sealed_token", .string, """
                A `sealed_token` as `turso_api_token` and `turso_timed_token` write it with \
                `seal_token = true`: `<resource type>:<id>:<sealed value>`. It opens only with the \
                key it was sealed with, given as this provider's `private_state_key` (or \
                `TURSO_PRIVATE_STATE_KEY`) or listed in `private_state_previous_keys` (or \
                `TURSO_PRIVATE_STATE_PREVIOUS_KEYS`), and only unaltered: a changed character, \
                type or id is an error naming the key id, never a wrong token.
                """),
            .computed("token", .string, sensitive: true, """
                The token value sealed in `sealed_token`. Use it wherever Terraform accepts \
                ephemeral values: provider configurations (another `provider "turso"` block's \
                `api_token`), write-only arguments such as \
                `aws_secretsmanager_secret_version.secret_string_wo`, locals and other ephemeral \
                resources. Never stored in state or plan files.
                """),
        ],
        description: """
            Opens a `sealed_token` (from `turso_api_token` or `turso_timed_token` with \
            `seal_token = true`) with the provider's private state key and yields the token for this \
            Terraform run only, so a token kept sealed in state can still configure a provider or \
            feed a write-only argument without ever being written in readable form. Nothing is sent \
            to Turso. The provider needs the key that sealed the value, as `private_state_key` (or \
            `TURSO_PRIVATE_STATE_KEY`) or among `private_state_previous_keys` after a key rotation. \
            Outside Terraform, `terraform-provider-turso unseal` does the same. Requires Terraform \
            1.10 or later.
            """
    ))

    /// The configuration and result of `turso_unsealed_token`.
    struct Model: ObjectModel {
        enum Key: String, ModelKey { case sealedToken = "sealed_token", token }

        var sealedToken: Field<String>
        var token: Field<String>

        init(reading object: ModelReader<Key>) {
            sealedToken = object[.sealedToken]
            token = object[.token]
        }

        func write(to object: inout ModelWriter<Key>) {
            object.set(.sealedToken, sealedToken)
            object.set(.token, token)
        }
    }

    /// The sealed text, or why the configuration cannot be opened. Nil with
    /// no diagnostics while the value is unknown (validation only).
    static func sealedText(_ config: Model) -> (String?, [Diagnostic]) {
        let value = config.sealedToken
        if !value.isKnown { return (nil, []) }
        guard let text = value.value else { return (nil, [EphemeralUnsealedTokenDiagnostics.missing]) }
        // Surrounding whitespace (a heredoc, a file read with file()) is no
        // part of a sealed token, which has none inside; unseal trims it too.
        let trimmed = String(text.split(whereSeparator: \.isWhitespace).joined())
        guard !trimmed.isEmpty else { return (nil, [EphemeralUnsealedTokenDiagnostics.missing]) }
        return (trimmed, [])
    }

    func validateConfig(_ request: ValidateEphemeralResourceConfigRequest) async -> [Diagnostic] {
        Self.sealedText(Model(request.config)).1
    }

    // MARK: Open

    func open(_ request: OpenEphemeralResourceRequest) async -> OpenEphemeralResourceResponse {
        let failed = { (diagnostics: [Diagnostic]) in
            OpenEphemeralResourceResponse(result: .null(Self.schema.impliedType), diagnostics: diagnostics)
        }
        var result = Model(request.config)
        let (text, diagnostics) = Self.sealedText(result)
        // The router passes only known configurations, so a nil text is a null or empty one.
        guard let text else { return failed(diagnostics.isEmpty ? [EphemeralUnsealedTokenDiagnostics.missing] : diagnostics) }
        guard let vault = context.privateStateVault() else { return failed([EphemeralUnsealedTokenDiagnostics.keyUnavailable]) }
        switch SealedToken.open(text, vault: vault) {
        case .success(let token):
            result.token = .known(token)
            return OpenEphemeralResourceResponse(result: result.value(of: Self.schema.impliedType, over: request.config))
        case .failure(let error):
            return failed([EphemeralUnsealedTokenDiagnostics.cannotOpen(error.message)])
        }
    }

    // MARK: Renew, Close
    // None: opening made nothing anywhere (the protocol's defaults answer
    // both, doing nothing).
}

enum EphemeralUnsealedTokenDiagnostics {
    static let missing = Diagnostic.error(
        "No sealed_token to open",
        "sealed_token is null or empty. Set it to the sealed_token of a turso_api_token or turso_timed_token that has seal_token = true.",
        at: "sealed_token"
    )

    static let keyUnavailable = Diagnostic.error(
        "Private state key not available",
        "Opening a sealed_token needs the provider's private state key, and it is not known now (private_state_key depends on a value that is still unknown, or no key could be set up). Set private_state_key or TURSO_PRIVATE_STATE_KEY to the key the token was sealed with."
    )

    /// `message` comes from SealedToken.open: it names the key id and never
    /// holds the token, but it repeats the id from the configured text, so
    /// it is shown escaped.
    static func cannotOpen(_ message: String) -> Diagnostic {
        .error(
            "Cannot open sealed_token",
            "\(DisplayText.escaped(message, limit: 600)) If the key was rotated, list the key that sealed it in private_state_previous_keys (or TURSO_PRIVATE_STATE_PREVIOUS_KEYS).",
            at: "sealed_token"
        )
    }
}
