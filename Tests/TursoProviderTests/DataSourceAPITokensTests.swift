import Testing
import TerraformPlugin
import TursoEmulator
@testable import TursoProvider

@Suite("turso_api_tokens data source against the emulator")
struct DataSourceAPITokensTests {
    func read(_ harness: ConfiguredProvider, organization: String? = nil) async -> ReadDataSourceResponse {
        let config = CtyValue.object(type: APITokensDataSource.schema.impliedType, [
            "organization": organization.map(CtyValue.string) ?? .null(.string),
            "tokens": .null(.list(APITokensDataSource.tokenType)),
        ])
        return await harness.tokens.read(ReadDataSourceRequest(typeName: "turso_api_tokens", config: config))
    }

    @Test("Lists the user's tokens with organization, group, expanded scopes and Turso's creation day")
    func userTokens() async throws {
        let harness = try await ConfiguredProvider()
        try harness.emulator.mint("plain")
        try harness.emulator.mint("grouped", body: #"{"organization":"my-org","group":"default","scopes":["read-only"]}"#)
        let response = await read(harness)
        #expect(response.diagnostics.isEmpty)
        let tokens = try #require(response.state[attribute: "tokens"].elements)
        #expect(tokens.map { $0[attribute: "name"].stringValue } == ["plain", "grouped"])
        #expect(tokens[0][attribute: "organization"].isNull && tokens[0][attribute: "scopes"].isNull)
        #expect(tokens[1][attribute: "organization"] == .string("my-org"))
        #expect(tokens[1][attribute: "group"] == .string("default"))
        #expect(tokens[1][attribute: "scopes"] == .list(of: .string, [.string("read")]))
        let listed = try harness.emulator.listed()
        #expect(tokens.map { $0[attribute: "id"].stringValue } == listed.map { $0["id"] as? String })
        #expect(tokens[0][attribute: "created_at"].stringValue == listed[0]["created_at"] as? String)
        #expect(harness.emulator.loggedCalls.last == "GET /v1/auth/api-tokens 200")
    }

    @Test("With organization, lists that organization's tokens through its endpoint")
    func organizationTokens() async throws {
        let harness = try await ConfiguredProvider()
        try harness.emulator.mint("plain")
        try harness.emulator.mint("org", body: #"{"organization":"my-org"}"#)
        harness.emulator.clearRequestLog()
        let response = await read(harness, organization: "my-org")
        #expect(response.diagnostics.isEmpty)
        #expect(response.state[attribute: "tokens"].elements?.map { $0[attribute: "name"].stringValue } == ["org"])
        #expect(response.state[attribute: "organization"] == .string("my-org"))
        #expect(harness.emulator.loggedCalls == ["GET /v1/organizations/my-org/api-tokens 200"])
    }

    @Test("An unknown organization is an error on organization; an empty one fails validation")
    func badOrganization() async throws {
        let harness = try await ConfiguredProvider()
        let response = await read(harness, organization: "nowhere")
        #expect(response.diagnostics.first?.summary == "Not found in Turso")
        #expect(response.diagnostics.first?.attribute == "organization")
        let config = CtyValue.object(type: APITokensDataSource.schema.impliedType, ["organization": .string("")])
        let validated = await harness.tokens.validateConfig(ValidateDataSourceConfigRequest(typeName: "turso_api_tokens", config: config))
        #expect(validated.map(\.attribute) == ["organization"])
    }

    @Test("Without an API token it says which setting to fix")
    func missingToken() async throws {
        let harness = try await ConfiguredProvider(apiToken: .null(.string))
        let response = await read(harness)
        #expect(response.diagnostics.first?.summary == "No Turso API token configured")
        #expect(harness.emulator.requestLog().isEmpty)
    }

    @Test("An organization of . or .. or with a control character is refused at validate and at read; nothing is sent",
          arguments: [".", "..", "my\u{1B}org", "a/b"])
    func pathSegmentOrganization(_ organization: String) async throws {
        let harness = try await ConfiguredProvider()
        let config = CtyValue.object(type: APITokensDataSource.schema.impliedType, [
            "organization": .string(organization), "tokens": .null(.list(APITokensDataSource.tokenType)),
        ])
        let validated = await harness.tokens.validateConfig(ValidateDataSourceConfigRequest(typeName: "turso_api_tokens", config: config))
        #expect(validated.map(\.summary) == ["Invalid organization"])
        #expect(validated.first?.attribute == "organization")
        #expect(validated.first?.detail.contains("\u{1B}") == false)
        let read = await harness.tokens.read(ReadDataSourceRequest(typeName: "turso_api_tokens", config: config))
        #expect(read.diagnostics == validated)
        #expect(harness.emulator.requestLog().isEmpty)
    }
}
