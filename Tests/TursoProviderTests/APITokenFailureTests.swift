import Testing
import TerraformPlugin
import TursoEmulator
@testable import TursoProvider

/// What `turso_api_token` says when Turso or the provider configuration
/// gets in the way: every problem a diagnostic, no token value in any.
@Suite("turso_api_token when things go wrong")
struct APITokenFailureTests {
    @Test("Without an API token, plan of a create fails naming api_token and TURSO_API_TOKEN; nothing is sent")
    func missingToken() async throws {
        let harness = try await ConfiguredProvider(apiToken: .null(.string))
        #expect(harness.configureDiagnostics.isEmpty)
        let driver = APITokenDriver(resource: harness.resource)
        let planned = await driver.plan(driver.config())
        #expect(planned.diagnostics.count == 1)
        let diagnostic = try #require(planned.diagnostics.first)
        #expect(diagnostic.severity == .error)
        #expect(diagnostic.summary == "No Turso API token configured")
        #expect(diagnostic.detail.contains("TURSO_API_TOKEN") && diagnostic.detail.contains("api_token"))

        let applied = await driver.apply(planned, config: driver.config())
        #expect(applied.newState.isNull)
        #expect(applied.diagnostics == [diagnostic])
        #expect(await driver.importState("ci").diagnostics == [diagnostic])
        #expect(harness.emulator.requestLog().isEmpty)
    }

    @Test("An api_token not known at plan defers: plan passes, Read keeps the state with a warning, apply fails clearly")
    func unknownToken() async throws {
        let known = try await ConfiguredProvider()
        let created = try await APITokenDriver(resource: known.resource).create(APITokenDriver(resource: known.resource).config())

        let harness = try await ConfiguredProvider(emulator: known.emulator, apiToken: .unknown(.string))
        #expect(harness.configureDiagnostics.isEmpty)
        let driver = APITokenDriver(resource: harness.resource)
        #expect(await driver.plan(driver.config(name: "other")).diagnostics.isEmpty)

        let read = await driver.read(created.newState, private: created.private)
        #expect(read.newState == created.newState)
        #expect(read.private == created.private)
        #expect(read.diagnostics.map(\.severity) == [.warning])

        let applied = await driver.apply(await driver.plan(driver.config(name: "other")), config: driver.config(name: "other"))
        #expect(applied.newState.isNull)
        #expect(applied.diagnostics.first?.summary == "Turso API settings not known yet")
        #expect(known.emulator.requestLog().count == 1, "only the first provider's create")
    }

    @Test("401 tells which setting to fix, without echoing the token")
    func unauthorized() async throws {
        let badToken = "not-a-valid-turso-token-0123456789"
        let harness = try await ConfiguredProvider(apiToken: .string(badToken))
        let driver = APITokenDriver(resource: harness.resource)
        let applied = await driver.apply(await driver.plan(driver.config()), config: driver.config())
        #expect(applied.newState.isNull)
        let diagnostic = try #require(applied.diagnostics.first)
        #expect(diagnostic.summary == "Turso rejected the API token")
        #expect(diagnostic.detail.contains("TURSO_API_TOKEN"))
        #expect(!applied.diagnostics.allText.contains(badToken))
    }

    @Test("A name already taken is an error on name that suggests importing it or choosing another name")
    func alreadyExists() async throws {
        let harness = try await ConfiguredProvider()
        try harness.emulator.mint("ci")
        let driver = APITokenDriver(resource: harness.resource)
        let applied = await driver.apply(await driver.plan(driver.config()), config: driver.config())
        #expect(applied.newState.isNull)
        let diagnostic = try #require(applied.diagnostics.first)
        #expect(diagnostic.summary == "An API token named \"ci\" already exists")
        #expect(diagnostic.attribute == "name")
        #expect(diagnostic.detail.contains("terraform import") && diagnostic.detail.contains("Choose another name"))
    }

    @Test("A create that reached Turso but lost its answer keeps the token in state, without a value, with an error")
    func createdButValueLost() async throws {
        let harness = try await ConfiguredProvider()
        try harness.emulator.addFault(Fault(method: "POST", count: 1, process: true, drop: true))
        let driver = APITokenDriver(resource: harness.resource)
        let applied = await driver.apply(await driver.plan(driver.config()), config: driver.config())
        let listed = try harness.emulator.listed()
        #expect(listed.count == 1, "created once, never again")
        // Kept in state with its id (Terraform marks a create that errs with a state as tainted).
        #expect(applied.newState[attribute: "name"].stringValue == "ci")
        #expect(applied.newState[attribute: "id"].stringValue == listed.first?["id"] as? String)
        #expect(applied.newState[attribute: "token"].isNull)
        let diagnostic = try #require(applied.diagnostics.first)
        #expect(diagnostic.severity == .error)
        #expect(diagnostic.summary == "API token \"ci\" was created but its value was lost")
        #expect(diagnostic.detail.contains("Terraform keeps it in state"))
        #expect(diagnostic.detail.contains("the next `terraform apply` revokes it and creates a new one"))
    }

    @Test("429 and 503 are retried until the create succeeds", arguments: [429, 503])
    func retried(status: Int) async throws {
        let harness = try await ConfiguredProvider()
        try harness.emulator.addFault(Fault(method: "POST", count: 2, status: status, retryAfter: "1"))
        let driver = APITokenDriver(resource: harness.resource)
        let created = try await driver.create(driver.config())
        #expect(created.newState[attribute: "token"].stringValue?.isEmpty == false)
        // Each refusal is checked with a listing (200) before the create is sent again.
        #expect(harness.emulator.requestLog().map(\.status) == [status, 200, status, 200, 200])
        #expect(harness.emulator.requestLog().filter { $0.method == "POST" }.count == 3)
        #expect(harness.sleeps.sleeps == [.seconds(1), .seconds(1)])
    }

    @Test("A listing that fails during Read is an error, and the state stays")
    func readFails() async throws {
        let harness = try await ConfiguredProvider()
        let driver = APITokenDriver(resource: harness.resource)
        let created = try await driver.create(driver.config())
        try harness.emulator.addFault(Fault(method: "GET", status: 500, error: "down"))
        let read = await driver.read(created.newState, private: created.private)
        #expect(read.newState == created.newState)
        #expect(read.diagnostics.first?.summary == "The Turso API failed")
    }
}
