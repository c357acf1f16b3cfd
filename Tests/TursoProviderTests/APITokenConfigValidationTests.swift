import Testing
import TerraformPlugin
@testable import TursoProvider

/// Invalid `turso_api_token` configurations fail at validate and at plan,
/// on the attribute at fault, before anything reaches Turso.
@Suite("turso_api_token configuration checks")
struct APITokenConfigValidationTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name = "ci"
        var organization: String?
        var group: String?
        var scopes: [String]?
        var rotationPeriod: String?
        var attribute: AttributePath
        var summary: String
        var testDescription: String { "\(summary) at \(attribute)" }
    }

    static let cases: [Case] = [
        Case(name: "", attribute: "name", summary: "Invalid API token name"),
        Case(name: "two words", attribute: "name", summary: "Invalid API token name"),
        Case(name: "a/b", attribute: "name", summary: "Invalid API token name"),
        Case(name: ".", attribute: "name", summary: "Invalid API token name"),
        Case(name: "..", attribute: "name", summary: "Invalid API token name"),
        Case(name: "a\u{1B}[2Jb", attribute: "name", summary: "Invalid API token name"),
        Case(name: "a\u{85}b", attribute: "name", summary: "Invalid API token name"),
        Case(name: "a\u{202E}b", attribute: "name", summary: "Invalid API token name"),
        Case(name: "a\\b", attribute: "name", summary: "Invalid API token name"),
        Case(organization: "..", attribute: "organization", summary: "Invalid organization"),
        Case(organization: "my/org", attribute: "organization", summary: "Invalid organization"),
        Case(organization: "my-org", group: ".", scopes: ["read"], attribute: "group", summary: "Invalid group"),
        Case(organization: "", attribute: "organization", summary: "Empty organization"),
        Case(organization: "my-org", group: "", scopes: ["read"], attribute: "group", summary: "Empty group"),
        Case(group: "default", scopes: ["read"], attribute: "group", summary: "group requires organization"),
        Case(organization: "my-org", group: "default", attribute: "group", summary: "group requires scopes"),
        Case(organization: "my-org", group: "default", scopes: [], attribute: "scopes", summary: "group requires scopes"),
        Case(organization: "my-org", scopes: ["read"], attribute: "scopes", summary: "scopes requires group"),
        Case(organization: "my-org", group: "default", scopes: ["read", "db:drop"], attribute: "scopes", summary: "Unknown scope \"db:drop\""),
        Case(organization: "my-org", group: "default", scopes: ["admin", "Read"], attribute: "scopes", summary: "Unknown scopes \"Read\", \"admin\""),
        Case(rotationPeriod: "monthly", attribute: "rotation_period", summary: "Invalid duration in rotation_period"),
        Case(rotationPeriod: "1 h", attribute: "rotation_period", summary: "Invalid duration in rotation_period"),
        Case(rotationPeriod: "0s", attribute: "rotation_period", summary: "rotation_period must be positive"),
        Case(rotationPeriod: "-1h", attribute: "rotation_period", summary: "rotation_period must be positive"),
    ]

    @Test("Each invalid setting is one error on its attribute, at validate and at plan, and nothing is sent", arguments: cases)
    func invalid(_ testCase: Case) async throws {
        let harness = try await ConfiguredProvider()
        let driver = APITokenDriver(resource: harness.resource)
        let config = driver.config(
            name: testCase.name, organization: testCase.organization, group: testCase.group, scopes: testCase.scopes,
            rotationPeriod: testCase.rotationPeriod
        )
        let validated = await driver.validate(config)
        #expect(validated.count == 1, "\(validated)")
        #expect(validated.first?.severity == .error)
        #expect(validated.first?.attribute == testCase.attribute)
        #expect(validated.first?.summary == testCase.summary)

        let planned = await driver.plan(config)
        #expect(planned.diagnostics == validated)
        #expect(harness.emulator.requestLog().isEmpty)
    }

    @Test("Valid configurations pass", arguments: [
        (String?.none, String?.none, [String]?.none, String?.none),
        ("my-org", nil, nil, "720h"),
        ("my-org", "default", ["read-only"], nil),
        ("my-org", "default", APITokenScopes.individual + ["read-only", "full-access"], "1h30m"),
    ])
    func valid(organization: String?, group: String?, scopes: [String]?, rotationPeriod: String?) async throws {
        let harness = try await ConfiguredProvider()
        let driver = APITokenDriver(resource: harness.resource)
        let config = driver.config(organization: organization, group: group, scopes: scopes, rotationPeriod: rotationPeriod)
        #expect(await driver.validate(config).isEmpty)
    }

    @Test("Values not known yet are not judged: a group with unknown organization or scopes passes")
    func unknownsPass() async throws {
        let harness = try await ConfiguredProvider()
        let driver = APITokenDriver(resource: harness.resource)
        let base = driver.config(group: "default")
        #expect(await driver.validate(base.setting(["organization": .unknown(.string), "scopes": .unknown(.set(.string))])).isEmpty)
        #expect(await driver.validate(base.setting([
            "organization": .string("my-org"), "scopes": .set(of: .string, [.unknown(.string)]),
        ])).isEmpty)
        let unknownGroup = driver.config(organization: "my-org", scopes: ["read"]).setting("group", to: .unknown(.string))
        #expect(await driver.validate(unknownGroup).isEmpty)
        let unknownPeriod = driver.config().setting("rotation_period", to: .unknown(.string))
        #expect(await driver.validate(unknownPeriod).isEmpty)
        let planned = await driver.plan(unknownPeriod)
        #expect(planned.diagnostics.isEmpty)
    }
}
