import TerraformPlugin

/// The provider's user-facing problems, worded as advice: what happened,
/// what to do. Resource-specific wording lives with each resource's type.
enum ProviderDiagnostics {
    static func privateStateKeyTooShort(source: String, length: Int, at path: AttributePath?) -> Diagnostic {
        .error(
            "Private state key too short",
            "The key from \(source) has \(length) characters; at least \(ProviderConfiguration.minimumPrivateStateKeyLength) are required so that sealed private state cannot be guessed. Generate one with, for example, `openssl rand -base64 32`.",
            at: path
        )
    }

    static func invalidBaseURL(_ url: String, source: String, at path: AttributePath?) -> Diagnostic {
        .error(
            "Invalid Turso API base URL",
            "The value of \(source) must be an http:// or https:// URL such as https://api.turso.tech; got \"\(url)\".",
            at: path
        )
    }

    static func invalidDuration(attribute: String, text: String, reason: String) -> Diagnostic {
        .error(
            "Invalid duration in \(attribute)",
            "\"\(text)\" is not a duration: \(reason). Write a number with a unit, such as 90s, 30m or 1h30m.",
            at: AttributePath(attribute)
        )
    }

    static func durationNotPositive(attribute: String, text: String) -> Diagnostic {
        .error(
            "\(attribute) must be positive",
            "A token's lifetime must be at least one second; got \"\(text)\".",
            at: AttributePath(attribute)
        )
    }

    static func durationNegative(attribute: String, text: String) -> Diagnostic {
        .error("\(attribute) must not be negative", "Got \"\(text)\". Use 0s to renew only once the token has expired.", at: AttributePath(attribute))
    }

    static func renewBeforeNotShorterThanTTL(renewBefore: String, ttl: String) -> Diagnostic {
        .error(
            "renew_before must be shorter than ttl",
            "With renew_before = \"\(renewBefore)\" and ttl = \"\(ttl)\", every token would already be due for renewal when it is created, and each plan would replace it again. Choose a renew_before shorter than the ttl.",
            at: "renew_before"
        )
    }

    static func privateStateKeyFileCreated(path: String) -> Diagnostic {
        .warning(
            "Created a private state key for this user",
            "No private_state_key is configured, so a random key was created in \(path) (readable by you only). It seals the copies of secrets kept in Terraform's private state. In CI and in teams sharing one state, set TURSO_PRIVATE_STATE_KEY (or the provider's private_state_key) to one shared secret of at least \(ProviderConfiguration.minimumPrivateStateKeyLength) characters instead: private state sealed with this file's key cannot be opened elsewhere (plans keep working, with a warning)."
        )
    }

    static func privateStateKeyFileFailed(_ message: String) -> Diagnostic {
        .error(
            "No private state key",
            "No private_state_key is configured and no per-user key file could be used: \(message) Set TURSO_PRIVATE_STATE_KEY (or the provider's private_state_key) to a secret of at least \(ProviderConfiguration.minimumPrivateStateKeyLength) characters."
        )
    }

    /// Private state that cannot be opened: says which key sealed it and what to configure.
    static func privateStateUnreadable(resource: String, problem: PrivateStateProblem) -> Diagnostic {
        var advice = ""
        switch problem.kind {
        case .unknownKey:
            advice = " To open it, set private_state_key (or TURSO_PRIVATE_STATE_KEY) to the key it was sealed with, or list that key in private_state_previous_keys (or TURSO_PRIVATE_STATE_PREVIOUS_KEYS)."
        case .authenticationFailed, .malformed:
            advice = " If the state file was edited by hand, restore it from a backup."
        case .unsupportedVersion:
            advice = " Use the provider version that wrote it."
        }
        return .warning(
            "Private state of \(resource) could not be opened",
            "\(problem.message)\(advice) The resource's state is kept as it is and its private state is left unchanged, so a later run with the right key can still open it."
        )
    }

    /// The state's copy of a secret differed from the sealed one, which was restored.
    static func stateRepaired(resource: String, attributes: [String]) -> Diagnostic {
        .warning(
            "State of \(resource) was changed outside Terraform",
            "The state's \(attributes.joined(separator: " and ")) did not match the copy sealed in private state, probably because the state file was edited or damaged. The sealed value has been restored."
        )
    }

    static let privateStateKeyUnavailableAtApply = Diagnostic.error(
        "Private state key not available",
        "The key that seals private state is not known at apply time (private_state_key depends on a value that is still unknown, or no key could be set up). Set private_state_key or TURSO_PRIVATE_STATE_KEY to a known secret."
    )

    static let apiTokenMissing = Diagnostic.error(
        "No Turso API token configured",
        "This needs the Turso Platform API, and the provider has no API token. Set the TURSO_API_TOKEN environment variable or the provider's api_token argument to a Turso Platform API token (create one with `turso auth api-tokens mint <name>`)."
    )

    static let apiSettingsUnknown = Diagnostic.error(
        "Turso API settings not known yet",
        "This needs the Turso Platform API now, but the provider's api_token or base_url depends on a value Terraform only knows after apply. Set them from values known before apply (for example the TURSO_API_TOKEN and TURSO_API_BASE_URL environment variables), or apply the resources they depend on first (`terraform apply -target=...`)."
    )

    static func apiSettingsUnknownAtRead(resource: String) -> Diagnostic {
        .warning(
            "\(resource) was not refreshed",
            "The provider's api_token or base_url depends on a value Terraform only knows after apply, so Turso could not be asked about this token during the plan. Its last known state is used; it is checked again on the next run with known settings."
        )
    }

    static let providerNotConfigured = Diagnostic.error(
        "Provider not configured",
        "A Turso resource or data source was used before Terraform configured the provider. This is a bug in the provider or in Terraform; please report it."
    )
}
