import Testing
import TerraformPlugin
import TursoEmulator
@testable import TursoProvider

/// `ephemeral "turso_unsealed_token"`: opens a `sealed_token` with the
/// configured provider's keys. The provider is configured against the
/// in-process emulator only because the harness needs one; unsealing must
/// send nothing to it.
@Suite("Ephemeral unsealed token")
struct UnsealedTokenTests {
    static let type = EphemeralUnsealedTokenResource.schema.impliedType
    static let otherKey = "unsealed-token-other-key-0123456789abcdefgh"

    static func config(_ sealed: CtyValue) -> CtyValue {
        .object(type: type, ["sealed_token": sealed, "token": .null(.string)])
    }

    static func resource(_ harness: ConfiguredProvider) -> EphemeralUnsealedTokenResource {
        harness.provider.ephemeralResources.compactMap { $0 as? EphemeralUnsealedTokenResource }.first!
    }

    static func vault(_ key: String) -> SodiumVault {
        SodiumVault(current: SealingKey(secret: key, domain: PrivateStateKeys.sealingDomain))
    }

    static func keyID(_ key: String) -> String {
        SealingKey(secret: key, domain: PrivateStateKeys.sealingDomain).idHex
    }

    static func seal(_ token: String, key: String = ConfiguredProvider.privateStateKey, type: String = "turso_api_token", id: String = "tok-1") throws -> String {
        try SealedToken.seal(token, resourceType: type, id: id, vault: vault(key))
    }

    static func open(_ harness: ConfiguredProvider, _ sealed: CtyValue) async -> OpenEphemeralResourceResponse {
        await resource(harness).open(OpenEphemeralResourceRequest(typeName: "turso_unsealed_token", config: config(sealed)))
    }

    /// A failed Open: one error on sealed_token, a null result, and the
    /// token in neither the summary nor the detail.
    static func expectFailed(
        _ opened: OpenEphemeralResourceResponse, summary: String, detailContains: [String], notContaining secret: String? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(opened.diagnostics.count == 1 && opened.diagnostics.hasErrors, "\(opened.diagnostics)", sourceLocation: sourceLocation)
        let diagnostic = opened.diagnostics.first
        #expect(diagnostic?.summary == summary, "\(opened.diagnostics)", sourceLocation: sourceLocation)
        for part in detailContains {
            #expect(diagnostic?.detail.contains(part) == true, "\(diagnostic?.detail ?? "") lacks \(part)", sourceLocation: sourceLocation)
        }
        if let secret {
            #expect(!(diagnostic.map { $0.summary + $0.detail } ?? "").contains(secret), sourceLocation: sourceLocation)
        }
        #expect(opened.result.isNull, sourceLocation: sourceLocation)
        #expect(opened.private.isEmpty && opened.renewAt == nil, sourceLocation: sourceLocation)
    }

    @Test("The provider lists it, with token sensitive and sealed_token required")
    func listed() async throws {
        let harness = try await ConfiguredProvider()
        #expect(harness.provider.ephemeralResources.map(\.typeName).contains("turso_unsealed_token"))
        let attributes = EphemeralUnsealedTokenResource.schema.block.attributes
        #expect(attributes.first { $0.name == "token" }?.sensitive == true)
        #expect(attributes.first { $0.name == "sealed_token" }?.required == true)
    }

    @Test("Opens a sealed API or timed token to its value, sending nothing to Turso; surrounding whitespace is ignored")
    func valid() async throws {
        let harness = try await ConfiguredProvider()
        for (type, id, token) in [("turso_api_token", "tok-1", "api-secret-1"), ("turso_timed_token", "timed-token-id-x", "token-abc")] {
            let sealed = try Self.seal(token, type: type, id: id)
            let opened = await Self.open(harness, .string(sealed))
            #expect(opened.diagnostics.isEmpty, "\(opened.diagnostics)")
            #expect(opened.result[attribute: "token"] == .string(token))
            // The configuration comes back as written.
            #expect(opened.result[attribute: "sealed_token"] == .string(sealed))
            #expect(opened.private.isEmpty && opened.renewAt == nil)

            let padded = await Self.open(harness, .string("\n  " + sealed + "\n"))
            #expect(padded.diagnostics.isEmpty && padded.result[attribute: "token"] == .string(token), "\(padded.diagnostics)")
        }
        #expect(harness.emulator.requestLog().isEmpty)
    }

    @Test("An altered envelope, id or type is an error naming the key id, never the value")
    func tampered() async throws {
        let harness = try await ConfiguredProvider()
        let sealed = try Self.seal("api-secret-2")
        let keyID = Self.keyID(ConfiguredProvider.privateStateKey)
        var characters = Array(sealed)
        let position = characters.count - 10
        characters[position] = characters[position] == "A" ? "B" : "A"
        let envelope = String(sealed.split(separator: ":").last ?? "")
        for altered in [String(characters), "turso_api_token:tok-2:\(envelope)", "turso_timed_token:tok-1:\(envelope)"] {
            Self.expectFailed(
                await Self.open(harness, .string(altered)), summary: "Cannot open sealed_token",
                detailContains: [keyID, "failed authentication"], notContaining: "api-secret-2"
            )
        }
        #expect(await Self.open(harness, .string(sealed)).result[attribute: "token"] == .string("api-secret-2"))
    }

    @Test("A value sealed with a key the provider does not have is an error naming that key id")
    func wrongKey() async throws {
        let harness = try await ConfiguredProvider()
        let sealed = try Self.seal("api-secret-3", key: Self.otherKey)
        let opened = await Self.open(harness, .string(sealed))
        Self.expectFailed(
            opened, summary: "Cannot open sealed_token",
            detailContains: [Self.keyID(Self.otherKey), "not among the configured keys", "private_state_previous_keys"],
            notContaining: "api-secret-3"
        )
        #expect(opened.diagnostics.first?.attribute == AttributePath("sealed_token"))
    }

    @Test("After a key rotation, a value sealed with a previous key still opens")
    func previousKey() async throws {
        let sealed = try Self.seal("api-secret-4", key: Self.otherKey)
        let rotated = try await ConfiguredProvider(previousKeys: [Self.otherKey])
        let opened = await Self.open(rotated, .string(sealed))
        #expect(opened.diagnostics.isEmpty, "\(opened.diagnostics)")
        #expect(opened.result[attribute: "token"] == .string("api-secret-4"))
    }

    @Test("Garbage is an error, shown escaped; null or empty is an error at validate and at Open; unknown passes validate")
    func garbageAndMissing() async throws {
        let harness = try await ConfiguredProvider()
        let envelope = String(try Self.seal("x").split(separator: ":").last ?? "")
        for junk in ["junk", "turso_api_token:tok-1:!!!", "other_type:tok-1:\(envelope)", "turso_api_token::\(envelope)"] {
            Self.expectFailed(await Self.open(harness, .string(junk)), summary: "Cannot open sealed_token", detailContains: ["not a sealed_token"])
        }
        // Decodes, but holds no envelope; the id carries a terminal escape sequence.
        let hostile = await Self.open(harness, .string("turso_api_token:evil\u{1B}[2Jid:AAAA"))
        Self.expectFailed(hostile, summary: "Cannot open sealed_token", detailContains: ["truncated or not an envelope", "\\u{1B}"])
        #expect(hostile.diagnostics.first?.detail.unicodeScalars.contains("\u{1B}") == false)
        // A very long id is bounded in the message.
        let long = await Self.open(harness, .string("turso_api_token:\(String(repeating: "i", count: 100_000)):AAAA"))
        #expect((long.diagnostics.first?.detail.count ?? .max) < 1_000)

        for missing in [CtyValue.null(.string), .string(""), .string(" \n")] {
            Self.expectFailed(await Self.open(harness, missing), summary: "No sealed_token to open", detailContains: ["seal_token = true"])
            let validated = await Self.resource(harness).validateConfig(
                ValidateEphemeralResourceConfigRequest(typeName: "turso_unsealed_token", config: Self.config(missing))
            )
            #expect(validated.map(\.summary) == ["No sealed_token to open"])
        }
        let unknown = await Self.resource(harness).validateConfig(
            ValidateEphemeralResourceConfigRequest(typeName: "turso_unsealed_token", config: Self.config(.unknown(.string)))
        )
        #expect(unknown.isEmpty, "\(unknown)")
        // The router refuses an Open with unknowns before the resource sees
        // it (RouterEphemeralTests, EphemeralRPCTests); called anyway, it is
        // an error too, not a crash.
        Self.expectFailed(await Self.open(harness, .unknown(.string)), summary: "No sealed_token to open", detailContains: [])
        #expect(harness.emulator.requestLog().isEmpty)
    }

    @Test("Before ConfigureProvider there is no key: an error, not a crash")
    func notConfigured() async throws {
        let provider = TursoProvider(environment: [:])
        let resource = try #require(provider.ephemeralResources.compactMap { $0 as? EphemeralUnsealedTokenResource }.first)
        let opened = await resource.open(OpenEphemeralResourceRequest(typeName: "turso_unsealed_token", config: Self.config(.string(try Self.seal("s")))))
        Self.expectFailed(opened, summary: "Private state key not available", detailContains: ["TURSO_PRIVATE_STATE_KEY"])
    }
}
