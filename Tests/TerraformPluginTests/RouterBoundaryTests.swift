import CTFPlugin6
import Testing
@testable import TerraformPlugin

/// The one rule at the boundary: every request value is checked against its
/// role before provider code sees it. These tests send every combination of
/// odd top-level values to every RPC that carries values and check that a
/// request reaches the provider exactly when the protocol allows its values,
/// and is otherwise answered with an error diagnostic naming the RPC.
@Suite("Router: each request value is checked against its role before the provider sees it")
struct RouterBoundaryTests {
    /// A top-level value as a host might send it.
    enum Variant: String, CaseIterable, CustomStringConvertible {
        case valid, null, unknown, refinedUnknown, emptyObject, jsonNull, unknownInside

        var description: String { rawValue }

        /// The DynamicValue: msgpack, except `jsonNull`.
        func dynamicValue(valid: [UInt8], unknownInside: [UInt8], _ arena: WireArena) -> UnsafeMutablePointer<Tfplugin6__DynamicValue> {
            switch self {
            case .valid: dynamic(valid, arena)
            case .null: dynamic([0xC0], arena)
            case .unknown: dynamic([0xD4, 0x00, 0x00], arena)
            // Extension 12, refinements {1: false}: "definitely not null".
            case .refinedUnknown: dynamic([0xC7, 0x03, 0x0C, 0x81, 0x01, 0xC2], arena)
            case .emptyObject: dynamic([0x80], arena)
            case .jsonNull: dynamicJSON("null", arena)
            case .unknownInside: dynamic(unknownInside, arena)
            }
        }

        var isNull: Bool { self == .null || self == .jsonNull }
    }

    /// A value field of a request, and what the protocol lets it be.
    struct Field {
        var name: String
        var nullAllowed: Bool
        var unknownsInside: Bool
    }

    struct Method {
        var name: String
        var typeName: String
        var fields: [Field]
        /// The two fields that must not both be null (prior and new state).
        var notBothNull: (String, String)?
    }

    static let thing = (valid: fakeThingMP(name: .str("a")), unknownInside: fakeThingMP(name: .unknown))
    static let lookup = (valid: MP.map([("name", .str("a")), ("length", .null)]).bytes, unknownInside: MP.map([("name", .unknown), ("length", .null)]).bytes)
    static let providerConfig = (valid: MP.map([("endpoint", .str("x"))]).bytes, unknownInside: MP.map([("endpoint", .unknown)]).bytes)

    static let config = Field(name: "config", nullAllowed: false, unknownsInside: true)
    static let methods: [Method] = [
        Method(name: "ValidateProviderConfig", typeName: "", fields: [config]),
        Method(name: "ConfigureProvider", typeName: "", fields: [config]),
        Method(name: "ValidateResourceConfig", typeName: "fake_thing", fields: [config]),
        Method(name: "ReadResource", typeName: "fake_thing", fields: [Field(name: "current_state", nullAllowed: false, unknownsInside: false)]),
        Method(name: "PlanResourceChange", typeName: "fake_thing", fields: [
            Field(name: "prior_state", nullAllowed: true, unknownsInside: false),
            Field(name: "proposed_new_state", nullAllowed: true, unknownsInside: true),
            Field(name: "config", nullAllowed: true, unknownsInside: true),
        ], notBothNull: ("prior_state", "proposed_new_state")),
        Method(name: "ApplyResourceChange", typeName: "fake_thing", fields: [
            Field(name: "prior_state", nullAllowed: true, unknownsInside: false),
            Field(name: "planned_state", nullAllowed: true, unknownsInside: true),
            Field(name: "config", nullAllowed: true, unknownsInside: true),
        ], notBothNull: ("prior_state", "planned_state")),
        Method(name: "ValidateDataResourceConfig", typeName: "fake_lookup", fields: [config]),
        Method(name: "ReadDataSource", typeName: "fake_lookup", fields: [config]),
    ]

    /// Every assignment of variants to a method's fields.
    static func combinations(_ count: Int) -> [[Variant]] {
        (0..<count).reduce([[]]) { partial, _ in partial.flatMap { prefix in Variant.allCases.map { prefix + [$0] } } }
    }

    static func allowed(_ method: Method, _ variants: [Variant]) -> Bool {
        for (field, variant) in zip(method.fields, variants) {
            switch variant {
            case .valid, .emptyObject: continue
            case .null, .jsonNull: if !field.nullAllowed { return false }
            case .unknown, .refinedUnknown: return false
            case .unknownInside: if !field.unknownsInside { return false }
            }
        }
        if let (a, b) = method.notBothNull {
            let byName = Dictionary(uniqueKeysWithValues: zip(method.fields.map(\.name), variants))
            if byName[a]?.isNull == true && byName[b]?.isNull == true { return false }
        }
        return true
    }

    static func request(_ method: Method, _ variants: [Variant]) -> [UInt8] {
        let byName = Dictionary(uniqueKeysWithValues: zip(method.fields.map(\.name), variants))
        let values = switch method.typeName {
        case "fake_thing": thing
        case "fake_lookup": lookup
        default: providerConfig
        }
        func value(_ field: String, _ arena: WireArena) -> UnsafeMutablePointer<Tfplugin6__DynamicValue>? {
            byName[field].map { $0.dynamicValue(valid: values.valid, unknownInside: values.unknownInside, arena) }
        }
        switch method.name {
        case "ValidateProviderConfig":
            return TerraformPluginTests.request(Tfplugin6__ValidateProviderConfig__Request.self) { arena, message in
                message.pointee.config = value("config", arena)
            }
        case "ConfigureProvider":
            return TerraformPluginTests.request(Tfplugin6__ConfigureProvider__Request.self) { arena, message in
                message.pointee.config = value("config", arena)
            }
        case "ValidateResourceConfig":
            return TerraformPluginTests.request(Tfplugin6__ValidateResourceConfig__Request.self) { arena, message in
                message.pointee.type_name = arena.string(method.typeName)
                message.pointee.config = value("config", arena)
            }
        case "ReadResource":
            return TerraformPluginTests.request(Tfplugin6__ReadResource__Request.self) { arena, message in
                message.pointee.type_name = arena.string(method.typeName)
                message.pointee.current_state = value("current_state", arena)
                message.pointee.private_ = arena.bytes([5, 6])
            }
        case "PlanResourceChange":
            return TerraformPluginTests.request(Tfplugin6__PlanResourceChange__Request.self) { arena, message in
                message.pointee.type_name = arena.string(method.typeName)
                message.pointee.prior_state = value("prior_state", arena)
                message.pointee.proposed_new_state = value("proposed_new_state", arena)
                message.pointee.config = value("config", arena)
                message.pointee.prior_private = arena.bytes([5, 6])
            }
        case "ApplyResourceChange":
            return TerraformPluginTests.request(Tfplugin6__ApplyResourceChange__Request.self) { arena, message in
                message.pointee.type_name = arena.string(method.typeName)
                message.pointee.prior_state = value("prior_state", arena)
                message.pointee.planned_state = value("planned_state", arena)
                message.pointee.config = value("config", arena)
                message.pointee.planned_private = arena.bytes([5, 6])
            }
        case "ValidateDataResourceConfig":
            return TerraformPluginTests.request(Tfplugin6__ValidateDataResourceConfig__Request.self) { arena, message in
                message.pointee.type_name = arena.string(method.typeName)
                message.pointee.config = value("config", arena)
            }
        case "ReadDataSource":
            return TerraformPluginTests.request(Tfplugin6__ReadDataSource__Request.self) { arena, message in
                message.pointee.type_name = arena.string(method.typeName)
                message.pointee.config = value("config", arena)
            }
        default:
            preconditionFailure("no request builder for \(method.name)")
        }
    }

    /// Diagnostics and, where the response has one, the echoed private state.
    static func answer(_ method: String, _ result: RPCResult) throws -> (diagnostics: [Diagnostic], private: [UInt8]?) {
        switch method {
        case "ValidateProviderConfig":
            return (try response(Tfplugin6__ValidateProviderConfig__Response.self, result) { diagnostics($0.n_diagnostics, $0.diagnostics) }, nil)
        case "ConfigureProvider":
            return (try response(Tfplugin6__ConfigureProvider__Response.self, result) { diagnostics($0.n_diagnostics, $0.diagnostics) }, nil)
        case "ReadResource":
            return try response(Tfplugin6__ReadResource__Response.self, result) { (diagnostics($0.n_diagnostics, $0.diagnostics), [UInt8](wire: $0.private_)) }
        case "PlanResourceChange":
            return try response(Tfplugin6__PlanResourceChange__Response.self, result) {
                (diagnostics($0.n_diagnostics, $0.diagnostics), [UInt8](wire: $0.planned_private))
            }
        case "ApplyResourceChange":
            return try response(Tfplugin6__ApplyResourceChange__Response.self, result) { (diagnostics($0.n_diagnostics, $0.diagnostics), [UInt8](wire: $0.private_)) }
        default:
            return (try RouterMalformedTests.responseDiagnostics(method, result), nil)
        }
    }

    @Test("every combination of null, unknown, refined unknown, {}, JSON null and unknowns inside: refused exactly where the protocol forbids it",
          arguments: methods.map(\.name))
    func sweep(methodName: String) async throws {
        let method = try #require(Self.methods.first { $0.name == methodName })
        var sent = 0
        var refused = 0
        for variants in Self.combinations(method.fields.count) {
            let (router, recorder) = makeRouter()
            let result = await router.call(method.name, Self.request(method, variants))
            sent += 1
            let label = "\(method.name) \(zip(method.fields.map(\.name), variants).map { "\($0)=\($1)" }.joined(separator: " "))"
            let answer = try Self.answer(method.name, result)
            if Self.allowed(method, variants) {
                #expect(recorder.calls.count == 1, "\(label) should reach the provider: \(answer.diagnostics)")
                #expect(!answer.diagnostics.contains { $0.summary.hasPrefix("Invalid ") }, "\(label): \(answer.diagnostics)")
            } else {
                refused += 1
                #expect(recorder.calls.isEmpty, "\(label) reached the provider")
                #expect(answer.diagnostics.count == 1, "\(label): \(answer.diagnostics)")
                let diagnostic = try #require(answer.diagnostics.first)
                #expect(diagnostic.severity == .error)
                #expect(diagnostic.summary.hasPrefix("Invalid "), "\(label): \(diagnostic)")
                #expect(diagnostic.detail.contains(method.name), "\(label): the detail names the RPC: \(diagnostic.detail)")
                if let echoed = answer.private { #expect(echoed == [5, 6], "\(label): private state handed back") }
            }
        }
        #expect(sent == (0..<method.fields.count).reduce(1) { product, _ in product * Variant.allCases.count })
        #expect(refused > 0 && refused < sent)
    }

    @Test("the refusal names the value and says what it may be")
    func refusalWording() async throws {
        let method = Self.methods[4]  // PlanResourceChange
        let (router, _) = makeRouter()
        let result = await router.call(method.name, Self.request(method, [.unknown, .valid, .valid]))
        let diagnostic = try #require(try Self.answer(method.name, result).diagnostics.first)
        #expect(diagnostic.summary == "Invalid prior state")
        #expect(diagnostic.detail.contains(#"in PlanResourceChange for "fake_thing" is wholly unknown"#), "\(diagnostic.detail)")
        #expect(diagnostic.detail.contains("or a null when the resource is created"), "\(diagnostic.detail)")
    }

    @Test("a stored state of JSON null is not upgraded to null (which would drop the resource)")
    func upgradeNullState() async throws {
        let (router, _) = makeRouter()
        let bytes = TerraformPluginTests.request(Tfplugin6__UpgradeResourceState__Request.self) { arena, message in
            message.pointee.type_name = arena.string("fake_thing")
            message.pointee.version = 2
            let raw = arena.message(Tfplugin6__RawState.self)
            raw.pointee.json = arena.bytes(Array("null".utf8))
            message.pointee.raw_state = raw
        }
        let (state, diagnostics) = try response(Tfplugin6__UpgradeResourceState__Response.self, await router.call("UpgradeResourceState", bytes)) {
            ($0.upgraded_state, TerraformPluginTests.diagnostics($0.n_diagnostics, $0.diagnostics))
        }
        #expect(state == nil)
        #expect(diagnostics.map(\.summary) == ["Invalid stored state"])
    }

    @Test("setting an attribute of a null or unknown object returns it unchanged instead of trapping")
    func settingNeverTraps() {
        let null = CtyValue.null(FakeThing.type)
        let unknown = CtyValue.unknown(FakeThing.type)
        #expect(null.setting("name", to: .string("x")) == null)
        #expect(unknown.setting(["name": .string("x"), "id": .string("y")]) == unknown)
        #expect(CtyValue.string("s").setting("name", to: .string("x")) == .string("s"))
        let object = CtyValue.object(type: FakeThing.type, [:]).setting("name", to: .string("x"))
        #expect(object[attribute: "name"] == .string("x"))
    }
}
