import Testing
import TerraformPlugin
@testable import TursoProvider

/// Provider settings that would leak or smuggle something are refused at
/// configuration, with a clear error.
@Suite("Provider configuration: header values and URLs")
struct ProviderConfigurationInputTests {
    func config(apiToken: String? = nil, baseURL: String? = nil) -> CtyValue {
        .object(type: ProviderConfiguration.schema.impliedType, [
            "api_token": apiToken.map(CtyValue.string) ?? .null(.string),
            "base_url": baseURL.map(CtyValue.string) ?? .null(.string),
            "private_state_key": .null(.string),
            "private_state_previous_keys": .null(.list(.string)),
        ])
    }

    @Test("TURSO_API_TOKEN with a line break is refused at configuration, naming the variable and never the value",
          arguments: ["secret-token\r\nX-Injected: yes", "secret-token\n", "secret\u{0}token"])
    func tokenFromEnvironment(_ token: String) {
        let (resolved, diagnostics) = ProviderConfiguration.resolve(
            config(), environment: ["TURSO_API_TOKEN": token], terraformVersion: "1.0.3"
        )
        #expect(resolved == nil)
        #expect(diagnostics.map(\.summary) == ["Invalid Turso API token"])
        #expect(diagnostics.first?.detail.contains("TURSO_API_TOKEN") == true)
        #expect(diagnostics.first?.detail.contains("secret") == false)
    }

    @Test("api_token with a line break is refused at validate, on the attribute")
    func tokenAttribute() {
        let diagnostics = ProviderConfiguration.validate(config(apiToken: "abc\r\ndef"), environment: [:])
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.attribute == "api_token")
        #expect(diagnostics.first?.severity == .error)
    }

    @Test("A well-formed token passes")
    func goodToken() {
        let (resolved, diagnostics) = ProviderConfiguration.resolve(
            config(), environment: ["TURSO_API_TOKEN": "eyJhbGciOi.abc-def_ghi"], terraformVersion: "1.0.3"
        )
        #expect(resolved != nil)
        #expect(diagnostics.isEmpty)
    }

    @Test("An invalid base URL is shown without its credentials")
    func invalidURLRedacted() {
        let diagnostics = ProviderConfiguration.validate(config(baseURL: "ftp://user:pa55word@example.com"), environment: [:])
        #expect(diagnostics.map(\.summary) == ["Invalid Turso API base URL"])
        #expect(diagnostics.first?.detail.contains("pa55word") == false)
        #expect(diagnostics.first?.detail.contains("ftp://<redacted>@example.com") == true)
        let controls = ProviderConfiguration.validate(config(baseURL: "https://api.turso.tech\r\nHost: evil"), environment: [:])
        #expect(controls.map(\.summary) == ["Invalid Turso API base URL"])
        #expect(controls.first?.detail.contains("\r") == false)
    }

    @Test("Display text escapes controls and bidirectional overrides, and is bounded")
    func displayText() {
        #expect(DisplayText.escaped("a\u{1B}[31mb\u{7F}c\u{85}d\u{202E}e") == #"a\u{1B}[31mb\u{7F}c\u{85}d\u{202E}e"#)
        #expect(DisplayText.escaped("café ✓") == "café ✓")
        #expect(DisplayText.escaped(String(repeating: "x", count: 10), limit: 4) == "xxxx…")
    }

    @Test("turso_api_token_validation refuses a token with a line break at validate and at read; nothing is sent")
    func validationToken() async throws {
        let harness = try await ConfiguredProvider()
        let config = CtyValue.object(type: APITokenValidationDataSource.schema.impliedType, [
            "token": .string("abc\r\nX-Injected: 1"), "valid": .null(.bool), "expires_at": .null(.string),
        ])
        let validated = await harness.validation.validateConfig(ValidateDataSourceConfigRequest(typeName: "turso_api_token_validation", config: config))
        #expect(validated.map(\.summary) == ["Invalid Turso API token"])
        #expect(validated.first?.attribute == "token")
        let read = await harness.validation.read(ReadDataSourceRequest(typeName: "turso_api_token_validation", config: config))
        #expect(read.diagnostics == validated)
        #expect(harness.emulator.requestLog().isEmpty)
    }
}
