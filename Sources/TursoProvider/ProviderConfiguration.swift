import TerraformPlugin

/// The provider block, resolved against its environment variable fallbacks.
struct ProviderConfiguration: Sendable {
    /// A setting that may depend on values Terraform only knows after apply.
    enum Setting<Value: Sendable>: Sendable {
        case value(Value)
        case unset
        /// Depends on something not yet created; known at apply time.
        case unknown

        var value: Value? {
            if case .value(let value) = self { return value }
            return nil
        }
    }

    static let defaultBaseURL = "https://api.turso.tech"
    static let minimumPrivateStateKeyLength = 32

    var apiToken: Setting<String>
    var baseURL: Setting<String>
    var privateStateKey: Setting<String>
    var privateStatePreviousKeys: Setting<[String]>
    var terraformVersion: String

    static let schema = Schema(block: SchemaBlock(
        attributes: [
            .optional("api_token", .string, sensitive: true, """
                A Turso Platform API token, used as the bearer token for every API call. \
                Defaults to the `TURSO_API_TOKEN` environment variable. Create one with \
                `turso auth api-tokens mint --org <org> <name>`. Not needed by `turso_timed_token`, which is minted locally.
                """),
            .optional("base_url", .string, """
                The Turso Platform API endpoint. Defaults to the `TURSO_API_BASE_URL` environment \
                variable, else `\(defaultBaseURL)`. Point it at the bundled `turso-api-emulator` \
                (for example `http://127.0.0.1:8080`) to try the provider without a Turso account.
                """),
            .optional("private_state_key", .string, sensitive: true, """
                The secret that seals the copies of secrets kept in Terraform's private state \
                (at least \(minimumPrivateStateKeyLength) characters). Defaults to the \
                `TURSO_PRIVATE_STATE_KEY` environment variable. Set the same key wherever the \
                same state is used (CI, teammates); keep it out of version control.
                """),
            .optional("private_state_previous_keys", .list(.string), sensitive: true, """
                Earlier values of `private_state_key`, tried when opening private state but never \
                used to seal. After rotating the key, list the old one here: the next refresh \
                re-seals everything with the new key. Defaults to the comma-separated \
                `TURSO_PRIVATE_STATE_PREVIOUS_KEYS` environment variable.
                """),
        ],
        description: "The Turso provider manages [Turso](https://turso.tech) Platform API tokens and locally minted, time-limited tokens."
    ))

    /// The provider block as written.
    struct Model: ObjectModel {
        enum Key: String, ModelKey {
            case apiToken = "api_token", baseURL = "base_url", privateStateKey = "private_state_key"
            case privateStatePreviousKeys = "private_state_previous_keys"
        }

        var apiToken: Field<String>
        var baseURL: Field<String>
        var privateStateKey: Field<String>
        /// As Terraform sent it: a known list may hold unknown values.
        var privateStatePreviousKeys: CtyValue

        init(reading object: ModelReader<Key>) {
            apiToken = object[.apiToken]
            baseURL = object[.baseURL]
            privateStateKey = object[.privateStateKey]
            privateStatePreviousKeys = object[raw: .privateStatePreviousKeys]
        }

        func write(to object: inout ModelWriter<Key>) {
            object.set(.apiToken, apiToken)
            object.set(.baseURL, baseURL)
            object.set(.privateStateKey, privateStateKey)
            object.set(raw: .privateStatePreviousKeys, privateStatePreviousKeys)
        }
    }

    /// Checks what can be checked before anything is known: shapes and
    /// lengths of values that are already set.
    static func validate(_ config: CtyValue, environment: [String: String]) -> [Diagnostic] {
        validate(Model(config))
    }

    static func validate(_ config: Model) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        if let url = config.baseURL.value {
            diagnostics += validateBaseURL(url, at: "base_url")
        }
        if let token = config.apiToken.value, DisplayText.hasControlCharacters(token) {
            diagnostics.append(ProviderDiagnostics.apiTokenHasControlCharacters(source: "api_token", at: "api_token"))
        }
        if let key = config.privateStateKey.value {
            diagnostics += validateKey(key, at: "private_state_key", source: "private_state_key")
        }
        if let keys = config.privateStatePreviousKeys.elements {
            for (index, element) in keys.enumerated() {
                guard let key = element.stringValue else { continue }
                diagnostics += validateKey(
                    key, at: AttributePath("private_state_previous_keys").appending(index: Int64(index)),
                    source: "private_state_previous_keys[\(index)]"
                )
            }
        }
        return diagnostics
    }

    /// Resolves the configuration with its environment fallbacks. Unknown
    /// values stay unknown (they are resolved in a later ConfigureProvider).
    static func resolve(
        _ configValue: CtyValue, environment: [String: String], terraformVersion: String
    ) -> (ProviderConfiguration?, [Diagnostic]) {
        let config = Model(configValue)
        func setting(_ value: Field<String>, env: String) -> Setting<String> {
            if !value.isKnown { return .unknown }
            if let text = value.value { return .value(text) }
            if let text = environment[env], !text.isEmpty { return .value(text) }
            return .unset
        }
        var diagnostics = validate(config)

        let previousKeys: Setting<[String]>
        let previousValue = config.privateStatePreviousKeys
        if !previousValue.isWhollyKnown {
            previousKeys = .unknown
        } else if let elements = previousValue.elements {
            previousKeys = .value(elements.compactMap(\.stringValue))
        } else if let text = environment["TURSO_PRIVATE_STATE_PREVIOUS_KEYS"], !text.isEmpty {
            let keys = text.split(separator: ",").map { String($0).trimmingSpaces() }.filter { !$0.isEmpty }
            for (index, key) in keys.enumerated() {
                diagnostics += validateKey(key, at: nil, source: "TURSO_PRIVATE_STATE_PREVIOUS_KEYS (entry \(index + 1))")
            }
            previousKeys = .value(keys)
        } else {
            previousKeys = .unset
        }

        var baseURL = setting(config.baseURL, env: "TURSO_API_BASE_URL")
        if case .unset = baseURL { baseURL = .value(defaultBaseURL) }
        if config.baseURL.isNull, let url = baseURL.value {
            diagnostics += validateBaseURL(url, at: nil, source: "TURSO_API_BASE_URL")
        }
        let apiToken = setting(config.apiToken, env: "TURSO_API_TOKEN")
        if config.apiToken.isNull, let text = apiToken.value, DisplayText.hasControlCharacters(text) {
            diagnostics.append(ProviderDiagnostics.apiTokenHasControlCharacters(source: "TURSO_API_TOKEN", at: nil))
        }
        let key = setting(config.privateStateKey, env: "TURSO_PRIVATE_STATE_KEY")
        if config.privateStateKey.isNull, let text = key.value {
            diagnostics += validateKey(text, at: nil, source: "TURSO_PRIVATE_STATE_KEY")
        }
        guard !diagnostics.hasErrors else { return (nil, diagnostics) }
        return (
            ProviderConfiguration(
                apiToken: apiToken,
                baseURL: baseURL,
                privateStateKey: key,
                privateStatePreviousKeys: previousKeys,
                terraformVersion: terraformVersion
            ),
            diagnostics
        )
    }

    private static func validateKey(_ key: String, at path: AttributePath?, source: String) -> [Diagnostic] {
        guard key.count < minimumPrivateStateKeyLength else { return [] }
        return [ProviderDiagnostics.privateStateKeyTooShort(source: source, length: key.count, at: path)]
    }

    private static func validateBaseURL(_ url: String, at path: AttributePath?, source: String = "base_url") -> [Diagnostic] {
        let lowered = url.lowercased()
        guard lowered.hasPrefix("https://") || lowered.hasPrefix("http://"), url.count > "http://".count,
              !url.contains(where: \.isWhitespace), !DisplayText.hasControlCharacters(url) else {
            return [ProviderDiagnostics.invalidBaseURL(url, source: source, at: path)]
        }
        return []
    }
}

extension String {
    func trimmingSpaces() -> String {
        var text = Substring(self)
        while let first = text.first, first == " " || first == "\t" { text = text.dropFirst() }
        while let last = text.last, last == " " || last == "\t" { text = text.dropLast() }
        return String(text)
    }
}
