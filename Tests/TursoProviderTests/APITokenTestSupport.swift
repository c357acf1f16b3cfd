import Foundation
import Testing
import TerraformPlugin
import TursoEmulator
@testable import TursoProvider

/// A provider configured against an in-process emulator over real HTTP,
/// with a manual clock and retries whose waits are recorded, not slept.
struct ConfiguredProvider {
    static let privateStateKey = "unit-test-private-state-key-0123456789abcdef"
    static let start = UnixTime(seconds: 1_700_000_000)  // 2023-11-14T22:13:20Z

    let emulator: TursoAPIEmulator
    let clock: ManualClock
    let sleeps: SleepRecorder
    let provider: TursoProvider
    let configureDiagnostics: [Diagnostic]

    /// - apiToken: `.string(...)`, `.null(.string)` (not set) or `.unknown(.string)`.
    init(
        emulator: TursoAPIEmulator? = nil, apiToken: CtyValue = .string(emulatorAdminToken),
        privateStateKey: String = Self.privateStateKey, previousKeys: [String] = [], clock: ManualClock? = nil,
        environment: [String: String] = [:]
    ) async throws {
        self.emulator = try emulator ?? startedEmulator()
        self.clock = clock ?? ManualClock(Self.start)
        let sleeps = SleepRecorder()
        self.sleeps = sleeps
        var options = TursoClient.Options()
        options.sleep = { try await sleeps.sleep($0) }
        options.random = { 0.5 }
        options.requestTimeout = .seconds(10)
        provider = TursoProvider(environment: environment, clock: self.clock, random: CountingRandomSource(), apiOptions: options)
        configureDiagnostics = await provider.configure(ConfigureProviderRequest(
            terraformVersion: "1.0.3",
            config: .object(type: provider.schema.impliedType, [
                "api_token": apiToken,
                "base_url": .string(self.emulator.baseURL),
                "private_state_key": .string(privateStateKey),
                "private_state_previous_keys": previousKeys.isEmpty
                    ? .null(.list(.string)) : .list(of: .string, previousKeys.map(CtyValue.string)),
            ])
        ))
    }

    var resource: APITokenResource { provider.resources.compactMap { $0 as? APITokenResource }.first! }
    var tokens: APITokensDataSource { provider.dataSources.compactMap { $0 as? APITokensDataSource }.first! }
    var validation: APITokenValidationDataSource {
        provider.dataSources.compactMap { $0 as? APITokenValidationDataSource }.first!
    }
}

/// Drives `turso_api_token` the way Terraform does: plan, then apply what was planned.
struct APITokenDriver {
    let resource: APITokenResource
    let type = APITokenResource.schema.impliedType
    static let computed = ["id", "token", "created_at"]
    /// Every computed attribute, as Terraform's proposal carries them over.
    static let allComputed = computed + ["sealed_token", "token_version"]

    func config(
        name: String = "ci", organization: String? = nil, group: String? = nil, scopes: [String]? = nil,
        rotationPeriod: String? = nil, triggers: [String: String]? = nil
    ) -> CtyValue {
        CtyValue.object(type: type, [
            "name": .string(name),
            "organization": organization.map(CtyValue.string) ?? .null(.string),
            "group": group.map(CtyValue.string) ?? .null(.string),
            "scopes": scopes.map { .set(of: .string, $0.map(CtyValue.string)) } ?? .null(.set(.string)),
            "rotation_period": rotationPeriod.map(CtyValue.string) ?? .null(.string),
            "triggers": triggers.map { .map(of: .string, $0.mapValues(CtyValue.string)) } ?? .null(.map(.string)),
        ])
    }

    /// Terraform's proposal: the configuration, with the computed attributes
    /// it leaves null taken from the prior state.
    func proposed(_ config: CtyValue, prior: CtyValue) -> CtyValue {
        guard !prior.isNull else { return config }
        return config.setting(Dictionary(uniqueKeysWithValues: Self.allComputed.map { ($0, prior[attribute: $0]) }))
    }

    func validate(_ config: CtyValue) async -> [Diagnostic] {
        await resource.validateConfig(ValidateResourceConfigRequest(typeName: "turso_api_token", config: config))
    }

    func plan(_ config: CtyValue, prior: CtyValue? = nil, priorPrivate: [UInt8] = []) async -> PlanResourceChangeResponse {
        let prior = prior ?? .null(type)
        return await resource.plan(PlanResourceChangeRequest(
            typeName: "turso_api_token", priorState: prior, proposedNewState: proposed(config, prior: prior),
            config: config, priorPrivate: priorPrivate
        ))
    }

    func apply(_ planned: PlanResourceChangeResponse, config: CtyValue, prior: CtyValue? = nil) async -> ApplyResourceChangeResponse {
        await resource.apply(ApplyResourceChangeRequest(
            typeName: "turso_api_token", priorState: prior ?? .null(type), plannedState: planned.plannedState,
            config: config, plannedPrivate: planned.plannedPrivate
        ))
    }

    /// Plans and applies a create; fails the test on any diagnostic.
    func create(_ config: CtyValue, sourceLocation: SourceLocation = #_sourceLocation) async throws -> ApplyResourceChangeResponse {
        let planned = await plan(config)
        #expect(planned.diagnostics.isEmpty, "\(planned.diagnostics)", sourceLocation: sourceLocation)
        let applied = await apply(planned, config: config)
        #expect(applied.diagnostics.isEmpty, "\(applied.diagnostics)", sourceLocation: sourceLocation)
        try #require(!applied.newState.isNull, sourceLocation: sourceLocation)
        return applied
    }

    func read(_ state: CtyValue, private: [UInt8]) async -> ReadResourceResponse {
        await resource.read(ReadResourceRequest(typeName: "turso_api_token", currentState: state, private: `private`))
    }

    func destroy(_ state: CtyValue, private: [UInt8]) async -> ApplyResourceChangeResponse {
        await resource.apply(ApplyResourceChangeRequest(
            typeName: "turso_api_token", priorState: state, plannedState: .null(type), config: .null(type), plannedPrivate: `private`
        ))
    }

    func importState(_ id: String) async -> ImportResourceStateResponse {
        await resource.importState(ImportResourceStateRequest(typeName: "turso_api_token", id: id))
    }
}

extension CtyValue {
    /// The strings of a set or list, sorted.
    var sortedStrings: [String]? { elements?.compactMap(\.stringValue).sorted() }
}

extension Array where Element == Diagnostic {
    /// Summaries and details together, for checks that no secret leaks into any of them.
    var allText: String { map { "\($0.summary)\n\($0.detail)" }.joined(separator: "\n") }
}
