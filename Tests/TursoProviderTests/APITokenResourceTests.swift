import Foundation
import Testing
import TerraformPlugin
import TursoEmulator
@testable import TursoProvider

/// `turso_api_token` through plan, apply, read, import and destroy against
/// the emulator over real HTTP, with a manual clock.
@Suite("turso_api_token lifecycle against the emulator")
struct APITokenResourceTests {
    let harness: ConfiguredProvider
    let driver: APITokenDriver

    init() async throws {
        harness = try await ConfiguredProvider()
        #expect(harness.configureDiagnostics.isEmpty, "\(harness.configureDiagnostics)")
        driver = APITokenDriver(resource: harness.resource)
    }

    var emulator: TursoAPIEmulator { harness.emulator }

    @Test("Plan creates nothing and leaves id, token and created_at unknown")
    func planCreatesNothing() async throws {
        let planned = await driver.plan(driver.config(organization: "my-org", group: "default", scopes: ["read-only"]))
        #expect(planned.diagnostics.isEmpty)
        for name in APITokenDriver.computed {
            #expect(!planned.plannedState[attribute: name].isKnown, "\(name)")
        }
        #expect(emulator.requestLog().isEmpty)
    }

    @Test("Apply creates the token with its organization, group and scopes, and seals its value")
    func applyCreates() async throws {
        let config = driver.config(organization: "my-org", group: "default", scopes: ["db:create", "read-only"])
        let created = try await driver.create(config)
        let state = created.newState
        let id = try #require(state[attribute: "id"].stringValue)
        let token = try #require(state[attribute: "token"].stringValue)
        #expect(state[attribute: "created_at"] == .string("2023-11-14T22:13:20Z"))
        #expect(state[attribute: "scopes"].sortedStrings == ["db:create", "read-only"])

        let listed = try #require(try emulator.listed().first)
        #expect(listed["name"] as? String == "ci")
        #expect(listed["id"] as? String == id)
        #expect(listed["organization"] as? String == "my-org")
        #expect(listed["group"] as? String == "default")
        #expect(listed["scopes"] as? [String] == ["read", "db:create"])
        // The value is a working bearer.
        #expect(try emulator.request("GET", "/v1/auth/validate", bearer: token).status == 200)

        let vault = SodiumVault(current: SealingKey(secret: ConfiguredProvider.privateStateKey, domain: PrivateStateKeys.sealingDomain))
        guard case .sealed(let fields, false) = vault.open(created.private, for: APITokenResource.sealed.binding(id: id)) else {
            Issue.record("private state is not sealed with the configured key")
            return
        }
        #expect(fields["token"] == token)
        #expect(fields["created_at"] == "2023-11-14T22:13:20Z")
    }

    @Test("An organization-scoped and an unrestricted token send only what is set")
    func restrictions() async throws {
        _ = try await driver.create(driver.config(name: "org", organization: "my-org"))
        _ = try await driver.create(driver.config(name: "plain"))
        let listed = try emulator.listed()
        let org = try #require(listed.first { $0["name"] as? String == "org" })
        #expect(org["organization"] as? String == "my-org")
        #expect(org["group"] == nil && org["scopes"] == nil)
        let plain = try #require(listed.first { $0["name"] as? String == "plain" })
        #expect(plain["organization"] == nil)
    }

    @Test("The API calls carry the provider's and Terraform's versions as User-Agent")
    func userAgent() async throws {
        _ = try await driver.create(driver.config())
        #expect(emulator.requestLog().map(\.userAgent) == ["terraform-provider-turso/\(TursoProvider.version) terraform/1.0.3"])
    }

    @Test("A second plan with the same configuration changes nothing")
    func noChanges() async throws {
        let config = driver.config(organization: "my-org", group: "default", scopes: ["full-access"], triggers: ["a": "1"])
        let created = try await driver.create(config)
        let planned = await driver.plan(config, prior: created.newState, priorPrivate: created.private)
        #expect(planned.diagnostics.isEmpty)
        #expect(planned.requiresReplace.isEmpty)
        #expect(planned.plannedState == created.newState)
        #expect(planned.plannedPrivate == created.private)
    }

    @Test("Read keeps the token, and presets Turso lists expanded stay as configured", arguments: [
        ["read-only"], ["full-access"], ["full-access", "read"], ["read", "db:create"],
    ])
    func readKeepsPresets(scopes: [String]) async throws {
        let created = try await driver.create(driver.config(organization: "my-org", group: "default", scopes: scopes))
        let read = await driver.read(created.newState, private: created.private)
        #expect(read.diagnostics.isEmpty)
        #expect(read.newState == created.newState)
        #expect(read.private == created.private)
    }

    @Test("Scopes changed outside Terraform show as Turso lists them, and the next plan replaces the token")
    func scopesDrift() async throws {
        let config = driver.config(organization: "my-org", group: "default", scopes: ["read-only"])
        let created = try await driver.create(config)
        let token = try #require(emulator.listed().first)
        let drifted = APIToken(
            name: "ci", id: token["id"] as! String, organization: "my-org", group: "default", scopes: ["read", "db:delete"]
        )
        let refreshed = APITokenResource.refreshed(created.newState, from: drifted)
        #expect(refreshed[attribute: "scopes"].sortedStrings == ["db:delete", "read"])
        let planned = await driver.plan(config, prior: refreshed, priorPrivate: created.private)
        #expect(planned.requiresReplace == ["scopes"])
    }

    @Test("A token revoked outside Terraform leaves the state, so the next plan creates it")
    func revokedOutOfBand() async throws {
        let created = try await driver.create(driver.config())
        emulator.revokeOutOfBand(name: "ci")
        // The client's listing is reused for a few seconds; a new process would list afresh.
        let fresh = try await ConfiguredProvider(emulator: emulator)
        let read = await APITokenDriver(resource: fresh.resource).read(created.newState, private: created.private)
        #expect(read.newState.isNull)
        #expect(read.private.isEmpty)
        #expect(read.diagnostics.isEmpty)
    }

    @Test("A token replaced outside Terraform by one of the same name leaves the state, with a warning")
    func replacedOutOfBand() async throws {
        let created = try await driver.create(driver.config())
        emulator.revokeOutOfBand(name: "ci")
        try emulator.mint("ci")
        let fresh = try await ConfiguredProvider(emulator: emulator)
        let read = await APITokenDriver(resource: fresh.resource).read(created.newState, private: created.private)
        #expect(read.newState.isNull)
        #expect(read.diagnostics.map(\.severity) == [.warning])
        #expect(read.diagnostics.first?.summary == "API token \"ci\" was replaced outside Terraform")
    }

    @Test("Destroy revokes the token; one already gone counts as destroyed")
    func destroy() async throws {
        let created = try await driver.create(driver.config())
        let destroyed = await driver.destroy(created.newState, private: created.private)
        #expect(destroyed.newState.isNull)
        #expect(destroyed.diagnostics.isEmpty)
        #expect(emulator.loggedCalls.last == "DELETE /v1/auth/api-tokens/ci 200")
        #expect(try emulator.listed().isEmpty)

        let again = await driver.destroy(created.newState, private: created.private)
        #expect(again.newState.isNull)
        #expect(again.diagnostics.isEmpty)
        #expect(emulator.loggedCalls.last == "DELETE /v1/auth/api-tokens/ci 404")
    }

    @Test("A failed revoke keeps the token in state with the error")
    func destroyFails() async throws {
        let created = try await driver.create(driver.config())
        try emulator.addFault(Fault(method: "DELETE", status: 403, error: "nope"))
        let destroyed = await driver.destroy(created.newState, private: created.private)
        #expect(destroyed.newState == created.newState)
        #expect(destroyed.private == created.private)
        #expect(destroyed.diagnostics.first?.summary == "Turso refused the operation")
    }

    @Test("Changing name, organization, group, scopes or triggers replaces the token")
    func replacements() async throws {
        let config = driver.config(organization: "my-org", group: "default", scopes: ["read"], triggers: ["r": "1"])
        let prior = try await driver.create(config).newState
        func replaced(_ config: CtyValue) async -> [AttributePath] { await driver.plan(config, prior: prior).requiresReplace }
        #expect(await replaced(driver.config(name: "cd", organization: "my-org", group: "default", scopes: ["read"], triggers: ["r": "1"])) == ["name"])
        #expect(await replaced(driver.config(organization: "my-org", group: "other", scopes: ["read"], triggers: ["r": "1"])) == ["group"])
        #expect(await replaced(driver.config(organization: "my-org", group: "default", scopes: ["db:create"], triggers: ["r": "1"])) == ["scopes"])
        #expect(await replaced(driver.config(organization: "my-org", group: "default", scopes: ["read"], triggers: ["r": "2"])) == ["triggers"])
        #expect(await replaced(driver.config(organization: "other-org", group: "default", scopes: ["read"], triggers: ["r": "1"])) == ["organization"])
        let planned = await driver.plan(driver.config(name: "cd", organization: "my-org", group: "default", scopes: ["read"], triggers: ["r": "1"]), prior: prior)
        for name in APITokenDriver.computed {
            #expect(!planned.plannedState[attribute: name].isKnown, "\(name)")
        }
    }

    @Test("The same scopes spelled differently are not a change: the stored spelling stays")
    func equivalentScopes() async throws {
        let prior = try await driver.create(driver.config(organization: "my-org", group: "default", scopes: ["full-access"])).newState
        let everyScope = driver.config(organization: "my-org", group: "default", scopes: APITokenScopes.individual)
        let planned = await driver.plan(everyScope, prior: prior)
        #expect(planned.requiresReplace.isEmpty)
        #expect(planned.plannedState == prior)
    }

    @Test("Null and empty triggers are the same; a changed rotation_period updates in place")
    func inPlace() async throws {
        let config = driver.config(rotationPeriod: "720h")
        let created = try await driver.create(config)
        let prior = created.newState
        #expect(await driver.plan(driver.config(rotationPeriod: "720h", triggers: [:]), prior: prior).requiresReplace.isEmpty)

        let longer = driver.config(rotationPeriod: "1440h")
        let planned = await driver.plan(longer, prior: prior, priorPrivate: created.private)
        #expect(planned.requiresReplace.isEmpty)
        #expect(planned.plannedState[attribute: "token"] == prior[attribute: "token"])
        emulator.clearRequestLog()
        let applied = await driver.apply(planned, config: longer, prior: prior)
        #expect(applied.newState == planned.plannedState)
        #expect(applied.private == created.private)
        #expect(emulator.requestLog().isEmpty, "an in-place update calls no API")
    }

    @Test("Once rotation_period has passed, Read keeps the token and Plan replaces it")
    func rotation() async throws {
        let config = driver.config(rotationPeriod: "24h")
        let created = try await driver.create(config)
        harness.clock.advance(by: .seconds(24 * 3600 - 1))
        #expect(await driver.plan(config, prior: created.newState).requiresReplace.isEmpty)

        harness.clock.advance(by: .seconds(1))
        let read = await driver.read(created.newState, private: created.private)
        #expect(read.newState == created.newState)
        let planned = await driver.plan(config, prior: read.newState, priorPrivate: read.private)
        #expect(planned.requiresReplace == ["created_at"])
        #expect(!planned.plannedState[attribute: "token"].isKnown)
        // A shorter period alone makes an older token due.
        harness.clock.set(ConfiguredProvider.start.adding(.hours(2)))
        #expect(await driver.plan(driver.config(rotationPeriod: "1h"), prior: created.newState).requiresReplace == ["created_at"])
    }

    @Test("Replacing revokes the old token, then creates a new one under the same name")
    func replaceCycle() async throws {
        let config = driver.config(rotationPeriod: "1h")
        let created = try await driver.create(config)
        harness.clock.advance(by: .hours(1))
        let planned = await driver.plan(config, prior: created.newState, priorPrivate: created.private)
        #expect(planned.requiresReplace == ["created_at"])
        // Terraform replaces by destroying, then creating from a fresh plan.
        #expect(await driver.destroy(created.newState, private: created.private).newState.isNull)
        let recreated = try await driver.create(config)
        #expect(recreated.newState[attribute: "token"] != created.newState[attribute: "token"])
        #expect(recreated.newState[attribute: "created_at"] == .string("2023-11-14T23:13:20Z"))
        #expect(try emulator.listed().map { $0["id"] as? String } == [recreated.newState[attribute: "id"].stringValue])
    }

    @Test("Import by name: the value is null, with a warning, and a matching configuration plans no change")
    func importByName() async throws {
        try emulator.mint("legacy", body: #"{"organization":"my-org","group":"default","scopes":["read-only"]}"#)
        let imported = await driver.importState("legacy")
        #expect(imported.diagnostics.map(\.severity) == [.warning])
        #expect(imported.diagnostics.first?.summary == "The value of API token \"legacy\" cannot be recovered")
        let state = try #require(imported.importedResources.first?.state)
        #expect(imported.importedResources.first?.typeName == "turso_api_token")
        #expect(state[attribute: "token"].isNull)
        #expect(state[attribute: "organization"] == .string("my-org"))
        #expect(state[attribute: "scopes"].sortedStrings == ["read"])
        let day = ISO8601DateFormatter()
        day.formatOptions = [.withFullDate]
        let today = day.string(from: Date())
        #expect(state[attribute: "created_at"] == .string("\(today)T00:00:00Z"))

        // Terraform reads after importing, then plans against the configuration.
        let read = await driver.read(state, private: imported.importedResources.first?.private ?? [])
        #expect(read.newState == state)
        #expect(read.diagnostics.isEmpty)
        let config = driver.config(name: "legacy", organization: "my-org", group: "default", scopes: ["read-only"])
        let planned = await driver.plan(config, prior: read.newState, priorPrivate: read.private)
        #expect(planned.diagnostics.isEmpty)
        #expect(planned.requiresReplace.isEmpty)
        #expect(planned.plannedState == read.newState)
    }

    @Test("Importing a name Turso does not list is an error")
    func importMissing() async {
        let imported = await driver.importState("nothing")
        #expect(imported.importedResources.isEmpty)
        #expect(imported.diagnostics.first?.summary == "No API token named \"nothing\"")
    }

    @Test("Refreshing many tokens at once costs a handful of listings")
    func sharedListing() async throws {
        var states: [ApplyResourceChangeResponse] = []
        for index in 0..<200 { states.append(try await driver.create(driver.config(name: "t\(index)"))) }
        emulator.clearRequestLog()
        try emulator.addFault(Fault(method: "GET", delayMilliseconds: 50))
        let kept = await withTaskGroup(of: Bool.self) { group in
            for state in states {
                group.addTask { await driver.read(state.newState, private: state.private).newState == state.newState }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(kept == 200)
        let lists = emulator.requestLog().filter { $0.method == "GET" }.count
        #expect((1...3).contains(lists), "\(lists) listings for 200 reads")
    }
}
