import Testing
import TerraformPlugin
import TursoEmulator
@testable import TursoProvider

/// `ephemeral "turso_api_token"` and `ephemeral "turso_timed_token"`
/// against the in-process emulator over real HTTP.
@Suite("Ephemeral tokens")
struct EphemeralTokenTests {
    static let apiType = EphemeralAPITokenResource.schema.impliedType
    static let timedType = EphemeralTimedTokenResource.schema.impliedType

    static func apiConfig(prefix: String? = nil, organization: String? = nil, group: String? = nil, scopes: [String]? = nil) -> CtyValue {
        .object(type: apiType, [
            "name_prefix": prefix.map(CtyValue.string) ?? .null(.string),
            "organization": organization.map(CtyValue.string) ?? .null(.string),
            "group": group.map(CtyValue.string) ?? .null(.string),
            "scopes": scopes.map { .set(of: .string, $0.map(CtyValue.string)) } ?? .null(.set(.string)),
            "name": .null(.string), "id": .null(.string), "token": .null(.string),
        ])
    }

    static func ephemeral<T>(_ harness: ConfiguredProvider, _ type: T.Type) -> T {
        harness.provider.ephemeralResources.compactMap { $0 as? T }.first!
    }

    static func listed(_ harness: ConfiguredProvider) async throws -> [String] {
        let client = TursoClient(baseURL: harness.emulator.baseURL, apiToken: emulatorAdminToken, userAgent: "test")
        return try await client.listTokens().map(\.name)
    }

    static func revokes(_ harness: ConfiguredProvider) -> [String] {
        harness.emulator.requestLog().filter { $0.method == "DELETE" }.map(\.path)
    }

    @Test("Open creates a token under the prefix and a random suffix; Close revokes it; a second Close is done")
    func openAndClose() async throws {
        let harness = try await ConfiguredProvider()
        let resource = Self.ephemeral(harness, EphemeralAPITokenResource.self)
        let opened = await resource.open(OpenEphemeralResourceRequest(typeName: "turso_api_token", config: Self.apiConfig(prefix: "ci-")))
        #expect(opened.diagnostics.isEmpty, "\(opened.diagnostics)")
        let name = try #require(opened.result[attribute: "name"].stringValue)
        #expect(name.hasPrefix("ci-") && name.count == 3 + 16, "\(name)")
        #expect(opened.result[attribute: "name_prefix"] == .string("ci-"))
        #expect(opened.result[attribute: "id"].stringValue?.isEmpty == false)
        let token = try #require(opened.result[attribute: "token"].stringValue)
        #expect(!token.isEmpty)
        // The private bytes name the token only sealed: not its value, not its name in the clear.
        #expect(!opened.private.isEmpty)
        #expect(String(decoding: opened.private, as: UTF8.self).contains(name) == false)
        #expect(try await Self.listed(harness).contains(name))

        let closed = await resource.close(CloseEphemeralResourceRequest(typeName: "turso_api_token", private: opened.private))
        #expect(closed.isEmpty, "\(closed)")
        #expect(try await Self.listed(harness).contains(name) == false)
        // Already revoked (Turso answers 404): nothing left to do.
        let again = await resource.close(CloseEphemeralResourceRequest(typeName: "turso_api_token", private: opened.private))
        #expect(again.isEmpty, "\(again)")
    }

    @Test("two Opens with the default prefix make two distinct tokens")
    func uniqueNames() async throws {
        let harness = try await ConfiguredProvider()
        let resource = Self.ephemeral(harness, EphemeralAPITokenResource.self)
        let first = await resource.open(OpenEphemeralResourceRequest(typeName: "turso_api_token", config: Self.apiConfig()))
        let second = await resource.open(OpenEphemeralResourceRequest(typeName: "turso_api_token", config: Self.apiConfig()))
        let names = [first, second].compactMap { $0.result[attribute: "name"].stringValue }
        #expect(names.count == 2 && names[0] != names[1] && names.allSatisfy { $0.hasPrefix("tf-ephemeral-") }, "\(names)")
        #expect(first.result[attribute: "name_prefix"].isNull)
    }

    @Test("Close with private bytes that are not Open's sealed record revokes nothing", arguments: [
        "garbage", "empty", "plain", "tampered", "other key",
    ])
    func closeRefusesUntrustedPrivate(_ kind: String) async throws {
        let harness = try await ConfiguredProvider()
        let resource = Self.ephemeral(harness, EphemeralAPITokenResource.self)
        let opened = await resource.open(OpenEphemeralResourceRequest(typeName: "turso_api_token", config: Self.apiConfig()))
        let name = try #require(opened.result[attribute: "name"].stringValue)
        var blob: [UInt8]
        switch kind {
        case "garbage": blob = Array("\u{1}\u{2}not a sealed record".utf8)
        case "empty": blob = []
        case "plain": blob = PlainPrivateState.encode(PrivateStateFields(["name": name, "id": "x"]))
        case "tampered":
            blob = opened.private
            blob[blob.count - 1] ^= 0x01
        default:
            let other = try await ConfiguredProvider(emulator: harness.emulator, privateStateKey: "another-private-state-key-0123456789abcdef")
            let otherOpened = await Self.ephemeral(other, EphemeralAPITokenResource.self)
                .open(OpenEphemeralResourceRequest(typeName: "turso_api_token", config: Self.apiConfig()))
            blob = otherOpened.private
        }
        let before = Self.revokes(harness).count
        let closed = await resource.close(CloseEphemeralResourceRequest(typeName: "turso_api_token", private: blob))
        #expect(closed.map(\.summary) == ["Ephemeral API token not revoked"], "\(closed)")
        #expect(closed.allSatisfy { $0.severity == .error })
        #expect(Self.revokes(harness).count == before)
        #expect(try await Self.listed(harness).contains(name))
    }

    @Test("an invalid configuration is refused at validate and at Open, before anything is created")
    func invalidConfig() async throws {
        let harness = try await ConfiguredProvider()
        let resource = Self.ephemeral(harness, EphemeralAPITokenResource.self)
        let bad = [
            Self.apiConfig(group: "g", scopes: ["read"]),
            Self.apiConfig(organization: "o", scopes: ["read"]),
            Self.apiConfig(organization: "o", group: "g", scopes: ["no-such-scope"]),
            Self.apiConfig(prefix: "a/b"),
        ]
        for config in bad {
            let validated = await resource.validateConfig(ValidateEphemeralResourceConfigRequest(typeName: "turso_api_token", config: config))
            #expect(validated.hasErrors, "\(config)")
            let opened = await resource.open(OpenEphemeralResourceRequest(typeName: "turso_api_token", config: config))
            #expect(opened.diagnostics.hasErrors)
            #expect(opened.result.isNull)
        }
        #expect(harness.emulator.requestLog().isEmpty)
    }

    @Test("Open without an API token is an error and creates nothing")
    func openWithoutToken() async throws {
        let harness = try await ConfiguredProvider(apiToken: .null(.string))
        let resource = Self.ephemeral(harness, EphemeralAPITokenResource.self)
        let opened = await resource.open(OpenEphemeralResourceRequest(typeName: "turso_api_token", config: Self.apiConfig()))
        #expect(opened.diagnostics.hasErrors)
        #expect(harness.emulator.requestLog().isEmpty)
    }

    @Test("an ephemeral token authenticates as another provider's api_token")
    func tokenWorksAsProviderToken() async throws {
        let harness = try await ConfiguredProvider()
        let opened = await Self.ephemeral(harness, EphemeralAPITokenResource.self)
            .open(OpenEphemeralResourceRequest(typeName: "turso_api_token", config: Self.apiConfig()))
        let token = try #require(opened.result[attribute: "token"].stringValue)
        let second = try await ConfiguredProvider(emulator: harness.emulator, apiToken: .string(token))
        #expect(second.configureDiagnostics.isEmpty, "\(second.configureDiagnostics)")
        // The second provider's own client, authenticated with the ephemeral token.
        let client = try second.provider.context.api().get()
        #expect(try await client.listTokens().contains { $0.name == opened.result[attribute: "name"].stringValue })
        let before = harness.emulator.requestLog().count
        _ = await Self.ephemeral(harness, EphemeralAPITokenResource.self)
            .close(CloseEphemeralResourceRequest(typeName: "turso_api_token", private: opened.private))
        #expect(harness.emulator.requestLog().count > before)
        // Revoked: the token no longer authenticates.
        await #expect(throws: TursoAPIError.self) { try await TursoClient(baseURL: harness.emulator.baseURL, apiToken: token, userAgent: "t").listTokens() }
    }

    @Test("an ephemeral timed token is minted locally with its expiry; an invalid ttl is refused")
    func timedToken() async throws {
        let harness = try await ConfiguredProvider()
        let resource = Self.ephemeral(harness, EphemeralTimedTokenResource.self)
        let config = CtyValue.object(type: Self.timedType, [
            "name": .string("t"), "ttl": .string("90s"), "id": .null(.string), "token": .null(.string), "expires_at": .null(.string),
        ])
        let opened = await resource.open(OpenEphemeralResourceRequest(typeName: "turso_timed_token", config: config))
        #expect(opened.diagnostics.isEmpty)
        #expect(opened.result[attribute: "id"].stringValue?.hasPrefix("timed-token-id-") == true)
        #expect(opened.result[attribute: "token"].stringValue?.hasPrefix("token-") == true)
        #expect(opened.result[attribute: "expires_at"] == .string(RFC3339.format(ConfiguredProvider.start.adding(.seconds(90)))))
        #expect(opened.private.isEmpty)
        let defaulted = await resource.open(OpenEphemeralResourceRequest(typeName: "turso_timed_token", config: config.setting("ttl", to: .null(.string))))
        #expect(defaulted.result[attribute: "expires_at"] == .string(RFC3339.format(ConfiguredProvider.start.adding(.seconds(3600)))))
        #expect(defaulted.result[attribute: "ttl"].isNull)
        let bad = await resource.open(OpenEphemeralResourceRequest(typeName: "turso_timed_token", config: config.setting("ttl", to: .string("0s"))))
        #expect(bad.diagnostics.hasErrors)
        let validated = await resource.validateConfig(ValidateEphemeralResourceConfigRequest(
            typeName: "turso_timed_token", config: config.setting("ttl", to: .string("soon"))
        ))
        #expect(validated.hasErrors)
        #expect(harness.emulator.requestLog().isEmpty)
    }

    @Test("a create whose answer is lost fails the Open and revokes the token, leaving nothing in Turso")
    func lostCreateRevoked() async throws {
        let harness = try await ConfiguredProvider()
        try harness.emulator.addFault(Fault(method: "POST", count: 1, process: true, drop: true))
        let opened = await Self.ephemeral(harness, EphemeralAPITokenResource.self)
            .open(OpenEphemeralResourceRequest(typeName: "turso_api_token", config: Self.apiConfig()))
        #expect(opened.diagnostics.hasErrors)
        #expect(opened.diagnostics.map(\.summary).contains("Ephemeral API token revoked again"), "\(opened.diagnostics)")
        #expect(opened.result.isNull && opened.private.isEmpty)
        #expect(Self.revokes(harness).count == 1)
        #expect(try await Self.listed(harness).isEmpty)
    }

    @Test("a Close whose revoke fails is an error naming the token")
    func closeRevokeFails() async throws {
        let harness = try await ConfiguredProvider()
        let resource = Self.ephemeral(harness, EphemeralAPITokenResource.self)
        let opened = await resource.open(OpenEphemeralResourceRequest(typeName: "turso_api_token", config: Self.apiConfig()))
        let name = try #require(opened.result[attribute: "name"].stringValue)
        try harness.emulator.addFault(Fault(method: "DELETE", status: 500, error: "down"))
        let closed = await resource.close(CloseEphemeralResourceRequest(typeName: "turso_api_token", private: opened.private))
        #expect(closed.map(\.summary) == ["Ephemeral API token not revoked"], "\(closed)")
        #expect(closed.first?.detail.contains(name) == true)
        #expect(try await Self.listed(harness).contains(name))
    }

    @Test("neither ephemeral type asks for renewal; a Renew anyway changes nothing and sends nothing")
    func renewDoesNothing() async throws {
        let harness = try await ConfiguredProvider()
        for resource in harness.provider.ephemeralResources {
            let renewed = await resource.renew(RenewEphemeralResourceRequest(typeName: resource.typeName, private: [1, 2, 3]))
            #expect(renewed.private == [1, 2, 3] && renewed.renewAt == nil && renewed.diagnostics.isEmpty)
        }
        let opened = await Self.ephemeral(harness, EphemeralAPITokenResource.self)
            .open(OpenEphemeralResourceRequest(typeName: "turso_api_token", config: Self.apiConfig()))
        #expect(opened.renewAt == nil)
        #expect(harness.emulator.requestLog().filter { $0.method != "POST" }.isEmpty)
    }
}
