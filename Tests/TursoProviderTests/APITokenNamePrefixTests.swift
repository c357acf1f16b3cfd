import Foundation
import Testing
import TerraformPlugin
import TursoEmulator
@testable import TursoProvider

/// `name_prefix` on `turso_api_token`: a name chosen at apply, so a
/// replacement can exist beside the token it replaces.
@Suite("turso_api_token name_prefix")
struct APITokenNamePrefixTests {
    let harness: ConfiguredProvider
    let driver: APITokenDriver

    init() async throws {
        harness = try await ConfiguredProvider()
        #expect(harness.configureDiagnostics.isEmpty, "\(harness.configureDiagnostics)")
        driver = APITokenDriver(resource: harness.resource)
    }

    /// A configuration with `name_prefix` (and no `name` unless given).
    func config(prefix: String?, name: String? = nil, triggers: [String: String]? = nil) -> CtyValue {
        driver.config(triggers: triggers).setting([
            "name": name.map(CtyValue.string) ?? .null(.string),
            "name_prefix": prefix.map(CtyValue.string) ?? .null(.string),
        ])
    }

    /// Terraform's proposal: `name` is computed too, so a configuration
    /// without it proposes the prior name.
    func plan(_ config: CtyValue, prior: CtyValue, priorPrivate: [UInt8]) async -> PlanResourceChangeResponse {
        var proposed = driver.proposed(config, prior: prior)
        if config[attribute: "name"].isNull { proposed = proposed.setting("name", to: prior[attribute: "name"]) }
        return await driver.resource.plan(PlanResourceChangeRequest(
            typeName: "turso_api_token", priorState: prior, proposedNewState: proposed, config: config, priorPrivate: priorPrivate
        ))
    }

    @Test("Exactly one of name and name_prefix, and the prefix must be usable in a name")
    func validation() async {
        #expect(await driver.validate(config(prefix: "ci-")).isEmpty)
        let both = await driver.validate(config(prefix: "ci-", name: "ci"))
        #expect(both.map(\.summary) == ["name and name_prefix conflict"])
        #expect(both.first?.attribute == "name_prefix")
        #expect(await driver.validate(config(prefix: nil)).map(\.summary) == ["name or name_prefix required"])
        let spaced = await driver.validate(config(prefix: "ci pipeline-"))
        #expect(spaced.map(\.summary) == ["Invalid name_prefix"])
        #expect(spaced.first?.attribute == "name_prefix")
        // Unknown now: checked again at plan, once known.
        #expect(await driver.validate(config(prefix: "ci-").setting("name", to: .unknown(.string))).isEmpty)
        // Plan refuses what validate refuses, before anything is created.
        #expect(await driver.plan(config(prefix: "ci-", name: "ci")).diagnostics.hasErrors)
        #expect(harness.emulator.requestLog().isEmpty)
    }

    @Test("The name is unknown at plan and is the prefix and a random suffix after apply, shown in name")
    func createsWithSuffix() async throws {
        let planned = await driver.plan(config(prefix: "ci-"))
        #expect(planned.diagnostics.isEmpty, "\(planned.diagnostics)")
        #expect(!planned.plannedState[attribute: "name"].isKnown)
        #expect(harness.emulator.requestLog().isEmpty)

        let first = try await driver.create(config(prefix: "ci-"))
        let second = try await driver.create(config(prefix: "ci-"))
        let names = [first, second].compactMap { $0.newState[attribute: "name"].stringValue }
        #expect(names.count == 2 && names[0] != names[1])
        for name in names {
            #expect(name.hasPrefix("ci-") && name.count == 3 + 12, "\(name)")
            #expect(name.dropFirst(3).allSatisfy { $0.isHexDigit && !$0.isUppercase }, "\(name)")
        }
        #expect(Set(try harness.emulator.listed().compactMap { $0["name"] as? String }) == Set(names))
        // Read finds the token under its chosen name.
        let read = await driver.read(first.newState, private: first.private)
        #expect(read.newState == first.newState, "\(read.diagnostics)")
    }

    @Test("Same prefix keeps the token; a rotation or a new prefix plans a new unknown name")
    func updates() async throws {
        let created = try await driver.create(config(prefix: "ci-", triggers: ["release": "1"]))
        let prior = created.newState
        let name = try #require(prior[attribute: "name"].stringValue)

        let same = await plan(config(prefix: "ci-", triggers: ["release": "1"]), prior: prior, priorPrivate: created.private)
        #expect(same.requiresReplace.isEmpty)
        #expect(same.plannedState == prior)

        let rotated = await plan(config(prefix: "ci-", triggers: ["release": "2"]), prior: prior, priorPrivate: created.private)
        #expect(rotated.requiresReplace == ["triggers"])
        #expect(!rotated.plannedState[attribute: "name"].isKnown)

        let renamed = await plan(config(prefix: "deploy-", triggers: ["release": "1"]), prior: prior, priorPrivate: created.private)
        #expect(renamed.requiresReplace == ["name_prefix"])
        #expect(!renamed.plannedState[attribute: "name"].isKnown)

        // Writing the chosen name out instead of the prefix changes nothing in Turso.
        let pinned = await plan(config(prefix: nil, name: name, triggers: ["release": "1"]), prior: prior, priorPrivate: created.private)
        #expect(pinned.requiresReplace.isEmpty)
        #expect(pinned.plannedState[attribute: "name"] == .string(name))
        #expect(pinned.plannedState[attribute: "token"] == prior[attribute: "token"])
    }
}
