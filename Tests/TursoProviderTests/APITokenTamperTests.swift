import Foundation
import Testing
import TerraformPlugin
import TursoEmulator
@testable import TursoProvider

/// `turso_api_token` with a hand-edited state file: only a sealed envelope
/// that opens for the resource is trusted; an edited id or name is
/// recognised and repaired or reported; no case ends with a token live in
/// Turso and gone from state.
@Suite("turso_api_token with tampered state")
struct APITokenTamperTests {
    let harness: ConfiguredProvider
    let driver: APITokenDriver

    init() async throws {
        harness = try await ConfiguredProvider()
        driver = APITokenDriver(resource: harness.resource)
    }

    /// A read by a fresh provider process (the client's listing is reused for a few seconds).
    func freshRead(_ state: CtyValue, private blob: [UInt8]) async throws -> ReadResourceResponse {
        let fresh = try await ConfiguredProvider(emulator: harness.emulator)
        return await APITokenDriver(resource: fresh.resource).read(state, private: blob)
    }

    // MARK: Private state that is not this resource's sealed envelope

    @Test("Plain JSON private state never overrides the state: an injected created_at does not make rotation due")
    func plainJSONNotTrusted() async throws {
        let config = driver.config(rotationPeriod: "720h")
        let created = try await driver.create(config)
        let injected = PlainPrivateState.encode(PrivateStateFields(["created_at": "2000-01-01T00:00:00Z", "token": "5"]))
        let read = try await freshRead(created.newState, private: injected)
        #expect(read.newState == created.newState)
        #expect(read.private == injected, "kept as it is")
        #expect(read.diagnostics.map(\.severity) == [.warning])
        #expect(read.diagnostics.first?.summary == "Private state of \(APITokenResource.label(name: "ci", id: id(created))) is not sealed")
        let planned = await driver.plan(config, prior: read.newState, priorPrivate: read.private)
        #expect(planned.requiresReplace.isEmpty, "no rotation from an injected created_at")
        #expect(planned.plannedState[attribute: "token"] == created.newState[attribute: "token"])
    }

    @Test("Private state of no known format ({\"token\": 5}, garbage) is kept and reported, and the state stands",
          arguments: [Array(#"{"token": 5}"#.utf8), [0x00, 0x01, 0x02], Array(repeating: 0x01, count: 80)])
    func garbageNotTrusted(_ blob: [UInt8]) async throws {
        let created = try await driver.create(driver.config())
        let read = try await freshRead(created.newState, private: blob)
        #expect(read.newState == created.newState)
        #expect(read.private == blob)
        #expect(read.diagnostics.map(\.severity) == [.warning])
    }

    @Test("Another resource's sealed envelope is kept and reported, and never changes this state")
    func foreignEnvelope() async throws {
        let first = try await driver.create(driver.config(name: "first"))
        let second = try await driver.create(driver.config(name: "second"))
        let read = try await freshRead(first.newState, private: second.private)
        #expect(read.newState == first.newState)
        #expect(read.private == second.private)
        #expect(read.diagnostics.map(\.severity) == [.warning])
        #expect(read.diagnostics.first?.detail.contains("failed authentication") == true)
    }

    @Test("Empty private state with an edited token is not sealed silently: the unchecked values are reported")
    func emptyPrivateReported() async throws {
        let created = try await driver.create(driver.config())
        let edited = created.newState.setting("token", to: .string("edited"))
        let read = try await freshRead(edited, private: [])
        #expect(read.diagnostics.map(\.severity) == [.warning])
        #expect(read.diagnostics.first?.summary.hasSuffix("was empty") == true)
        #expect(read.diagnostics.first?.detail.contains("sealed as they are") == true)
    }

    // MARK: Edited id and name

    @Test("An edited id is recognised through the sealed envelope and restored, never taken as replaced in Turso")
    func editedID() async throws {
        let created = try await driver.create(driver.config())
        let edited = created.newState.setting(["id": .string("edited-id"), "token": .string("edited")])
        let read = try await freshRead(edited, private: created.private)
        #expect(read.newState == created.newState)
        #expect(read.private == created.private)
        #expect(read.diagnostics.map(\.severity) == [.warning])
        #expect(read.diagnostics.first?.detail.contains("The id and the sealed values have been restored") == true)
        #expect(try harness.emulator.listed().count == 1)
    }

    @Test("A name edited to one that does not exist is restored from the sealed copy, with a warning")
    func editedNameToNothing() async throws {
        let created = try await driver.create(driver.config())
        let read = try await freshRead(created.newState.setting("name", to: .string("ghost")), private: created.private)
        #expect(read.newState == created.newState)
        #expect(read.diagnostics.map(\.severity) == [.warning])
        #expect(read.diagnostics.first?.detail.contains("name") == true)
    }

    @Test("A name edited to another token's name is restored, and the other token is left alone")
    func editedNameToAnother() async throws {
        let created = try await driver.create(driver.config())
        _ = try await driver.create(driver.config(name: "other"))
        let read = try await freshRead(created.newState.setting("name", to: .string("other")), private: created.private)
        #expect(read.newState == created.newState)
        #expect(try harness.emulator.listed().count == 2)
    }

    @Test("Without private state, an edited name is restored from Turso (the token listed with the state's id)")
    func editedNameWithoutPrivate() async throws {
        try harness.emulator.mint("imported")
        let imported = try #require(await driver.importState("imported").importedResources.first)
        let read = try await freshRead(imported.state.setting("name", to: .string("ghost")), private: [])
        #expect(read.newState[attribute: "name"].stringValue == "imported")
        #expect(read.newState[attribute: "id"] == imported.state[attribute: "id"])
        #expect(read.diagnostics.contains { $0.detail.contains("The name has been restored from Turso") })
    }

    @Test("Without private state, an edited id cannot be confirmed: the state is kept and reported, not dropped")
    func editedIDWithoutPrivate() async throws {
        try harness.emulator.mint("imported")
        let imported = try #require(await driver.importState("imported").importedResources.first)
        let edited = imported.state.setting("id", to: .string("edited-id"))
        let read = try await freshRead(edited, private: [])
        #expect(read.newState == edited)
        #expect(read.diagnostics.map(\.severity) == [.warning])
        #expect(read.diagnostics.first?.summary.hasSuffix("does not match Turso") == true)
    }

    @Test("With both id and name edited, the token its envelope belongs to is named and the state kept")
    func editedIDAndName() async throws {
        let created = try await driver.create(driver.config())
        let edited = created.newState.setting(["id": .string("edited-id"), "name": .string("ghost")])
        let read = try await freshRead(edited, private: created.private)
        #expect(!read.newState.isNull)
        #expect(read.private == created.private)
        #expect(read.diagnostics.contains { $0.detail.contains("it lists API token \"ci\" (id \(id(created)))") })
    }

    @Test("A token truly replaced outside Terraform (envelope confirms the state's id) still leaves the state")
    func replacedStillLeaves() async throws {
        let created = try await driver.create(driver.config())
        harness.emulator.revokeOutOfBand(name: "ci")
        try harness.emulator.mint("ci")
        let read = try await freshRead(created.newState, private: created.private)
        #expect(read.newState.isNull)
        #expect(read.diagnostics.first?.summary == "API token \"ci\" was replaced outside Terraform")
    }

    @Test("No edit of the state file ends with a token live in Turso and gone from state", arguments: [
        "id", "name", "name+id", "token", "created_at", "private=plain", "private=empty", "private=garbage", "private=foreign",
    ])
    func noOrphans(_ edit: String) async throws {
        let created = try await driver.create(driver.config())
        let other = try await driver.create(driver.config(name: "other"))
        var state = created.newState
        var blob = created.private
        for part in edit.split(separator: "+") {
            switch part {
            case "id": state = state.setting("id", to: .string("edited-id"))
            case "name": state = state.setting("name", to: .string("ghost"))
            case "token": state = state.setting("token", to: .string("edited"))
            case "created_at": state = state.setting("created_at", to: .string("2000-01-01T00:00:00Z"))
            case "private=plain": blob = PlainPrivateState.encode(PrivateStateFields(["token": "x"]))
            case "private=empty": blob = []
            case "private=garbage": blob = [1, 2, 3]
            case "private=foreign": blob = other.private
            default: Issue.record("unknown edit \(part)")
            }
        }
        let read = try await freshRead(state, private: blob)
        #expect(!read.newState.isNull, "\(edit): the live token was dropped from state")
        #expect(try harness.emulator.listed().count == 2)
    }

    // MARK: A create whose value was lost

    @Test("A token recorded without an id after a lost create gets its id on the next read")
    func lostCreateFound() async throws {
        let fresh = try await ConfiguredProvider(emulator: harness.emulator)
        let recorded = driver.config().setting(["id": .null(.string), "token": .null(.string), "created_at": .string("2023-11-14T22:13:20Z")])
        // As a lost create whose listing failed records it: no id.
        try harness.emulator.mint("ci")
        let read = await APITokenDriver(resource: fresh.resource).read(recorded, private: [])
        let listed = try #require(try harness.emulator.listed().first?["id"] as? String)
        #expect(read.newState[attribute: "id"].stringValue == listed)
        #expect(read.diagnostics.contains { $0.summary.hasPrefix("turso_api_token \"ci\" found in Turso") })
    }

    // MARK: Destroy

    @Test("Destroying a token named `..` revokes that token, not another endpoint")
    func destroyDotDot() async throws {
        let client = TursoClient(baseURL: harness.emulator.baseURL, apiToken: emulatorAdminToken, userAgent: "test")
        let dots = try await client.createToken(name: "..")
        let state = driver.config().setting(["name": .string(".."), "id": .string(dots.id), "token": .null(.string), "created_at": .null(.string)])
        let destroyed = await driver.destroy(state, private: [])
        #expect(destroyed.diagnostics.isEmpty)
        #expect(destroyed.newState.isNull)
        #expect(try harness.emulator.listed().isEmpty, "the token named .. was revoked")
        #expect(harness.emulator.loggedCalls.contains("DELETE /v1/auth/api-tokens/%2E%2E 200"))
    }

    @Test("A 404 to a revoke is believed only if the listing agrees: a token still listed stays in state, with an error")
    func revoke404ButListed() async throws {
        let created = try await driver.create(driver.config())
        try harness.emulator.addFault(Fault(method: "DELETE", status: 404, error: "not found"))
        let destroyed = await driver.destroy(created.newState, private: created.private)
        #expect(destroyed.newState == created.newState)
        #expect(destroyed.diagnostics.first?.summary == "API token \"ci\" was not revoked")
        #expect(try harness.emulator.listed().count == 1)
    }

    // MARK: Names as bytes

    @Test("A name changed only in its Unicode spelling is a new name to Turso, so the plan replaces the token")
    func unicodeSpellingReplaces() async throws {
        let created = try await driver.create(driver.config(name: "caf\u{E9}"))
        let planned = await driver.plan(driver.config(name: "cafe\u{301}"), prior: created.newState, priorPrivate: created.private)
        #expect(planned.requiresReplace == ["name"])
    }

    func id(_ applied: ApplyResourceChangeResponse) -> String { applied.newState[attribute: "id"].stringValue ?? "" }
}
