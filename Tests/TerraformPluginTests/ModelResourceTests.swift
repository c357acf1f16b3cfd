import Synchronization
import Testing
@testable import TerraformPlugin

/// A small resource on the create/read/update/delete layer: `name`
/// replaces it, `size` replaces it only when its number changes (`"10"` and
/// `"010"` are the same size), `tier` has a default, `serial` keeps its
/// value until a replacement, `updated_at` is decided at every change, and
/// `expires` forces a replacement from `modifyPlan` once it is `"past"`.
private struct Gadget: ModelResource {
    struct Model: ObjectModel {
        enum Key: String, ModelKey {
            case name, size, tier, expires, serial, updatedAt = "updated_at", tags
        }

        var name: Field<String>
        var size: Field<String>
        var tier: Field<String>
        var expires: Field<String>
        var serial: Field<CtyNumber>
        var updatedAt: Field<String>
        var tags: CtyValue

        init(reading object: ModelReader<Key>) {
            name = object[.name]
            size = object[.size]
            tier = object[.tier]
            expires = object[.expires]
            serial = object[.serial]
            updatedAt = object[.updatedAt]
            tags = object[raw: .tags]
        }

        func write(to object: inout ModelWriter<Key>) {
            object.set(.name, name)
            object.set(.size, size)
            object.set(.tier, tier)
            object.set(.expires, expires)
            object.set(.serial, serial)
            object.set(.updatedAt, updatedAt)
            object.set(raw: .tags, tags)
        }
    }

    /// What the layer called, in order.
    final class CallLog: Sendable {
        let calls = Mutex<[String]>([])
    }

    let log = CallLog()

    var typeName: String { "test_gadget" }

    static let schema = Schema(block: SchemaBlock(attributes: [
        .required("name", .string, "Replaces.").requiresReplace(),
        .optional("size", .string, "Replaces when the number changes.").requiresReplace(if: { prior, planned in
            guard let one = prior.stringValue.flatMap({ Int($0) }), let other = planned.stringValue.flatMap({ Int($0) }) else {
                return prior != planned
            }
            return one != other
        }),
        .optionalComputed("tier", .string, "Defaults to basic.").defaultValue(.string("basic")),
        .optional("expires", .string, "past forces a replacement."),
        .optional("tags", .list(.string), "Changes in place."),
        .computed("serial", .number, "Kept until replaced.").useStateForUnknown(),
        .computed("updated_at", .string, "New at every change."),
    ]))

    var schema: Schema { Self.schema }

    func modifyPlan(_ plan: inout ModelPlan<Model>) async {
        log.calls.withLock { $0.append("modifyPlan") }
        if plan.config.name.value == "invalid" {
            plan.diagnostics.append(.error("Invalid name", at: "name"))
            return
        }
        if plan.planned.expires.value == "past" { plan.requireReplace("expires") }
    }

    func planDestroy(prior: Model, private: [UInt8]) async -> [Diagnostic] {
        [.warning("Destroying \(prior.name.value ?? "?")")]
    }

    func create(planned: Model, config: Model) async -> ModelResult<Model> {
        log.calls.withLock { $0.append("create") }
        var state = planned
        state.serial = .known(CtyNumber(42))
        state.updatedAt = "now"
        return ModelResult(state: state, private: [1])
    }

    func update(prior: Model, planned: Model, config: Model, private: [UInt8]) async -> ModelResult<Model> {
        log.calls.withLock { $0.append("update") }
        var state = planned
        state.updatedAt = "later"
        return ModelResult(state: state, private: `private` + [2])
    }

    func delete(prior: Model, private: [UInt8]) async -> ModelResult<Model> {
        log.calls.withLock { $0.append("delete") }
        if prior.name.value == "stuck" { return ModelResult(state: prior, private: `private`, diagnostics: [.error("Still there")]) }
        return .removed()
    }
}

@Suite("ModelResource: plan behaviour declared on the schema, create/read/update/delete on models")
struct ModelResourceTests {
    private let resource = Gadget()
    let type = Gadget.schema.impliedType

    func config(name: String = "a", size: String? = nil, tier: String? = nil, expires: String? = nil, tags: CtyValue? = nil) -> CtyValue {
        .object(type: type, [
            "name": .string(name),
            "size": size.map(CtyValue.string) ?? .null(.string),
            "tier": tier.map(CtyValue.string) ?? .null(.string),
            "expires": expires.map(CtyValue.string) ?? .null(.string),
            "tags": tags ?? .null(.list(.string)),
        ])
    }

    /// Terraform's proposal: the configuration, with computed attributes
    /// it leaves null taken from the prior state.
    func proposed(_ config: CtyValue, prior: CtyValue) -> CtyValue {
        guard !prior.isNull else { return config }
        var value = config
        for name in ["tier", "serial", "updated_at"] where config[attribute: name].isNull {
            value = value.setting(name, to: prior[attribute: name])
        }
        return value
    }

    func plan(_ config: CtyValue, prior: CtyValue? = nil, priorPrivate: [UInt8] = []) async -> PlanResourceChangeResponse {
        let prior = prior ?? .null(type)
        return await resource.plan(PlanResourceChangeRequest(
            typeName: "test_gadget", priorState: prior, proposedNewState: proposed(config, prior: prior), config: config,
            priorPrivate: priorPrivate
        ))
    }

    /// A stored state as create would leave it.
    func state(name: String = "a", size: String? = nil, tier: String = "basic", expires: String? = nil) -> CtyValue {
        config(name: name, size: size, tier: tier, expires: expires)
            .setting(["serial": .number(7), "updated_at": .string("then")])
    }

    @Test("Create: computed attributes the configuration leaves null are unknown; defaults are planned")
    func create() async {
        let planned = await plan(config())
        #expect(planned.diagnostics.isEmpty)
        #expect(planned.requiresReplace.isEmpty)
        #expect(planned.plannedState[attribute: "serial"] == .unknown(.number))
        #expect(planned.plannedState[attribute: "updated_at"] == .unknown(.string))
        #expect(planned.plannedState[attribute: "tier"] == .string("basic"))
        #expect(planned.plannedState[attribute: "name"] == .string("a"))

        let configured = await plan(config(tier: "gold"))
        #expect(configured.plannedState[attribute: "tier"] == .string("gold"))
    }

    @Test("No change: the prior state is planned as it is")
    func noChange() async {
        let prior = state()
        let planned = await plan(config(), prior: prior, priorPrivate: [9])
        #expect(planned.plannedState == prior)
        #expect(planned.requiresReplace.isEmpty)
        #expect(planned.plannedPrivate == [9])
    }

    @Test("In-place update: use-state-for-unknown attributes keep the prior value, other computed ones become unknown")
    func inPlaceUpdate() async {
        let planned = await plan(config(tags: .list(of: .string, [.string("x")])), prior: state())
        #expect(planned.requiresReplace.isEmpty)
        #expect(planned.plannedState[attribute: "serial"] == .number(7))
        #expect(planned.plannedState[attribute: "updated_at"] == .unknown(.string))
        #expect(planned.plannedState[attribute: "tier"] == .string("basic"))
    }

    @Test("A default is planned on update too: removing a configured value goes back to it")
    func defaultOnUpdate() async {
        let planned = await plan(config(), prior: state(tier: "gold"))
        #expect(planned.plannedState[attribute: "tier"] == .string("basic"))
    }

    @Test("Requires-replace paths come from the schema; a replacement plans every computed value anew")
    func replace() async {
        let renamed = await plan(config(name: "b"), prior: state())
        #expect(renamed.requiresReplace == ["name"])
        #expect(renamed.plannedState[attribute: "serial"] == .unknown(.number))
        #expect(renamed.plannedState[attribute: "updated_at"] == .unknown(.string))

        let unknownName = await plan(config().setting("name", to: .unknown(.string)), prior: state())
        #expect(unknownName.requiresReplace == ["name"], "an unknown may turn out different")
    }

    @Test("A requires-replace rule decides what counts as a change")
    func replaceRule() async {
        let prior = state(size: "10")
        let sameSize = await plan(config(size: "010"), prior: prior)
        #expect(sameSize.requiresReplace.isEmpty)
        #expect(sameSize.plannedState[attribute: "size"] == .string("010"), "the configuration's spelling is planned")
        #expect(sameSize.plannedState[attribute: "serial"] == .number(7))

        #expect(await plan(config(size: "11"), prior: prior).requiresReplace == ["size"])
        #expect(await plan(config(size: "11", tier: "gold"), prior: prior).requiresReplace == ["size"], "tier changes in place")
    }

    @Test("modifyPlan may force a replacement, which marks computed values unknown as any replacement does")
    func resourceReplace() async {
        let prior = state()
        let planned = await plan(config(expires: "past"), prior: prior)
        #expect(planned.requiresReplace == ["expires"])
        #expect(planned.plannedState[attribute: "serial"] == .unknown(.number))

        // On create there is nothing to replace.
        let created = await plan(config(expires: "past"))
        #expect(created.requiresReplace.isEmpty)
    }

    @Test("An error from modifyPlan returns the proposed state unchanged, with the diagnostics")
    func planError() async {
        let config = config(name: "invalid")
        let planned = await plan(config, prior: state(), priorPrivate: [3])
        #expect(planned.diagnostics.map(\.summary) == ["Invalid name"])
        #expect(planned.plannedState == proposed(config, prior: state()))
        #expect(planned.requiresReplace.isEmpty)
        #expect(planned.plannedPrivate == [3])
    }

    @Test("Destroy: planned null, the prior private state carried forward, planDestroy's diagnostics; modifyPlan not called")
    func planDestroy() async {
        let planned = await resource.plan(PlanResourceChangeRequest(
            typeName: "test_gadget", priorState: state(), proposedNewState: .null(type), config: .null(type), priorPrivate: [5]
        ))
        #expect(planned.plannedState == .null(type))
        #expect(planned.plannedPrivate == [5])
        #expect(planned.diagnostics.map(\.summary) == ["Destroying a"])
        #expect(resource.log.calls.withLock { $0 }.isEmpty)
    }

    @Test("Unknowns keep their refinements when the plan leaves them as they are")
    func refinementsKept() async {
        var refinements = CtyRefinements()
        refinements.stringPrefix = "ab"
        let refined = CtyValue.unknown(.string, refinements: refinements)
        let planned = await plan(config(size: "1").setting("expires", to: refined))
        #expect(planned.plannedState[attribute: "expires"] == refined)
    }

    @Test("A known list holding an unknown passes through as Terraform sent it")
    func unknownElements() async {
        let tags = CtyValue.list(of: .string, [.string("x"), .unknown(.string)])
        let planned = await plan(config(tags: tags), prior: state())
        #expect(planned.plannedState[attribute: "tags"] == tags)
    }

    @Test("Apply calls create, update or delete, and converts the model back")
    func applyDispatch() async {
        let createPlan = await plan(config())
        let created = await resource.apply(ApplyResourceChangeRequest(
            typeName: "test_gadget", priorState: .null(type), plannedState: createPlan.plannedState, config: config(), plannedPrivate: []
        ))
        #expect(created.diagnostics.isEmpty)
        #expect(created.newState == config(tier: "basic").setting(["serial": .number(42), "updated_at": .string("now")]))
        #expect(created.private == [1])

        let updatePlan = await plan(config(tags: .list(of: .string, [])), prior: created.newState, priorPrivate: created.private)
        let updated = await resource.apply(ApplyResourceChangeRequest(
            typeName: "test_gadget", priorState: created.newState, plannedState: updatePlan.plannedState,
            config: config(tags: .list(of: .string, [])), plannedPrivate: updatePlan.plannedPrivate
        ))
        #expect(updated.newState[attribute: "updated_at"] == .string("later"))
        #expect(updated.newState[attribute: "serial"] == .number(42))
        #expect(updated.private == [1, 2])

        let deleted = await resource.apply(ApplyResourceChangeRequest(
            typeName: "test_gadget", priorState: updated.newState, plannedState: .null(type), config: .null(type), plannedPrivate: updated.private
        ))
        #expect(deleted.newState == .null(type))
        #expect(deleted.private.isEmpty)
        #expect(resource.log.calls.withLock { $0 } == ["modifyPlan", "create", "modifyPlan", "update", "delete"])
    }

    @Test("A delete that fails keeps the prior state, exactly")
    func deleteFails() async {
        let prior = state(name: "stuck")
        let deleted = await resource.apply(ApplyResourceChangeRequest(
            typeName: "test_gadget", priorState: prior, plannedState: .null(type), config: .null(type), plannedPrivate: [4]
        ))
        #expect(deleted.newState == prior)
        #expect(deleted.private == [4])
        #expect(deleted.diagnostics.map(\.summary) == ["Still there"])
    }

    @Test("The default read keeps the state and private state; a null state stays null")
    func defaultRead() async {
        let read = await resource.read(ReadResourceRequest(typeName: "test_gadget", currentState: state(), private: [8]))
        #expect(read.newState == state())
        #expect(read.private == [8])
        let gone = await resource.read(ReadResourceRequest(typeName: "test_gadget", currentState: .null(type), private: []))
        #expect(gone.newState == .null(type))
    }
}
