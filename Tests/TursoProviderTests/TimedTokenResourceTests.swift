import Synchronization
import Testing
import TerraformPlugin
@testable import TursoProvider

/// Drives `turso_timed_token` through plan, apply and read with a manual
/// clock, as Terraform would, and checks expiry to the second.
@Suite("turso_timed_token lifecycle with a fake clock")
struct TimedTokenResourceTests {
    let start = UnixTime(seconds: 1_700_000_000)  // 2023-11-14T22:13:20Z
    let clock: ManualClock
    let resource: TimedTokenResource
    let type = TimedTokenResource.schema.impliedType

    static let key = "unit-test-private-state-key-0123456789abcdef"
    let vault = SodiumVault(current: SealingKey(secret: key, domain: PrivateStateKeys.sealingDomain))

    init() async {
        clock = ManualClock(start)
        let provider = TursoProvider(environment: [:], clock: clock, random: CountingRandomSource())
        let diagnostics = await provider.configure(ConfigureProviderRequest(
            terraformVersion: "1.0.3",
            config: .object(type: provider.schema.impliedType, ["private_state_key": .string(Self.key)])
        ))
        precondition(diagnostics.isEmpty, "\(diagnostics)")
        resource = provider.resources.compactMap { $0 as? TimedTokenResource }.first!
    }

    func opened(_ blob: [UInt8], id: CtyValue) -> PrivateStateFields? {
        guard case .sealed(let fields, _) = vault.open(blob, for: TimedTokenResource.binding(id: id.stringValue ?? "")) else { return nil }
        return fields
    }

    func config(name: String = "ci", ttl: String? = nil, renewBefore: String? = nil, triggers: [String: String]? = nil) -> CtyValue {
        CtyValue.object(type: type, [
            "name": .string(name),
            "ttl": ttl.map { .string($0) } ?? .null(.string),
            "renew_before": renewBefore.map { .string($0) } ?? .null(.string),
            "triggers": triggers.map { .map(of: .string, $0.mapValues { .string($0) }) } ?? .null(.map(.string)),
        ])
    }

    /// Terraform's proposed new state: config, with computed attributes the
    /// config leaves null taken from the prior state.
    func proposed(_ config: CtyValue, prior: CtyValue) -> CtyValue {
        guard !prior.isNull else { return config }
        var value = config
        for name in ["ttl", "renew_before", "id", "token", "expires_at"] where config[attribute: name].isNull {
            value = value.setting(name, to: prior[attribute: name])
        }
        return value
    }

    func plan(_ config: CtyValue, prior: CtyValue? = nil, priorPrivate: [UInt8] = []) async -> PlanResourceChangeResponse {
        let prior = prior ?? .null(type)
        return await resource.plan(PlanResourceChangeRequest(
            typeName: "turso_timed_token", priorState: prior, proposedNewState: proposed(config, prior: prior),
            config: config, priorPrivate: priorPrivate
        ))
    }

    func create(_ config: CtyValue) async throws -> ApplyResourceChangeResponse {
        let planned = await plan(config)
        #expect(planned.diagnostics.isEmpty)
        return await resource.apply(ApplyResourceChangeRequest(
            typeName: "turso_timed_token", priorState: .null(type), plannedState: planned.plannedState,
            config: config, plannedPrivate: planned.plannedPrivate
        ))
    }

    func read(_ state: CtyValue, private: [UInt8]) async -> ReadResourceResponse {
        await resource.read(ReadResourceRequest(typeName: "turso_timed_token", currentState: state, private: `private`))
    }

    @Test("Plan never mints: the computed values are unknown until apply")
    func planLeavesValuesUnknown() async {
        let response = await plan(config())
        #expect(response.diagnostics.isEmpty)
        for name in ["id", "token", "expires_at"] {
            #expect(!response.plannedState[attribute: name].isKnown, "\(name)")
        }
        #expect(response.plannedState[attribute: "ttl"] == .string("1h"))
        #expect(response.plannedState[attribute: "renew_before"] == .string("0s"))
    }

    @Test("Apply mints an id, a token and an expiry ttl from now")
    func applyMints() async throws {
        let response = try await create(config(ttl: "90m"))
        #expect(response.diagnostics.isEmpty)
        let state = response.newState
        let id = try #require(state[attribute: "id"].stringValue)
        let token = try #require(state[attribute: "token"].stringValue)
        #expect(id.hasPrefix("timed-token-id-") && id.count == "timed-token-id-".count + 36)
        #expect(token.hasPrefix("token-") && token.count == "token-".count + 36)
        #expect(id.dropFirst("timed-token-id-".count) != token.dropFirst("token-".count))
        #expect(state[attribute: "expires_at"] == .string("2023-11-14T23:43:20Z"))
        let sealed = try #require(opened(response.private, id: state[attribute: "id"]))
        #expect(sealed["token"] == token)
        #expect(sealed["expires_at"] == "2023-11-14T23:43:20Z")
    }

    @Test("A plan with nothing changed keeps the token")
    func noChangeKeepsToken() async throws {
        let created = try await create(config())
        let response = await plan(config(), prior: created.newState, priorPrivate: created.private)
        #expect(response.requiresReplace.isEmpty)
        #expect(response.plannedState == created.newState)
        #expect(response.plannedPrivate == created.private)
    }

    @Test("Read keeps the token stable before it expires")
    func readKeepsToken() async throws {
        let created = try await create(config(ttl: "10m"))
        clock.advance(by: .minutes(9))
        let response = await read(created.newState, private: created.private)
        #expect(response.newState == created.newState)
        #expect(response.private == created.private)
        #expect(response.diagnostics.isEmpty)
    }

    @Test("Once expired, Read removes the token and Plan forces replacement")
    func expiryRotates() async throws {
        let created = try await create(config(ttl: "10m"))
        clock.advance(by: .minutes(10))
        let readResponse = await read(created.newState, private: created.private)
        #expect(readResponse.newState.isNull)
        // -refresh=false: the plan alone must rotate.
        let planned = await plan(config(ttl: "10m"), prior: created.newState, priorPrivate: created.private)
        #expect(planned.requiresReplace == ["expires_at"])
        #expect(!planned.plannedState[attribute: "token"].isKnown)
    }

    @Test("One second before expiry the token is still kept")
    func notYetExpired() async throws {
        let created = try await create(config(ttl: "10m"))
        clock.advance(by: .seconds(599))
        #expect(await plan(config(ttl: "10m"), prior: created.newState).requiresReplace.isEmpty)
        #expect(!(await read(created.newState, private: created.private)).newState.isNull)
    }

    @Test("renew_before replaces the token that much earlier, and changes in place")
    func renewBefore() async throws {
        let created = try await create(config(ttl: "1h"))
        clock.advance(by: .minutes(50))
        let inPlace = await plan(config(ttl: "1h", renewBefore: "5m"), prior: created.newState, priorPrivate: created.private)
        #expect(inPlace.requiresReplace.isEmpty)
        #expect(inPlace.plannedState[attribute: "token"] == created.newState[attribute: "token"])
        #expect(inPlace.plannedState[attribute: "renew_before"] == .string("5m"))
        let due = await plan(config(ttl: "1h", renewBefore: "15m"), prior: created.newState, priorPrivate: created.private)
        #expect(due.requiresReplace == ["expires_at"])
    }

    @Test("Changing name, triggers or the ttl's length replaces the token")
    func replacements() async throws {
        let created = try await create(config(triggers: ["release": "1"]))
        let prior = created.newState
        #expect(await plan(config(name: "other", triggers: ["release": "1"]), prior: prior).requiresReplace == ["name"])
        #expect(await plan(config(triggers: ["release": "2"]), prior: prior).requiresReplace == ["triggers"])
        #expect(await plan(config(ttl: "2h", triggers: ["release": "1"]), prior: prior).requiresReplace == ["ttl"])
        // The same length written differently is not a change of lifetime.
        #expect(await plan(config(ttl: "60m", triggers: ["release": "1"]), prior: prior).requiresReplace.isEmpty)
    }

    @Test("Null and empty triggers are the same")
    func emptyTriggers() async throws {
        let created = try await create(config())
        #expect(await plan(config(triggers: [:]), prior: created.newState).requiresReplace.isEmpty)
    }

    @Test("Invalid durations are errors on the attribute, before anything is minted", arguments: [
        (String?("soon"), String?.none, "ttl"),
        ("0s", nil, "ttl"),
        ("500ms", nil, "ttl"),
        (nil, "-1m", "renew_before"),
        ("10m", "10m", "renew_before"),
        (nil, "2h", "renew_before"),
    ])
    func invalidDurations(ttl: String?, renewBefore: String?, attribute: String) async {
        let diagnostics = await resource.validateConfig(ValidateResourceConfigRequest(
            typeName: "turso_timed_token", config: config(ttl: ttl, renewBefore: renewBefore)
        ))
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.severity == .error)
        #expect(diagnostics.first?.attribute == AttributePath(attribute))
        let planned = await plan(config(ttl: ttl, renewBefore: renewBefore))
        #expect(planned.diagnostics.hasErrors)
    }

    @Test("Unknown settings at plan stay unknown and do not fail")
    func unknownSettings() async {
        let unknownTTL = config().setting("ttl", to: .unknown(.string))
        let response = await plan(unknownTTL)
        #expect(response.diagnostics.isEmpty)
        #expect(!response.plannedState[attribute: "ttl"].isKnown)
    }

    @Test("A token edited in the state file is restored from private state, with a warning")
    func repairsEditedState() async throws {
        let created = try await create(config())
        let edited = created.newState.setting("token", to: .string("token-tampered"))
        let response = await read(edited, private: created.private)
        #expect(response.newState == created.newState)
        #expect(response.diagnostics.map(\.severity) == [.warning])
        #expect(response.diagnostics.first?.summary.contains(created.newState[attribute: "id"].stringValue!) == true)
    }

    @Test("Unreadable private state is kept byte for byte and only warned about")
    func unreadablePrivateKept() async throws {
        let created = try await create(config())
        let garbage: [UInt8] = [0x01, 0x02, 0x03]
        let response = await read(created.newState, private: garbage)
        #expect(response.private == garbage)
        #expect(response.newState == created.newState)
        #expect(response.diagnostics.map(\.severity) == [.warning])
    }

    @Test("A state without private state, or with plain private state, is sealed on the next read")
    func legacyPrivateUpgraded() async throws {
        let created = try await create(config())
        let token = created.newState[attribute: "token"].stringValue
        let fromEmpty = await read(created.newState, private: [])
        #expect(opened(fromEmpty.private, id: created.newState[attribute: "id"])?["token"] == token)

        let plain = PlainPrivateState.encode(PrivateStateFields([
            "token": token!, "expires_at": created.newState[attribute: "expires_at"].stringValue!,
        ]))
        let fromPlain = await read(created.newState, private: plain)
        #expect(fromPlain.private.first == SodiumVault.formatVersion)
        #expect(opened(fromPlain.private, id: created.newState[attribute: "id"])?["token"] == token)
        #expect(fromPlain.diagnostics.isEmpty)
    }

    @Test("Destroy plans and applies to null")
    func destroy() async throws {
        let created = try await create(config())
        let planned = await resource.plan(PlanResourceChangeRequest(
            typeName: "turso_timed_token", priorState: created.newState, proposedNewState: .null(type),
            config: .null(type), priorPrivate: created.private
        ))
        #expect(planned.plannedState.isNull)
        let applied = await resource.apply(ApplyResourceChangeRequest(
            typeName: "turso_timed_token", priorState: created.newState, plannedState: .null(type),
            config: .null(type), plannedPrivate: planned.plannedPrivate
        ))
        #expect(applied.newState.isNull)
        #expect(applied.diagnostics.isEmpty)
    }

    @Test("Import is refused with an explanation")
    func importRefused() async {
        let response = await resource.importState(ImportResourceStateRequest(typeName: "turso_timed_token", id: "x"))
        #expect(response.importedResources.isEmpty)
        #expect(response.diagnostics.first?.summary == "turso_timed_token cannot be imported")
    }
}

/// Distinct, predictable bytes on every call.
final class CountingRandomSource: RandomSource {
    private let counter = Mutex<UInt8>(0)
    func bytes(_ count: Int) -> [UInt8] {
        let next = counter.withLock { value -> UInt8 in
            value &+= 1
            return value
        }
        return (0..<count).map { UInt8(truncatingIfNeeded: Int(next) &* 31 &+ $0) }
    }
}
