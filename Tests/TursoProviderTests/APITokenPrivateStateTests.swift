import Testing
import TerraformPlugin
@testable import TursoProvider

/// The token's value and creation time sealed in private state: restored
/// when the state file is edited, re-sealed after a key rotation, and kept
/// as is when they cannot be opened.
@Suite("turso_api_token sealed private state")
struct APITokenPrivateStateTests {
    @Test("A token or created_at edited in the state file is restored from private state, with a warning naming the token")
    func restoresEditedState() async throws {
        let harness = try await ConfiguredProvider()
        let driver = APITokenDriver(resource: harness.resource)
        let created = try await driver.create(driver.config())
        let edited = created.newState.setting(["token": .string("tampered"), "created_at": .string("2020-01-01T00:00:00Z")])
        let read = await driver.read(edited, private: created.private)
        #expect(read.newState == created.newState)
        #expect(read.private == created.private)
        #expect(read.diagnostics.map(\.severity) == [.warning])
        let id = try #require(created.newState[attribute: "id"].stringValue)
        #expect(read.diagnostics.first?.summary == "State of turso_api_token \"ci\" (id \(id)) was changed outside Terraform")
        #expect(read.diagnostics.first?.detail.contains("token and created_at") == true)
        #expect(!read.diagnostics.allText.contains(created.newState[attribute: "token"].stringValue!))
    }

    @Test("A token removed from the state file comes back")
    func restoresNullToken() async throws {
        let harness = try await ConfiguredProvider()
        let driver = APITokenDriver(resource: harness.resource)
        let created = try await driver.create(driver.config())
        let read = await driver.read(created.newState.setting("token", to: .null(.string)), private: created.private)
        #expect(read.newState[attribute: "token"] == created.newState[attribute: "token"])
    }

    @Test("After a key rotation, Read re-seals with the new key")
    func resealsAfterRotation() async throws {
        let oldKey = ConfiguredProvider.privateStateKey
        let newKey = "rotated-unit-test-private-state-key-9876543210"
        let before = try await ConfiguredProvider()
        let created = try await APITokenDriver(resource: before.resource).create(APITokenDriver(resource: before.resource).config())

        let after = try await ConfiguredProvider(emulator: before.emulator, privateStateKey: newKey, previousKeys: [oldKey])
        let read = await APITokenDriver(resource: after.resource).read(created.newState, private: created.private)
        #expect(read.diagnostics.isEmpty)
        #expect(read.newState == created.newState)
        let id = created.newState[attribute: "id"].stringValue!
        let binding = APITokenResource.sealed.binding(id: id)
        guard case .sealed(let fields, false) = SodiumVault(current: SealingKey(secret: newKey, domain: PrivateStateKeys.sealingDomain)).open(read.private, for: binding) else {
            Issue.record("not re-sealed with the new key")
            return
        }
        #expect(fields["token"] == created.newState[attribute: "token"].stringValue)
        guard case .unreadable = SodiumVault(current: SealingKey(secret: oldKey, domain: PrivateStateKeys.sealingDomain)).open(read.private, for: binding) else {
            Issue.record("still opens with the old key alone")
            return
        }
    }

    @Test("Private state sealed with another key is kept byte for byte, with a warning naming the token")
    func keepsUnreadable() async throws {
        let before = try await ConfiguredProvider()
        let created = try await APITokenDriver(resource: before.resource).create(APITokenDriver(resource: before.resource).config())
        let other = try await ConfiguredProvider(emulator: before.emulator, privateStateKey: "a-completely-different-private-state-key-42")
        let read = await APITokenDriver(resource: other.resource).read(created.newState, private: created.private)
        #expect(read.private == created.private)
        #expect(read.newState == created.newState)
        #expect(read.diagnostics.map(\.severity) == [.warning])
        #expect(read.diagnostics.first?.summary.hasPrefix("Private state of turso_api_token \"ci\"") == true)
    }

    @Test("A state without private state (an older provider) is sealed on the next read; an imported one stays empty")
    func sealsEmpty() async throws {
        let harness = try await ConfiguredProvider()
        // Minted elsewhere before the provider's first listing, which later calls share.
        try harness.emulator.mint("imported")
        let driver = APITokenDriver(resource: harness.resource)
        let created = try await driver.create(driver.config())
        let read = await driver.read(created.newState, private: [])
        let id = created.newState[attribute: "id"].stringValue!
        let vault = SodiumVault(current: SealingKey(secret: ConfiguredProvider.privateStateKey, domain: PrivateStateKeys.sealingDomain))
        guard case .sealed(let fields, _) = vault.open(read.private, for: APITokenResource.sealed.binding(id: id)) else {
            Issue.record("not sealed")
            return
        }
        #expect(fields["token"] == created.newState[attribute: "token"].stringValue)

        let imported = try #require(await driver.importState("imported").importedResources.first)
        let readImported = await driver.read(imported.state, private: imported.private)
        #expect(readImported.private.isEmpty)
        #expect(readImported.newState[attribute: "token"].isNull)
    }
}
