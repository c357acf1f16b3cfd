import Synchronization
@testable import TerraformPlugin

/// Everything the fakes were asked, in order, for tests to inspect.
final class FakeRecorder: Sendable {
    enum Call: Sendable {
        case validateProvider(ValidateProviderConfigRequest)
        case configure(ConfigureProviderRequest)
        case stop
        case validateResource(ValidateResourceConfigRequest)
        case upgrade(UpgradeResourceStateRequest)
        case plan(PlanResourceChangeRequest)
        case apply(ApplyResourceChangeRequest)
        case read(ReadResourceRequest)
        case importState(ImportResourceStateRequest)
        case validateDataSource(ValidateDataSourceConfigRequest)
        case readDataSource(ReadDataSourceRequest)
        /// A slow call began and is waiting to be cancelled.
        case slowStarted
        /// A slow call ended; `cancelled` tells whether it saw cancellation.
        case slowEnded(cancelled: Bool)
    }

    private let storage = Mutex<[Call]>([])
    private let schemaReadCount = Mutex(0)

    func record(_ call: Call) { storage.withLock { $0.append(call) } }

    /// How often the provider's own schema was asked for.
    var schemaReads: Int { schemaReadCount.withLock { $0 } }
    func recordSchemaRead() { schemaReadCount.withLock { $0 += 1 } }

    var calls: [Call] { storage.withLock { $0 } }

    /// Calls other than the slow-call markers: what reached the provider's API.
    var providerCalls: [Call] {
        calls.filter {
            switch $0 {
            case .slowStarted, .slowEnded: false
            default: true
            }
        }
    }
}

/// The fake resource's value type: `id` (computed), `name` (required),
/// `size` (optional number), `tags` (optional map of string).
enum FakeThing {
    static let typeName = "fake_thing"

    static var schema: Schema {
        Schema(
            version: 2,
            block: SchemaBlock(attributes: [
                .computed("id", .string, "The identifier."),
                .required("name", .string, "The name."),
                .optional("size", .number, "The size."),
                .optional("tags", .map(.string), "Tags."),
            ])
        )
    }

    static var type: CtyType { schema.impliedType }

    static func value(id: CtyValue = .null(.string), name: String, size: Int? = nil, tags: [String: String]? = nil) -> CtyValue {
        .object(type: type, [
            "id": id,
            "name": .string(name),
            "size": size.map { .number($0) } ?? .null(.number),
            "tags": tags.map { .map(of: .string, $0.mapValues { .string($0) }) } ?? .null(.map(.string)),
        ])
    }

    /// Names that make the fakes misbehave on purpose.
    static let slowName = "slow"
    static let invalidName = "invalid"

    /// A value that does not conform to the schema: `name` is a number.
    static var invalidValue: CtyValue {
        CtyValue(uncheckedType: type, storage: .attributes([
            "id": .string("x"), "name": .number(7), "size": .null(.number), "tags": .null(.map(.string)),
        ]))
    }
}

/// Waits until cancelled (or a long timeout), recording both ends.
func fakeSlowCall(_ recorder: FakeRecorder) async {
    recorder.record(.slowStarted)
    try? await Task.sleep(for: .seconds(30))
    recorder.record(.slowEnded(cancelled: Task.isCancelled))
}

struct FakeResource: ManagedResource {
    let recorder: FakeRecorder
    var typeName: String { FakeThing.typeName }
    var schema: Schema { FakeThing.schema }

    func validateConfig(_ request: ValidateResourceConfigRequest) async -> [Diagnostic] {
        recorder.record(.validateResource(request))
        if request.config[attribute: "name"].stringValue == "" {
            return [.error("Empty name", "Give the thing a name.", at: AttributePath("name"))]
        }
        return [.warning("Checked", "The configuration was checked.", at: AttributePath("tags").appending(key: "env"))]
    }

    func upgradeState(_ request: UpgradeResourceStateRequest) async -> UpgradeResourceStateResponse {
        recorder.record(.upgrade(request))
        if request.version == 99 { return UpgradeResourceStateResponse() }
        if request.version == 98 { return UpgradeResourceStateResponse(upgradedState: FakeThing.invalidValue) }
        return defaultUpgradeState(request)
    }

    func plan(_ request: PlanResourceChangeRequest) async -> PlanResourceChangeResponse {
        recorder.record(.plan(request))
        if request.proposedNewState.isNull {
            return PlanResourceChangeResponse(plannedState: request.proposedNewState, plannedPrivate: request.priorPrivate)
        }
        let name = request.proposedNewState[attribute: "name"].stringValue
        if name == FakeThing.invalidName {
            return PlanResourceChangeResponse(plannedState: FakeThing.invalidValue, plannedPrivate: request.priorPrivate)
        }
        var planned = request.proposedNewState
        var replace: [AttributePath] = []
        if request.priorState.isNull {
            planned = planned.setting("id", to: .unknown(.string))
        } else if request.priorState[attribute: "name"] != request.proposedNewState[attribute: "name"] {
            planned = planned.setting("id", to: .unknown(.string))
            replace = [AttributePath("name"), AttributePath("tags").appending(key: "env"), AttributePath([.attribute("list"), .index(3)])]
        }
        return PlanResourceChangeResponse(
            plannedState: planned, requiresReplace: replace, plannedPrivate: request.priorPrivate + [0x00, 0xFF],
            diagnostics: [.warning("Planned", "", at: AttributePath("size"))]
        )
    }

    func apply(_ request: ApplyResourceChangeRequest) async -> ApplyResourceChangeResponse {
        recorder.record(.apply(request))
        if request.plannedState.isNull { return ApplyResourceChangeResponse(newState: request.plannedState) }
        let name = request.plannedState[attribute: "name"].stringValue
        if name == FakeThing.slowName {
            await fakeSlowCall(recorder)
            return ApplyResourceChangeResponse(newState: request.priorState, diagnostics: [.error("Stopped", "The apply was cancelled.")])
        }
        if name == FakeThing.invalidName {
            return ApplyResourceChangeResponse(newState: FakeThing.invalidValue, private: [9])
        }
        return ApplyResourceChangeResponse(
            newState: request.plannedState.setting("id", to: .string("id-1")), private: Array(request.plannedPrivate.reversed())
        )
    }

    func read(_ request: ReadResourceRequest) async -> ReadResourceResponse {
        recorder.record(.read(request))
        let name = request.currentState[attribute: "name"].stringValue
        if name == FakeThing.slowName {
            await fakeSlowCall(recorder)
        }
        if name == FakeThing.invalidName {
            return ReadResourceResponse(newState: FakeThing.invalidValue, private: request.private)
        }
        if name == "gone" {
            return ReadResourceResponse(newState: .null(FakeThing.type), private: request.private)
        }
        return ReadResourceResponse(newState: request.currentState.setting("size", to: .number(42)), private: request.private)
    }

    func importState(_ request: ImportResourceStateRequest) async -> ImportResourceStateResponse {
        recorder.record(.importState(request))
        if request.id == FakeThing.slowName {
            await fakeSlowCall(recorder)
            return ImportResourceStateResponse(diagnostics: [.error("Stopped", "The import was cancelled.")])
        }
        if request.id == "elsewhere" {
            return ImportResourceStateResponse(importedResources: [
                ImportedResource(typeName: "fake_unknown", state: FakeThing.value(id: .string("a"), name: "a")),
            ])
        }
        return ImportResourceStateResponse(importedResources: [
            ImportedResource(typeName: typeName, state: FakeThing.value(id: .string(request.id), name: "imported"), private: [1, 2, 3]),
        ])
    }
}

/// The fake data source: `name` (required), `length` (computed number).
struct FakeDataSource: DataSource {
    let recorder: FakeRecorder
    static let typeName = "fake_lookup"
    static var schema: Schema {
        Schema(block: SchemaBlock(attributes: [
            .required("name", .string, "What to look up."),
            .computed("length", .number, "Its length."),
        ]))
    }
    static var type: CtyType { schema.impliedType }

    var typeName: String { Self.typeName }
    var schema: Schema { Self.schema }

    func validateConfig(_ request: ValidateDataSourceConfigRequest) async -> [Diagnostic] {
        recorder.record(.validateDataSource(request))
        return []
    }

    func read(_ request: ReadDataSourceRequest) async -> ReadDataSourceResponse {
        recorder.record(.readDataSource(request))
        let name = request.config[attribute: "name"].stringValue ?? ""
        if name == FakeThing.invalidName {
            return ReadDataSourceResponse(state: .object(["name": .string(name)]))
        }
        return ReadDataSourceResponse(state: request.config.setting("length", to: .number(name.count)))
    }
}

/// A provider with one fake resource and one fake data source. Its
/// configuration has one optional `endpoint`; its provider_meta one
/// optional `module`.
struct FakeProvider: Provider {
    var address: String { "registry.terraform.io/example/fake" }
    let recorder: FakeRecorder
    var extraResources: [any ManagedResource] = []

    static var schema: Schema { Schema(block: SchemaBlock(attributes: [.optional("endpoint", .string, "Where to connect.")])) }
    static var metaSchema: Schema { Schema(block: SchemaBlock(attributes: [.optional("module", .string, "The calling module.")])) }

    var schema: Schema {
        recorder.recordSchemaRead()
        return Self.schema
    }
    var providerMetaSchema: Schema? { Self.metaSchema }
    var resources: [any ManagedResource] { [FakeResource(recorder: recorder)] + extraResources }
    var dataSources: [any DataSource] { [FakeDataSource(recorder: recorder)] }

    func validateConfig(_ request: ValidateProviderConfigRequest) async -> [Diagnostic] {
        recorder.record(.validateProvider(request))
        return [.warning("Endpoint", "Checked.", at: AttributePath("endpoint"))]
    }

    func configure(_ request: ConfigureProviderRequest) async -> [Diagnostic] {
        recorder.record(.configure(request))
        return []
    }

    func stop() async {
        recorder.record(.stop)
    }
}
