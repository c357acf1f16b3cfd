import Foundation
import Synchronization
import Testing
import TerraformPlugin
import TursoEmulator
@testable import TursoProvider

/// Identity, list, move, functions and the action, against the emulator
/// over real HTTP (the Terraform 1.8-1.15 workflows of issue 9).
@Suite("turso_api_token identity and listing")
struct APITokenIdentityTests {
    let harness: ConfiguredProvider
    let driver: APITokenDriver

    init() async throws {
        harness = try await ConfiguredProvider()
        driver = APITokenDriver(resource: harness.resource)
    }

    var list: APITokenListResource { harness.provider.listResources.compactMap { $0 as? APITokenListResource }.first! }

    @Test("The identity of a state is its name; a null state has none")
    func identityOfState() async throws {
        let created = try await driver.create(driver.config(name: "ci"))
        #expect(harness.resource.identity(of: created.newState) == .object(["name": .string("ci")]))
        #expect(harness.resource.identity(of: .null(APITokenResource.schema.impliedType)) == nil)
        let planned = await driver.plan(driver.config(name: "deploy"))
        #expect(harness.resource.identity(of: planned.plannedState) == .object(["name": .string("deploy")]))
        // With name_prefix the name is chosen at apply: no identity in the
        // plan (Terraform cannot store one holding an unknown).
        let prefixed = planned.plannedState.setting("name", to: .unknown(.string))
        #expect(harness.resource.identity(of: prefixed) == nil)
    }

    @Test("Import by identity adopts the token as import by name does")
    func importByIdentity() async throws {
        let created = try await driver.create(driver.config(name: "ci", organization: "my-org"))
        let imported = await harness.resource.importState(identity: .object(["name": .string("ci")]))
        let resource = try #require(imported.importedResources.first)
        #expect(resource.state[attribute: "id"] == created.newState[attribute: "id"])
        #expect(resource.state[attribute: "organization"] == .string("my-org"))
        #expect(resource.state[attribute: "token"].isNull)
        #expect(imported.diagnostics.map(\.severity) == [.warning])
    }

    @Test("Import by an identity naming no token fails clearly; a null name is refused")
    func importByIdentityMissing() async throws {
        let missing = await harness.resource.importState(identity: .object(["name": .string("nope")]))
        #expect(missing.importedResources.isEmpty)
        #expect(missing.diagnostics.map(\.summary) == ["No API token named \"nope\""])
        let null = await harness.resource.importState(identity: .object(["name": .null(.string)]))
        #expect(null.diagnostics.map(\.summary) == ["Import identity without a name"])
    }

    @Test("An identity of this version upgrades as is; another version is refused")
    func upgradeIdentity() async throws {
        let upgraded = await harness.resource.upgradeIdentity(
            UpgradeResourceIdentityRequest(typeName: "turso_api_token", version: 0, rawIdentityJSON: Array(#"{"name":"ci"}"#.utf8))
        )
        #expect(upgraded.upgradedIdentity == .object(["name": .string("ci")]))
        let newer = await harness.resource.upgradeIdentity(
            UpgradeResourceIdentityRequest(typeName: "turso_api_token", version: 3, rawIdentityJSON: Array(#"{"name":"ci"}"#.utf8))
        )
        #expect(newer.upgradedIdentity == nil)
        #expect(newer.diagnostics.hasErrors)
        let garbage = await harness.resource.upgradeIdentity(
            UpgradeResourceIdentityRequest(typeName: "turso_api_token", version: 0, rawIdentityJSON: Array("{".utf8))
        )
        #expect(garbage.diagnostics.hasErrors)
    }

    func config(organization: String? = nil, prefix: String? = nil) -> CtyValue {
        .object(type: APITokenListResource.schema.impliedType, [
            "organization": organization.map(CtyValue.string) ?? .null(.string),
            "name_prefix": prefix.map(CtyValue.string) ?? .null(.string),
        ])
    }

    @Test("The list finds the user's tokens by organization and name prefix, sorted, in one listing call")
    func listFilters() async throws {
        _ = try await driver.create(driver.config(name: "ci-b", organization: "my-org"))
        _ = try await driver.create(driver.config(name: "ci-a"))
        _ = try await driver.create(driver.config(name: "deploy", organization: "my-org"))
        let before = harness.emulator.requestLog().count

        func names(_ config: CtyValue) async -> [String] {
            let response = await list.list(ListResourceRequest(typeName: "turso_api_token", config: config, includeResourceObject: false, limit: 100))
            #expect(response.diagnostics.isEmpty)
            return response.results.compactMap { $0.identity[attribute: "name"].stringValue }
        }
        #expect(await names(.null(APITokenListResource.schema.impliedType)) == ["ci-a", "ci-b", "deploy"])
        #expect(await names(config(organization: "my-org")) == ["ci-b", "deploy"])
        #expect(await names(config(prefix: "ci-")) == ["ci-a", "ci-b"])
        #expect(await names(config(organization: "my-org", prefix: "ci-")) == ["ci-b"])
        #expect(await names(config(organization: "other")) == [])
        // Served from the shared listing: at most one call for all of them.
        #expect(harness.emulator.requestLog().count - before <= 1)
    }

    @Test("With include_resource, each result carries the state an import records")
    func listIncludesResource() async throws {
        let created = try await driver.create(driver.config(name: "ci", organization: "my-org"))
        let response = await list.list(ListResourceRequest(typeName: "turso_api_token", config: config(), includeResourceObject: true, limit: 10))
        let result = try #require(response.results.first)
        #expect(result.displayName == "ci (organization my-org)")
        let object = try #require(result.resourceObject)
        #expect(object[attribute: "id"] == created.newState[attribute: "id"])
        #expect(object[attribute: "token"].isNull)
        let imported = await driver.importState("ci")
        #expect(imported.importedResources.first?.state == object)

        let without = await list.list(ListResourceRequest(typeName: "turso_api_token", config: config(), includeResourceObject: false, limit: 10))
        #expect(without.results.first?.resourceObject == nil)
    }

    @Test("An empty organization is refused at validation and at listing")
    func listEmptyOrganization() async throws {
        let validation = await list.validateConfig(ValidateListResourceConfigRequest(typeName: "turso_api_token", config: config(organization: "")))
        #expect(validation.map(\.summary) == ["Empty organization"])
        let response = await list.list(ListResourceRequest(typeName: "turso_api_token", config: config(organization: ""), includeResourceObject: false, limit: 10))
        #expect(response.diagnostics.hasErrors)
    }

    @Test("Listing without an API token says which setting is missing")
    func listWithoutToken() async throws {
        let bare = try await ConfiguredProvider(emulator: harness.emulator, apiToken: .null(.string))
        let list = bare.provider.listResources.compactMap { $0 as? APITokenListResource }.first!
        let response = await list.list(ListResourceRequest(typeName: "turso_api_token", config: config(), includeResourceObject: false, limit: 10))
        #expect(response.results.isEmpty)
        #expect(response.diagnostics.hasErrors)
        #expect(response.diagnostics.allText.contains("api_token"))
    }
}

@Suite("Moving pyvider_timed_token to turso_timed_token")
struct TimedTokenMoveTests {
    let harness: ConfiguredProvider
    var resource: TimedTokenResource { harness.provider.resources.compactMap { $0 as? TimedTokenResource }.first! }

    init() async throws {
        harness = try await ConfiguredProvider()
    }

    static let pyviderState = #"""
        {"expires_at":"2023-11-14T23:13:20.899777+00:00","id":"timed-token-id-487e5bb8","name":"ci","token":"token-56b9892e-e61d-4a52-90ea-592555337b6c"}
        """#

    func move(_ json: String?, type: String = "pyvider_timed_token", address: String = "registry.terraform.io/provide-io/pyvider") async -> MoveResourceStateResponse? {
        await resource.moveState(MoveResourceStateRequest(
            sourceProviderAddress: address, sourceTypeName: type, sourceSchemaVersion: 1,
            sourceStateJSON: json.map { Array($0.utf8) }, sourcePrivate: Array("pyvider's sealed bytes".utf8), targetTypeName: "turso_timed_token"
        ))
    }

    @Test("name, id, token and expires_at carry over; ttl is 1h, renew_before 0s; the value is sealed with our key")
    func movesPyviderToken() async throws {
        let moved = try #require(await move(Self.pyviderState))
        #expect(moved.diagnostics.isEmpty)
        let state = try #require(moved.targetState)
        #expect(state[attribute: "name"] == .string("ci"))
        #expect(state[attribute: "id"] == .string("timed-token-id-487e5bb8"))
        #expect(state[attribute: "token"] == .string("token-56b9892e-e61d-4a52-90ea-592555337b6c"))
        #expect(state[attribute: "expires_at"] == .string("2023-11-14T23:13:20Z"))
        #expect(state[attribute: "ttl"] == .string("1h"))
        #expect(state[attribute: "renew_before"] == .string("0s"))
        #expect(state[attribute: "triggers"].isNull)
        let vault = SodiumVault(current: SealingKey(secret: ConfiguredProvider.privateStateKey, domain: PrivateStateKeys.sealingDomain))
        guard case .sealed(let fields, false) = vault.open(moved.targetPrivate, for: TimedTokenResource.binding(id: "timed-token-id-487e5bb8")) else {
            Issue.record("private state is not sealed with the configured key")
            return
        }
        #expect(fields["token"] == "token-56b9892e-e61d-4a52-90ea-592555337b6c")
        // Still valid under the manual clock: a refresh keeps it.
        let read = await resource.read(ReadResourceRequest(typeName: "turso_timed_token", currentState: state, private: moved.targetPrivate))
        #expect(read.newState == state)
    }

    @Test("Other sources are not this resource's to move")
    func otherSources() async throws {
        #expect(await move(Self.pyviderState, type: "pyvider_other") == nil)
        #expect(await move(Self.pyviderState, address: "registry.terraform.io/hashicorp/time") == nil)
        #expect(await move(Self.pyviderState, address: "registry.opentofu.org/provide-io/pyvider") != nil)
    }

    @Test("A source state that is not JSON, lacks a value or has a bad expiry is an error, never a crash", arguments: [
        nil, "", "[1,2]", "{", #"{"name":"ci"}"#,
        #"{"expires_at":"soon","id":"i","name":"ci","token":"t"}"#,
        #"{"expires_at":null,"id":"i","name":"ci","token":"t"}"#,
    ])
    func badSources(_ json: String?) async throws {
        let moved = try #require(await move(json))
        #expect(moved.targetState == nil)
        #expect(moved.diagnostics.hasErrors)
        #expect(!moved.diagnostics.allText.contains("token-56b9892e"))
    }

    @Test("turso_timed_token cannot be imported, and says why")
    func importRefused() async throws {
        let response = await resource.importState(ImportResourceStateRequest(typeName: "turso_timed_token", id: "anything"))
        #expect(response.importedResources.isEmpty)
        #expect(response.diagnostics.map(\.summary) == ["turso_timed_token cannot be imported"])
    }
}

@Suite("Provider functions")
struct ProviderFunctionTests {
    static func jwt(_ payload: String) -> String {
        func b64url(_ text: String) -> String {
            Data(text.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
        }
        return [b64url(#"{"alg":"EdDSA","typ":"JWT"}"#), b64url(payload), b64url("signature")].joined(separator: ".")
    }

    @Test("token_claims decodes the payload into an object of the JSON's types")
    func claims() async throws {
        let token = Self.jwt(#"{"a":"rw","exp":1700003600,"ids":["x",2],"nested":{"ok":true},"none":null,"ratio":0.5}"#)
        let result = try await TokenClaimsFunction().call([.string(token)]).get()
        #expect(result[attribute: "a"] == .string("rw"))
        #expect(result[attribute: "exp"] == .number(1_700_003_600))
        #expect(result[attribute: "ids"] == .tuple([.string("x"), .number(2)]))
        #expect(result[attribute: "nested"] == .object(["ok": .bool(true)]))
        #expect(result[attribute: "none"].isNull)
        #expect(result[attribute: "ratio"] == .number(CtyNumber(decimal: "0.5")!))
        // The result encodes as the dynamic value Terraform receives.
        let bytes = try MsgPackValueCodec.encode(result, as: .dynamic)
        #expect(try MsgPackValueCodec.decode(bytes, as: .dynamic) == result)
    }

    @Test("token_claims on an emulator-minted token finds its id")
    func claimsOfEmulatorToken() async throws {
        let harness = try await ConfiguredProvider()
        let driver = APITokenDriver(resource: harness.resource)
        let created = try await driver.create(driver.config(name: "ci"))
        let token = try #require(created.newState[attribute: "token"].stringValue)
        let claims = try await TokenClaimsFunction().call([.string(token)]).get()
        #expect(claims[attribute: "id"] == created.newState[attribute: "id"])
        #expect(claims[attribute: "iat"].numberValue != nil)
    }

    @Test("token_claims on garbage is an error on argument 0 that never repeats the value", arguments: [
        "", "garbage-secret", "a.b", "a.b.c.d", "x.!!!.y", "x.e30.y" /* {} is fine */, "x.WzFd.y" /* [1] */, "x.eyJh.y" /* truncated */,
        "x.A.y", "x.e30=x.y",
    ])
    func claimsOfGarbage(_ text: String) async throws {
        let result = await TokenClaimsFunction().call([.string(text)])
        if text == "x.e30.y" {
            #expect(try result.get() == .object([:]))
            return
        }
        guard case .failure(let error) = result else {
            Issue.record("\(text) decoded")
            return
        }
        #expect(error.argument == 0)
        #expect(error.text.hasPrefix("Not a Turso token"))
        if text.count > 4 { #expect(!error.text.contains(text)) }
    }

    @Test("parse_duration returns seconds, exactly", arguments: [
        ("1h30m", "5400"), ("1500ms", "1.5"), ("0s", "0"), ("1ns", "0.000000001"),
    ])
    func parseDuration(_ text: String, _ seconds: String) async throws {
        let result = try await ParseDurationFunction().call([.string(text)]).get()
        #expect(result == .number(CtyNumber(decimal: seconds)!))
    }

    @Test("parse_duration of an invalid duration is an error on argument 0")
    func parseDurationInvalid() async throws {
        guard case .failure(let error) = await ParseDurationFunction().call([.string("soon")]) else {
            Issue.record("parsed")
            return
        }
        #expect(error.argument == 0)
        #expect(error.text.contains("soon"))
    }
}

@Suite("turso_revoke_api_token action")
struct RevokeActionTests {
    let harness: ConfiguredProvider
    let driver: APITokenDriver
    var action: RevokeAPITokenAction { harness.provider.actions.compactMap { $0 as? RevokeAPITokenAction }.first! }

    init() async throws {
        harness = try await ConfiguredProvider()
        driver = APITokenDriver(resource: harness.resource)
    }

    func config(_ name: String, organization: String? = nil) -> CtyValue {
        .object(type: RevokeAPITokenAction.schema.impliedType, ["name": .string(name), "organization": organization.map(CtyValue.string) ?? .null(.string)])
    }

    func invoke(_ config: CtyValue) async -> ([Diagnostic], [String]) {
        let lines = Mutex<[String]>([])
        let diagnostics = await action.invoke(InvokeActionRequest(typeName: "turso_revoke_api_token", config: config)) { line in
            lines.withLock { $0.append(line) }
        }
        return (diagnostics, lines.withLock { $0 })
    }

    @Test("Invoking revokes the user's token now")
    func revokes() async throws {
        let created = try await driver.create(driver.config(name: "leaked"))
        let token = try #require(created.newState[attribute: "token"].stringValue)
        let (diagnostics, progress) = await invoke(config("leaked"))
        #expect(diagnostics.isEmpty)
        #expect(progress.last == "Revoked API token \"leaked\"")
        #expect(try harness.emulator.listed().isEmpty)
        #expect(try harness.emulator.request("GET", "/v1/auth/validate", bearer: token).status == 401)
    }

    @Test("With organization, the organization's token of that name is revoked by id")
    func revokesInOrganization() async throws {
        _ = try await driver.create(driver.config(name: "leaked", organization: "my-org"))
        let (diagnostics, _) = await invoke(config("leaked", organization: "my-org"))
        #expect(diagnostics.isEmpty)
        #expect(try harness.emulator.listed().isEmpty)
    }

    @Test("An unknown name succeeds with a warning")
    func unknownName() async throws {
        for config in [config("nope"), config("nope", organization: "my-org")] {
            let (diagnostics, _) = await invoke(config)
            #expect(diagnostics.map(\.severity) == [.warning])
            #expect(diagnostics.first?.summary == "No API token named \"nope\"")
        }
    }

    @Test("An invalid name is refused at validation and plan, before any call")
    func invalidName() async throws {
        let validated = await action.validateConfig(ValidateActionConfigRequest(typeName: "turso_revoke_api_token", config: config("a b")))
        #expect(validated.hasErrors)
        let planned = await action.plan(PlanActionRequest(typeName: "turso_revoke_api_token", config: config("")))
        #expect(planned.hasErrors)
        #expect(harness.emulator.requestLog().isEmpty)
    }
}
