import Testing
import TerraformPlugin
import TursoEmulator
@testable import TursoProvider

@Suite("turso_api_token_validation data source against the emulator")
struct DataSourceValidationTests {
    func validate(_ harness: ConfiguredProvider, token: String?) async -> ReadDataSourceResponse {
        let config = CtyValue.object(type: APITokenValidationDataSource.schema.impliedType, [
            "token": token.map(CtyValue.string) ?? .null(.string),
        ])
        return await harness.validation.read(ReadDataSourceRequest(typeName: "turso_api_token_validation", config: config))
    }

    @Test("Without token it checks the provider's own, which never expires")
    func ownToken() async throws {
        let harness = try await ConfiguredProvider()
        let response = await validate(harness, token: nil)
        #expect(response.diagnostics.isEmpty)
        #expect(response.state[attribute: "valid"] == .bool(true))
        #expect(response.state[attribute: "expires_at"].isNull)
        #expect(response.state[attribute: "token"].isNull)
    }

    @Test("A minted token with an expiry reports it as RFC 3339")
    func expiry() async throws {
        let harness = try await ConfiguredProvider()
        let token = try #require(try harness.emulator.mint("ci")["token"] as? String)
        harness.emulator.setExpiry(name: "ci", expiresAt: 4_102_444_800)
        let response = await validate(harness, token: token)
        #expect(response.state[attribute: "valid"] == .bool(true))
        #expect(response.state[attribute: "expires_at"] == .string("2100-01-01T00:00:00Z"))
        #expect(response.state[attribute: "token"] == .string(token))
    }

    @Test("A revoked or made-up token is not valid, and that is not an error")
    func invalid() async throws {
        let harness = try await ConfiguredProvider()
        let token = try #require(try harness.emulator.mint("ci")["token"] as? String)
        harness.emulator.revokeOutOfBand(name: "ci")
        for candidate in [token, "made-up"] {
            let response = await validate(harness, token: candidate)
            #expect(response.diagnostics.isEmpty)
            #expect(response.state[attribute: "valid"] == .bool(false))
            #expect(response.state[attribute: "expires_at"].isNull)
        }
    }

    @Test("A given token needs no API token of the provider's own; without either it is an error")
    func providerWithoutToken() async throws {
        let harness = try await ConfiguredProvider(apiToken: .null(.string))
        let token = try #require(try harness.emulator.mint("ci")["token"] as? String)
        #expect(await validate(harness, token: token).state[attribute: "valid"] == .bool(true))
        let missing = await validate(harness, token: nil)
        #expect(missing.diagnostics.first?.summary == "No Turso API token configured")
    }

    @Test("A server failure is an error, not a verdict")
    func serverFailure() async throws {
        let harness = try await ConfiguredProvider()
        try harness.emulator.addFault(Fault(status: 500))
        let response = await validate(harness, token: nil)
        #expect(response.diagnostics.first?.severity == .error)
    }
}
