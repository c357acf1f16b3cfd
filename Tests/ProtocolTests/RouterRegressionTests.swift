import CTFPlugin6
import Foundation
import PluginTestSupport
@testable import TerraformPlugin
import Testing
import TursoEmulator

/// Requests that once killed the provider (SIGILL from a precondition in
/// resource code), sent byte for byte to the built binary over AutoMTLS,
/// and a sweep of odd top-level values over every RPC that carries values.
/// Each must get an answer, and the process must keep serving and end
/// cleanly. Also run against the release binary (scripts/test): the
/// optimiser has broken code the debug build ran.
@Suite("Router regressions through the built binary: odd values get diagnostics, never a crash")
struct RouterRegressionTests {
    static let fixtures = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/router-crashes")

    /// What each reproduction is and what the provider needs first (the
    /// "needs first" column of the fixtures' README).
    struct Reproduction: CustomStringConvertible, Sendable {
        enum Needs: Sendable { case nothing, privateStateKey, apiThatAnswers }
        var file: String
        var method: String
        var needs: Needs
        /// The value the refusal must name.
        var refusedValue: String

        var description: String { "\(file) (\(method))" }
    }

    static let reproductions: [Reproduction] = [
        Reproduction(file: "R1.bin", method: "PlanResourceChange", needs: .nothing, refusedValue: "proposed new state"),
        Reproduction(file: "R1b.bin", method: "PlanResourceChange", needs: .nothing, refusedValue: "proposed new state"),
        Reproduction(file: "R2.bin", method: "PlanResourceChange", needs: .nothing, refusedValue: "prior state"),
        Reproduction(file: "R3.bin", method: "ApplyResourceChange", needs: .nothing, refusedValue: "planned state"),
        Reproduction(file: "R4.bin", method: "ReadResource", needs: .privateStateKey, refusedValue: "current state"),
        Reproduction(file: "R5.bin", method: "ReadDataSource", needs: .apiThatAnswers, refusedValue: "data source configuration"),
        Reproduction(file: "R5b.bin", method: "ReadDataSource", needs: .apiThatAnswers, refusedValue: "data source configuration"),
    ]

    /// The diagnostics of a response to `method`, which must be a gRPC OK.
    static func diagnostics(_ method: String, _ result: CallResult) throws -> [Diagnostic] {
        func read<Response: WireMessage>(_ type: Response.Type, _ fields: (Response) -> [Diagnostic]) throws -> [Diagnostic] {
            try ProviderSession.unpack(method, result, type, fields)
        }
        switch method {
        case "ValidateProviderConfig": return try read(Tfplugin6__ValidateProviderConfig__Response.self) { [Diagnostic](wire: $0.n_diagnostics, $0.diagnostics) }
        case "ConfigureProvider": return try read(Tfplugin6__ConfigureProvider__Response.self) { [Diagnostic](wire: $0.n_diagnostics, $0.diagnostics) }
        case "ValidateResourceConfig": return try read(Tfplugin6__ValidateResourceConfig__Response.self) { [Diagnostic](wire: $0.n_diagnostics, $0.diagnostics) }
        case "UpgradeResourceState": return try read(Tfplugin6__UpgradeResourceState__Response.self) { [Diagnostic](wire: $0.n_diagnostics, $0.diagnostics) }
        case "ReadResource": return try read(Tfplugin6__ReadResource__Response.self) { [Diagnostic](wire: $0.n_diagnostics, $0.diagnostics) }
        case "PlanResourceChange": return try read(Tfplugin6__PlanResourceChange__Response.self) { [Diagnostic](wire: $0.n_diagnostics, $0.diagnostics) }
        case "ApplyResourceChange": return try read(Tfplugin6__ApplyResourceChange__Response.self) { [Diagnostic](wire: $0.n_diagnostics, $0.diagnostics) }
        case "ValidateDataResourceConfig": return try read(Tfplugin6__ValidateDataResourceConfig__Response.self) { [Diagnostic](wire: $0.n_diagnostics, $0.diagnostics) }
        case "ReadDataSource": return try read(Tfplugin6__ReadDataSource__Response.self) { [Diagnostic](wire: $0.n_diagnostics, $0.diagnostics) }
        default: throw ProtocolTestFailure("no response reader for \(method)")
        }
    }

    @Test("each crash reproduction gets an error diagnostic naming the value, and the plugin keeps serving", arguments: reproductions)
    func reproduction(_ reproduction: Reproduction) async throws {
        let bytes = try [UInt8](Data(contentsOf: Self.fixtures.appendingPathComponent(reproduction.file)))
        #expect(!bytes.isEmpty)
        let emulator = try TursoAPIEmulator.started()
        defer { emulator.stop() }
        let session = try await ProviderSession.launch()
        switch reproduction.needs {
        case .nothing: break
        case .privateStateKey: #expect(try await session.configure(baseURL: nil, apiToken: nil).errors.isEmpty)
        case .apiThatAnswers: try await session.configure(emulator: emulator)
        }

        let result = await session.call(reproduction.method, bytes)
        #expect(result.status == .ok, "\(result); stderr: \(session.stderrTail)")
        let diagnostics = try Self.diagnostics(reproduction.method, result)
        #expect(diagnostics.map(\.severity) == [.error], "\(diagnostics)")
        #expect(diagnostics.first?.summary == "Invalid \(reproduction.refusedValue)", "\(diagnostics)")
        #expect(diagnostics.first?.detail.contains(reproduction.method) == true, "\(diagnostics)")

        // Still serving: the same request again, then another RPC.
        #expect(await session.call(reproduction.method, bytes).status == .ok)
        #expect(try await session.getMetadata().resources.count == 2)
        await session.finish()
    }

    // MARK: - The sweep

    /// A top-level value as a host might send it.
    enum Variant: String, CaseIterable, Sendable {
        case valid, null, unknown, refinedUnknown, emptyObject, jsonNull, unknownInside

        func dynamicValue(valid: [UInt8], unknownInside: [UInt8], _ arena: WireArena) -> UnsafeMutablePointer<Tfplugin6__DynamicValue> {
            switch self {
            case .valid: return DynamicValueWire.message(msgpack: valid, in: arena)
            case .null: return DynamicValueWire.message(msgpack: [0xC0], in: arena)
            case .unknown: return DynamicValueWire.message(msgpack: [0xD4, 0x00, 0x00], in: arena)
            // Extension 12 with refinements {1: false}: "definitely not null".
            case .refinedUnknown: return DynamicValueWire.message(msgpack: [0xC7, 0x03, 0x0C, 0x81, 0x01, 0xC2], in: arena)
            case .emptyObject: return DynamicValueWire.message(msgpack: [0x80], in: arena)
            case .jsonNull:
                let message = arena.message(Tfplugin6__DynamicValue.self)
                message.pointee.json = arena.bytes(Array("null".utf8))
                return message
            case .unknownInside: return DynamicValueWire.message(msgpack: unknownInside, in: arena)
            }
        }
    }

    /// Sample values of one type: a configuration, a full state, and a
    /// configuration with an unknown inside.
    struct Samples {
        var typeName: String
        var type: CtyType
        var config: CtyValue
        var state: CtyValue
        var unknownName: CtyValue

        func bytes(_ value: CtyValue) throws -> [UInt8] { try MsgPackValueCodec.encode(value, as: type) }
    }

    static func samples(_ emulatorOrganization: String) -> [Samples] {
        let timedConfig = CtyValue.timedTokenConfig(name: "sweep", ttl: "1h")
        let apiConfig = CtyValue.apiTokenConfig(name: "sweep", organization: emulatorOrganization)
        return [
            Samples(
                typeName: "turso_timed_token", type: TursoTypes.timedToken, config: timedConfig,
                state: timedConfig.setting([
                    "renew_before": .string("0s"), "id": .string("timed-token-id-1"), "token": .string("token-1"),
                    "expires_at": .string("2999-01-01T00:00:00Z"),
                ]),
                unknownName: timedConfig.setting("name", to: .unknown(.string))
            ),
            Samples(
                typeName: "turso_api_token", type: TursoTypes.apiToken, config: apiConfig,
                state: apiConfig.setting(["id": .string("sweep-id"), "token": .string("sweep-token"), "created_at": .string("2026-01-01T00:00:00Z")]),
                unknownName: apiConfig.setting("name", to: .unknown(.string))
            ),
            Samples(
                typeName: "turso_api_tokens", type: TursoTypes.apiTokens,
                config: .object(type: TursoTypes.apiTokens, ["organization": .string(emulatorOrganization)]),
                state: .object(type: TursoTypes.apiTokens, ["organization": .string(emulatorOrganization)]),
                unknownName: .object(type: TursoTypes.apiTokens, ["organization": .unknown(.string)])
            ),
            Samples(
                typeName: "turso_api_token_validation", type: TursoTypes.apiTokenValidation,
                config: .object(type: TursoTypes.apiTokenValidation, ["token": .string("not-a-token")]),
                state: .object(type: TursoTypes.apiTokenValidation, ["token": .string("not-a-token")]),
                unknownName: .object(type: TursoTypes.apiTokenValidation, ["token": .unknown(.string)])
            ),
            Samples(
                typeName: "", type: TursoTypes.providerConfig,
                config: .object(type: TursoTypes.providerConfig, ["private_state_key": .string(testPrivateStateKey)]),
                state: .object(type: TursoTypes.providerConfig, ["private_state_key": .string(testPrivateStateKey)]),
                unknownName: .object(type: TursoTypes.providerConfig, ["base_url": .unknown(.string)])
            ),
        ]
    }

    /// One request of the sweep: a method, a type, a variant per value field.
    struct SweepRequest {
        var method: String
        var typeName: String
        var variants: [String: Variant]
        var bytes: [UInt8]
        var label: String { "\(method) \(typeName) " + variants.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.rawValue)" }.joined(separator: " ") }
    }

    static func combinations(_ fields: [String]) -> [[String: Variant]] {
        fields.reduce([[:]]) { partial, field in
            partial.flatMap { prefix in Variant.allCases.map { prefix.merging([field: $0]) { $1 } } }
        }
    }

    static func sweepRequests(_ samples: [Samples]) throws -> [SweepRequest] {
        var requests: [SweepRequest] = []
        /// The value of a field in the arena of the message being built.
        typealias Value = (String, WireArena) -> UnsafeMutablePointer<Tfplugin6__DynamicValue>?
        func add(_ method: String, _ sample: Samples, _ fields: [String], _ build: (@escaping Value) -> [UInt8]) throws {
            let config = try sample.bytes(sample.config)
            let state = try sample.bytes(sample.state)
            let unknownInside = try sample.bytes(sample.unknownName)
            for variants in combinations(fields) {
                let bytes = build { field, arena in
                    variants[field]?.dynamicValue(valid: field == "config" ? config : state, unknownInside: unknownInside, arena)
                }
                requests.append(SweepRequest(method: method, typeName: sample.typeName, variants: variants, bytes: bytes))
            }
        }
        for sample in samples {
            let name = sample.typeName
            switch name {
            case "":
                try add("ValidateProviderConfig", sample, ["config"]) { value in
                    WireArena.pack(Tfplugin6__ValidateProviderConfig__Request.self) { arena, message in message.pointee.config = value("config", arena) }
                }
            case "turso_api_tokens", "turso_api_token_validation":
                try add("ValidateDataResourceConfig", sample, ["config"]) { value in
                    WireArena.pack(Tfplugin6__ValidateDataResourceConfig__Request.self) { arena, message in
                        message.pointee.type_name = arena.string(name)
                        message.pointee.config = value("config", arena)
                    }
                }
                try add("ReadDataSource", sample, ["config"]) { value in
                    WireArena.pack(Tfplugin6__ReadDataSource__Request.self) { arena, message in
                        message.pointee.type_name = arena.string(name)
                        message.pointee.config = value("config", arena)
                    }
                }
            default:
                try add("ValidateResourceConfig", sample, ["config"]) { value in
                    WireArena.pack(Tfplugin6__ValidateResourceConfig__Request.self) { arena, message in
                        message.pointee.type_name = arena.string(name)
                        message.pointee.config = value("config", arena)
                    }
                }
                try add("ReadResource", sample, ["current_state"]) { value in
                    WireArena.pack(Tfplugin6__ReadResource__Request.self) { arena, message in
                        message.pointee.type_name = arena.string(name)
                        message.pointee.current_state = value("current_state", arena)
                        message.pointee.private_ = arena.bytes(Array(#"{"token":"x"}"#.utf8))
                    }
                }
                try add("PlanResourceChange", sample, ["prior_state", "proposed_new_state", "config"]) { value in
                    WireArena.pack(Tfplugin6__PlanResourceChange__Request.self) { arena, message in
                        message.pointee.type_name = arena.string(name)
                        message.pointee.prior_state = value("prior_state", arena)
                        message.pointee.proposed_new_state = value("proposed_new_state", arena)
                        message.pointee.config = value("config", arena)
                    }
                }
                try add("ApplyResourceChange", sample, ["prior_state", "planned_state", "config"]) { value in
                    WireArena.pack(Tfplugin6__ApplyResourceChange__Request.self) { arena, message in
                        message.pointee.type_name = arena.string(name)
                        message.pointee.prior_state = value("prior_state", arena)
                        message.pointee.planned_state = value("planned_state", arena)
                        message.pointee.config = value("config", arena)
                    }
                }
                for json in [#"null"#, #"{}"#, #"[]"#, #""x""#, #"{"name":null}"#] {
                    let bytes = WireArena.pack(Tfplugin6__UpgradeResourceState__Request.self) { arena, message in
                        message.pointee.type_name = arena.string(name)
                        let raw = arena.message(Tfplugin6__RawState.self)
                        raw.pointee.json = arena.bytes(Array(json.utf8))
                        message.pointee.raw_state = raw
                    }
                    requests.append(SweepRequest(method: "UpgradeResourceState", typeName: name, variants: [:], bytes: bytes))
                }
            }
        }
        return requests
    }

    /// Whether the protocol lets a field hold a variant (the router's rule,
    /// restated here from the protocol rather than read from the router).
    static func allowed(_ request: SweepRequest) -> Bool {
        let nullable: Set<String> = request.method == "PlanResourceChange" || request.method == "ApplyResourceChange"
            ? ["prior_state", "proposed_new_state", "planned_state", "config"] : []
        let unknownsInside: Set<String> = ["config", "proposed_new_state", "planned_state"]
        for (field, variant) in request.variants {
            switch variant {
            case .valid, .emptyObject: continue
            case .null, .jsonNull: if !nullable.contains(field) { return false }
            case .unknown, .refinedUnknown: return false
            case .unknownInside: if !unknownsInside.contains(field) { return false }
            }
        }
        func isNull(_ field: String) -> Bool { request.variants[field] == .null || request.variants[field] == .jsonNull }
        if isNull("prior_state") && (isNull("proposed_new_state") || isNull("planned_state")) { return false }
        return true
    }

    @Test("a sweep of null, unknown, refined unknown, {}, JSON null and unknowns inside over every value of every RPC: answers, no crash")
    func sweep() async throws {
        let emulator = try TursoAPIEmulator.started()
        defer { emulator.stop() }
        let session = try await ProviderSession.launch()
        try await session.configure(emulator: emulator)

        let requests = try Self.sweepRequests(Self.samples("my-org"))
        var refused = 0
        var failedCalls: [String] = []
        for request in requests {
            let result = await session.call(request.method, request.bytes, timeout: .seconds(60))
            guard result.status == .ok else {
                failedCalls.append("\(request.label): \(result)")
                // A dead plugin answers nothing more: stop at the first.
                if result.status == .unavailable { break } else { continue }
            }
            let diagnostics = try Self.diagnostics(request.method, result)
            let refusal = diagnostics.first { $0.summary.hasPrefix("Invalid ") && $0.detail.contains("the host sent in \(request.method)") }
            if Self.allowed(request) {
                #expect(refusal == nil, "\(request.label) was refused: \(diagnostics)")
            } else {
                refused += 1
                #expect(refusal != nil && diagnostics.errors.count == 1, "\(request.label) was not refused: \(diagnostics)")
            }
        }
        #expect(failedCalls.isEmpty, "\(failedCalls.count) calls failed, first: \(failedCalls.first ?? ""); stderr: \(session.stderrTail)")
        #expect(refused > 0)

        // Provider configuration last: it replaces what the sweep ran with.
        var configureRequests = 0
        let provider = try #require(Self.samples("my-org").last)
        for variants in Self.combinations(["config"]) {
            let variant = try #require(variants["config"])
            let valid = try provider.bytes(provider.config)
            let unknownInside = try provider.bytes(provider.unknownName)
            let bytes = WireArena.pack(Tfplugin6__ConfigureProvider__Request.self) { arena, message in
                message.pointee.terraform_version = arena.string("1.15.9")
                message.pointee.config = variant.dynamicValue(valid: valid, unknownInside: unknownInside, arena)
            }
            let result = await session.call("ConfigureProvider", bytes)
            configureRequests += 1
            #expect(result.status == .ok, "ConfigureProvider config=\(variant): \(result)")
            let diagnostics = try Self.diagnostics("ConfigureProvider", result)
            let refused = diagnostics.contains { $0.summary == "Invalid provider configuration" }
            #expect(refused == [.null, .jsonNull, .unknown, .refinedUnknown].contains(variant), "ConfigureProvider config=\(variant): \(diagnostics)")
        }
        #expect(try await session.getMetadata().resources.count == 2)
        // For the report: how many requests went to the binary.
        print("router sweep: \(requests.count + configureRequests) requests, \(refused) refused at the boundary, \(failedCalls.count) failed calls")
        await session.finish()
    }
}
