import Foundation
import Testing
import TerraformPlugin
import TursoEmulator
@testable import TursoProvider

/// `sealed_token`'s envelope and `terraform-provider-turso unseal`.
@Suite("sealed_token envelope and unseal")
struct SealedTokenTests {
    static let key = "sealed-token-test-key-0123456789abcdefghij"
    static let otherKey = "another-sealed-token-key-0123456789abcdefg"
    let vault = SodiumVault(current: SealingKey(secret: key, domain: PrivateStateKeys.sealingDomain))

    func sealed(_ token: String = "secret-value-1", id: String = "tok-1") throws -> String {
        try SealedToken.seal(token, resourceType: "turso_api_token", id: id, vault: vault)
    }

    @Test("Round trip; the text names the resource and holds the value in no readable form")
    func roundTrip() throws {
        let text = try sealed()
        #expect(text.hasPrefix("turso_api_token:tok-1:"))
        #expect(!text.contains("secret-value-1"))
        #expect(try SealedToken.open(text, vault: vault).get() == "secret-value-1")
        // Ids may contain the separator: the envelope is after the last one.
        let odd = try SealedToken.seal("v", resourceType: "turso_timed_token", id: "a:b", vault: vault)
        #expect(try SealedToken.open(odd, vault: vault).get() == "v")
        // Sealing twice gives different texts (fresh nonce).
        #expect(try sealed() != text)
    }

    @Test("A previous key still opens it")
    func previousKey() throws {
        let text = try sealed()
        let rotated = SodiumVault(current: SealingKey(secret: Self.otherKey, domain: PrivateStateKeys.sealingDomain), previous: [SealingKey(secret: Self.key, domain: PrivateStateKeys.sealingDomain)])
        #expect(try SealedToken.open(text, vault: rotated).get() == "secret-value-1")
    }

    @Test("A wrong key, an altered envelope, another id or type, or junk fail with a message and no value")
    func failures() throws {
        let text = try sealed()
        let keyID = SealingKey(secret: Self.key, domain: PrivateStateKeys.sealingDomain).idHex
        func failure(_ text: String, _ vault: SodiumVault? = nil) -> String? {
            guard case .failure(let error) = SealedToken.open(text, vault: vault ?? self.vault) else { return nil }
            return error.message
        }
        let wrong = try #require(failure(text, SodiumVault(current: SealingKey(secret: Self.otherKey, domain: PrivateStateKeys.sealingDomain))))
        #expect(wrong.contains(keyID) && wrong.contains("not among the configured keys"), "\(wrong)")

        // Flip one character of the envelope's ciphertext.
        var characters = Array(text)
        let position = characters.count - 10
        characters[position] = characters[position] == "A" ? "B" : "A"
        let tampered = try #require(failure(String(characters)))
        #expect(tampered.contains(keyID) && tampered.contains("failed authentication"), "\(tampered)")

        let envelope = text.split(separator: ":").last.map(String.init) ?? ""
        #expect(failure("turso_api_token:tok-2:\(envelope)")?.contains("failed authentication") == true)
        #expect(failure("turso_timed_token:tok-1:\(envelope)")?.contains("failed authentication") == true)
        // A plain JSON "envelope" would open without a key: refused.
        let plain = Base64URL.encode(Array(#"{"token":"forged"}"#.utf8))
        #expect(failure("turso_api_token:tok-1:\(plain)")?.contains("not a sealed_token") == true)
        for junk in ["", "junk", "turso_api_token::\(envelope)", "other_type:tok-1:\(envelope)", "turso_api_token:tok-1:!!!", "turso_api_token:tok-1:A"] {
            #expect(failure(junk)?.contains("not a sealed_token") == true, "\(junk)")
        }
        // Decodes, but is no envelope: three zero bytes, then the first 20 bytes of a real one.
        #expect(failure("turso_api_token:tok-1:AAAA")?.contains("truncated or not an envelope") == true)
        #expect(failure("turso_api_token:tok-1:\(envelope.prefix(27))")?.contains("truncated or not an envelope") == true)
        #expect(!(wrong + tampered).contains("secret-value-1"))
    }

    @Test("Base64url round trips every length and refuses what no encoder writes")
    func base64URL() {
        for length in 0..<40 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 250) }
            #expect(Base64URL.decode(Substring(Base64URL.encode(bytes))) == bytes)
        }
        #expect(Base64URL.encode(Array("any carnal pleas".utf8)) == "YW55IGNhcm5hbCBwbGVhcw")
        #expect(Base64URL.decode("YW55=") == nil)
        #expect(Base64URL.decode("A") == nil)
        #expect(Base64URL.decode("a+b/") == nil)
    }

    @Test("unseal prints the token with the key, and exits 1 with an explanation otherwise")
    func unseal() throws {
        let text = try sealed()
        let environment = ["TURSO_PRIVATE_STATE_KEY": Self.key]
        let ok = UnsealCommand.run(arguments: [], input: Array((text + "\n").utf8), environment: environment)
        #expect(ok.status == 0 && ok.stdout == "secret-value-1\n" && ok.stderr.isEmpty)
        // The old key as a previous key, the new one current.
        let rotated = UnsealCommand.run(
            arguments: [], input: Array(text.utf8),
            environment: ["TURSO_PRIVATE_STATE_KEY": Self.otherKey, "TURSO_PRIVATE_STATE_PREVIOUS_KEYS": "x-short, \(Self.key)"]
        )
        #expect(rotated.stdout == "secret-value-1\n")

        let cases: [(arguments: [String], input: String, environment: [String: String], message: String)] = [
            ([], text, [:], "TURSO_PRIVATE_STATE_KEY is not set"),
            ([], text, ["TURSO_PRIVATE_STATE_KEY": Self.otherKey], "not among the configured keys"),
            ([], "", environment, "no sealed_token on stdin"),
            ([], "not-sealed", environment, "not a sealed_token"),
            (["extra"], text, environment, "unexpected argument"),
        ]
        for (arguments, input, environment, message) in cases {
            let result = UnsealCommand.run(arguments: arguments, input: Array(input.utf8), environment: environment)
            #expect(result.status == 1 && result.stdout.isEmpty, "\(message)")
            #expect(result.stderr.hasPrefix("terraform-provider-turso unseal: ") && result.stderr.contains(message), "\(result.stderr)")
            #expect(!result.stderr.contains("secret-value-1"))
        }
    }
}

/// `seal_token = true` on `turso_api_token`, against the emulator.
@Suite("turso_api_token with seal_token")
struct APITokenSealTokenTests {
    let harness: ConfiguredProvider
    let driver: APITokenDriver
    let vault = SodiumVault(current: SealingKey(secret: ConfiguredProvider.privateStateKey, domain: PrivateStateKeys.sealingDomain))

    init() async throws {
        harness = try await ConfiguredProvider()
        driver = APITokenDriver(resource: harness.resource)
    }

    func config(seal: Bool?, triggers: [String: String]? = nil) -> CtyValue {
        driver.config(organization: "my-org", triggers: triggers).setting("seal_token", to: seal.map(CtyValue.bool) ?? .null(.bool))
    }

    @Test("token is null in plan and state; sealed_token opens to a working token; private state holds no value")
    func sealedOnly() async throws {
        let planned = await driver.plan(config(seal: true))
        #expect(planned.diagnostics.isEmpty)
        #expect(planned.plannedState[attribute: "token"] == .null(.string))
        #expect(!planned.plannedState[attribute: "sealed_token"].isKnown)
        #expect(!planned.plannedState[attribute: "token_version"].isKnown)

        let created = try await driver.create(config(seal: true))
        let state = created.newState
        #expect(state[attribute: "token"] == .null(.string))
        let id = try #require(state[attribute: "id"].stringValue)
        let sealedText = try #require(state[attribute: "sealed_token"].stringValue)
        let token = try SealedToken.open(sealedText, vault: vault).get()
        #expect(try harness.emulator.request("GET", "/v1/auth/validate", bearer: token).status == 200)
        #expect(state[attribute: "token_version"] == .number(CtyNumber(ConfiguredProvider.start.seconds * 1000)))

        // Private state: the sealed form and created_at, never the value.
        guard case .sealed(let fields, _) = vault.open(created.private, for: APITokenResource.sealedOnly.binding(id: id)) else {
            Issue.record("private state does not open as sealed-only")
            return
        }
        #expect(fields.values.keys.sorted() == ["created_at", "name", "sealed_token"])
        #expect(fields["sealed_token"] == sealedText)
        let stateJSON = String(decoding: try JSONValueCodec.encode(state, as: driver.type), as: UTF8.self)
        #expect(!stateJSON.contains(token))

        // Read keeps it as it is; an edited sealed_token is restored from private state.
        let read = await driver.read(state, private: created.private)
        #expect(read.newState == state && read.diagnostics.isEmpty, "\(read.diagnostics)")
        let repaired = await driver.read(state.setting("sealed_token", to: .string("turso_api_token:x:AAAA")), private: created.private)
        #expect(repaired.newState == state)
        #expect(repaired.diagnostics.map(\.severity) == [.warning])
        #expect(!repaired.diagnostics.allText.contains(token))
    }

    @Test("Changing seal_token replaces the token; null and false are the same")
    func changeReplaces() async throws {
        let created = try await driver.create(config(seal: nil))
        #expect(created.newState[attribute: "sealed_token"] == .null(.string))
        #expect(created.newState[attribute: "token"].stringValue != nil)
        let same = await driver.plan(config(seal: false), prior: created.newState, priorPrivate: created.private)
        #expect(same.requiresReplace.isEmpty)
        let sealing = await driver.plan(config(seal: true), prior: created.newState, priorPrivate: created.private)
        #expect(sealing.requiresReplace == ["seal_token"])
        #expect(sealing.plannedState[attribute: "token"] == .null(.string))
        #expect(!sealing.plannedState[attribute: "sealed_token"].isKnown)
    }

    @Test("After a key switch with the old key as previous, Read re-seals sealed_token with the new key")
    func resealsAfterKeySwitch() async throws {
        let created = try await driver.create(config(seal: true))
        let oldText = try #require(created.newState[attribute: "sealed_token"].stringValue)
        let token = try SealedToken.open(oldText, vault: vault).get()
        let newKey = "the-next-private-state-key-0123456789abcdef"
        let switched = try await ConfiguredProvider(emulator: harness.emulator, privateStateKey: newKey, previousKeys: [ConfiguredProvider.privateStateKey])
        let read = await APITokenDriver(resource: switched.resource).read(created.newState, private: created.private)
        #expect(read.diagnostics.isEmpty, "\(read.diagnostics)")
        let newText = try #require(read.newState[attribute: "sealed_token"].stringValue)
        #expect(newText != oldText)
        // The new key alone opens both the sealed_token and the private state.
        let newOnly = SodiumVault(current: SealingKey(secret: newKey, domain: PrivateStateKeys.sealingDomain))
        #expect(try SealedToken.open(newText, vault: newOnly).get() == token)
        let id = try #require(read.newState[attribute: "id"].stringValue)
        guard case .sealed(let fields, false) = newOnly.open(read.private, for: APITokenResource.sealedOnly.binding(id: id)) else {
            Issue.record("private state is not re-sealed with the new key")
            return
        }
        #expect(fields["sealed_token"] == newText)
        // Everything else is unchanged, and a second read changes nothing.
        #expect(read.newState.setting("sealed_token", to: .string(oldText)) == created.newState)
        let again = await APITokenDriver(resource: switched.resource).read(read.newState, private: read.private)
        #expect(again.newState == read.newState && again.private == read.private)
    }

    @Test("seal_token unknown at plan: token and sealed_token both unknown, and an existing token is replaced")
    func unknownSealToken() async throws {
        let unknown = config(seal: nil).setting("seal_token", to: .unknown(.bool))
        let planned = await driver.plan(unknown)
        #expect(planned.diagnostics.isEmpty)
        #expect(!planned.plannedState[attribute: "token"].isKnown && !planned.plannedState[attribute: "sealed_token"].isKnown)
        // Known at apply, where Terraform plans again with the final
        // configuration: the value goes where seal_token says.
        let final = await driver.plan(config(seal: true))
        #expect(final.plannedState[attribute: "token"] == .null(.string))
        let applied = await driver.apply(final, config: config(seal: true))
        #expect(applied.diagnostics.isEmpty, "\(applied.diagnostics)")
        #expect(applied.newState[attribute: "token"] == .null(.string))
        #expect(applied.newState[attribute: "sealed_token"].stringValue != nil)
        // An existing token cannot promise either form: replaced.
        let later = await driver.plan(unknown, prior: applied.newState, priorPrivate: applied.private)
        #expect(later.requiresReplace == ["seal_token"])
    }

    @Test("token_version changes with every new token")
    func tokenVersion() async throws {
        let first = try await driver.create(config(seal: true, triggers: ["r": "1"]))
        let replacing = await driver.plan(config(seal: true, triggers: ["r": "2"]), prior: first.newState, priorPrivate: first.private)
        #expect(replacing.requiresReplace == ["triggers"])
        #expect(!replacing.plannedState[attribute: "token_version"].isKnown)
        harness.clock.advance(by: .seconds(1))
        _ = await driver.destroy(first.newState, private: first.private)
        let second = await driver.apply(replacing, config: config(seal: true, triggers: ["r": "2"]))
        #expect(second.diagnostics.isEmpty)
        let versions = [first, second].map { $0.newState[attribute: "token_version"] }
        #expect(versions[1] == .number(CtyNumber((ConfiguredProvider.start.seconds + 1) * 1000)))
        #expect(versions[0] != versions[1])
    }
}
