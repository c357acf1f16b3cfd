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
        for name in ["ttl", "renew_before", "id", "token", "expires_at", "sealed_token", "token_version"] where config[attribute: name].isNull {
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

    @Test("Once expired, Read keeps the token and Plan forces replacement, after a refresh or without one")
    func expiryRotates() async throws {
        let created = try await create(config(ttl: "10m"))
        clock.advance(by: .minutes(10))
        // Kept, so the plan replaces it (and its replace_triggered_by dependents).
        let readResponse = await read(created.newState, private: created.private)
        #expect(readResponse.newState == created.newState)
        #expect(readResponse.private == created.private)
        let refreshed = await plan(config(ttl: "10m"), prior: readResponse.newState, priorPrivate: readResponse.private)
        #expect(refreshed.requiresReplace == ["expires_at"])
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
        #expect(await read(created.newState, private: created.private).newState == created.newState)
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

    @Test("A state without private state has its values sealed on the next read, with a warning that they were unchecked")
    func emptyPrivateSealed() async throws {
        let created = try await create(config())
        let token = created.newState[attribute: "token"].stringValue
        let fromEmpty = await read(created.newState, private: [])
        #expect(opened(fromEmpty.private, id: created.newState[attribute: "id"])?["token"] == token)
        #expect(fromEmpty.newState == created.newState)
        #expect(fromEmpty.diagnostics.map(\.severity) == [.warning])
        #expect(fromEmpty.diagnostics.first?.summary.hasSuffix("was empty") == true)
    }

    @Test("Plain JSON private state is never believed over the state: kept as it is, and reported")
    func plainPrivateNotTrusted() async throws {
        let created = try await create(config())
        let plain = PlainPrivateState.encode(PrivateStateFields(["token": "injected", "expires_at": "2000-01-01T00:00:00Z"]))
        let fromPlain = await read(created.newState, private: plain)
        #expect(fromPlain.newState == created.newState)
        #expect(fromPlain.private == plain)
        #expect(fromPlain.diagnostics.map(\.severity) == [.warning])
        #expect(fromPlain.diagnostics.first?.summary.hasSuffix("is not sealed") == true)
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

/// `seal_token = true` and `token_version` on `turso_timed_token`.
@Suite("turso_timed_token with seal_token")
struct TimedTokenSealTokenTests {
    let base: TimedTokenResourceTests

    init() async { base = await TimedTokenResourceTests() }

    func config(seal: Bool?) -> CtyValue { base.config().setting("seal_token", to: seal.map(CtyValue.bool) ?? .null(.bool)) }

    @Test("token is null in plan and state; sealed_token opens to the token; private state holds no value")
    func sealedOnly() async throws {
        let planned = await base.plan(config(seal: true))
        #expect(planned.plannedState[attribute: "token"] == .null(.string))
        #expect(!planned.plannedState[attribute: "sealed_token"].isKnown)
        let created = try await base.create(config(seal: true))
        let state = created.newState
        #expect(created.diagnostics.isEmpty)
        #expect(state[attribute: "token"] == .null(.string))
        let id = try #require(state[attribute: "id"].stringValue)
        let token = try SealedToken.open(try #require(state[attribute: "sealed_token"].stringValue), vault: base.vault).get()
        #expect(token.hasPrefix(TimedTokenResource.tokenPrefix))
        #expect(state[attribute: "token_version"] == .number(CtyNumber(base.start.seconds * 1000)))
        guard case .sealed(let fields, _) = base.vault.open(created.private, for: TimedTokenResource.sealedOnly.binding(id: id)) else {
            Issue.record("private state does not open as sealed-only")
            return
        }
        #expect(fields.values.keys.sorted() == ["expires_at", "sealed_token"])
        let read = await base.read(state, private: created.private)
        #expect(read.newState == state && read.diagnostics.isEmpty)
        // Changing seal_token replaces; null and false are the same.
        #expect(await base.plan(config(seal: false), prior: state).requiresReplace == ["seal_token"])
        let plain = try await base.create(config(seal: nil))
        #expect(await base.plan(config(seal: false), prior: plain.newState).requiresReplace.isEmpty)
    }

    @Test("A state from before token_version gets it back from expires_at and ttl on read")
    func tokenVersionFromOldState() async throws {
        let created = try await base.create(base.config(ttl: "10m"))
        let old = created.newState.setting("token_version", to: .null(.number))
        base.clock.advance(by: .minutes(3))
        let read = await base.read(old, private: created.private)
        #expect(read.newState[attribute: "token_version"] == .number(CtyNumber(base.start.seconds * 1000)))
    }
}
