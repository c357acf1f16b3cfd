import CTFPlugin6
import Foundation
import PluginTestSupport
@testable import TerraformPlugin
import Testing
import TursoEmulator

/// Every tfplugin6 RPC the provider implements, sent to the built
/// `terraform-provider-turso` binary (or the one `TURSO_PROVIDER_BINARY`
/// names) over its Unix socket with AutoMTLS, as Terraform sends them.
/// The router's own tests run in-process with a fake provider; these check
/// that the real binary, with the real resources, answers the same way over
/// the wire, and that it ends cleanly afterwards (which, for an
/// AddressSanitizer build, includes having no leak).
@Suite("Provider RPCs through the built binary")
struct ProviderRPCTests {
    // MARK: Provider

    @Test("GetMetadata lists both resources and both data sources, and the server capabilities")
    func getMetadata() async throws {
        let session = try await ProviderSession.launch()
        let metadata = try await session.getMetadata()
        #expect(metadata.resources.sorted() == ["turso_api_token", "turso_timed_token"])
        #expect(metadata.dataSources.sorted() == ["turso_api_token_validation", "turso_api_tokens"])
        #expect(metadata.capabilities == ServerCapabilities(planDestroy: true, getProviderSchemaOptional: true, moveResourceState: true))
        #expect(metadata.diagnostics.isEmpty)
        await session.finish()
    }

    /// An attribute as a schema declares it.
    struct AttributeSpec: Equatable, CustomStringConvertible {
        enum Mode: String { case required, optional, computed, optionalComputed = "optional+computed" }
        var type: CtyType
        var mode: Mode
        var sensitive = false

        var description: String { "\(type) \(mode.rawValue)\(sensitive ? " sensitive" : "")" }
    }

    static let expectedSchemas: [String: [String: AttributeSpec]] = [
        "provider": [
            "api_token": .init(type: .string, mode: .optional, sensitive: true),
            "base_url": .init(type: .string, mode: .optional),
            "private_state_key": .init(type: .string, mode: .optional, sensitive: true),
            "private_state_previous_keys": .init(type: .list(.string), mode: .optional, sensitive: true),
        ],
        "turso_timed_token": [
            "name": .init(type: .string, mode: .required),
            "ttl": .init(type: .string, mode: .optionalComputed),
            "renew_before": .init(type: .string, mode: .optionalComputed),
            "triggers": .init(type: .map(.string), mode: .optional),
            "id": .init(type: .string, mode: .computed),
            "token": .init(type: .string, mode: .computed, sensitive: true),
            "expires_at": .init(type: .string, mode: .computed),
            "seal_token": .init(type: .bool, mode: .optional),
            "sealed_token": .init(type: .string, mode: .computed),
            "token_version": .init(type: .number, mode: .computed),
        ],
        "turso_api_token": [
            "name": .init(type: .string, mode: .optionalComputed),
            "name_prefix": .init(type: .string, mode: .optional),
            "seal_token": .init(type: .bool, mode: .optional),
            "sealed_token": .init(type: .string, mode: .computed),
            "token_version": .init(type: .number, mode: .computed),
            "organization": .init(type: .string, mode: .optional),
            "group": .init(type: .string, mode: .optional),
            "scopes": .init(type: .set(.string), mode: .optional),
            "rotation_period": .init(type: .string, mode: .optional),
            "triggers": .init(type: .map(.string), mode: .optional),
            "id": .init(type: .string, mode: .computed),
            "token": .init(type: .string, mode: .computed, sensitive: true),
            "created_at": .init(type: .string, mode: .computed),
        ],
        "turso_api_tokens": [
            "organization": .init(type: .string, mode: .optional),
            "tokens": .init(type: .list(TursoTypes.listedToken), mode: .computed),
        ],
        "turso_api_token_validation": [
            "token": .init(type: .string, mode: .optional, sensitive: true),
            "valid": .init(type: .bool, mode: .computed),
            "expires_at": .init(type: .string, mode: .computed),
        ],
    ]

    /// A schema off the wire: its version, attributes, nested block count.
    struct WireSchema {
        var version: Int64
        var attributes: [String: AttributeSpec]
        var nestedBlocks: Int
        var undocumented: [String]

        init(_ schema: UnsafeMutablePointer<Tfplugin6__Schema>?) throws {
            let schema = try #require(schema).pointee
            let block = try #require(schema.block).pointee
            version = schema.version
            nestedBlocks = block.n_block_types
            var attributes: [String: AttributeSpec] = [:]
            var undocumented: [String] = []
            for pointer in wireElements(block.n_attributes, block.attributes) {
                let attribute = pointer.pointee
                let name = String(wire: attribute.name)
                let mode: AttributeSpec.Mode = switch (attribute.required != 0, attribute.optional != 0, attribute.computed != 0) {
                case (true, false, false): .required
                case (false, true, false): .optional
                case (false, false, true): .computed
                case (false, true, true): .optionalComputed
                default: throw ProtocolTestFailure("\(name): required/optional/computed \(attribute.required)/\(attribute.optional)/\(attribute.computed)")
                }
                let type = try CtyType(typeJSON: [UInt8](wire: attribute.type))
                attributes[name] = AttributeSpec(type: type, mode: mode, sensitive: attribute.sensitive != 0)
                if String(wire: attribute.description).isEmpty { undocumented.append(name) }
            }
            self.attributes = attributes
            self.undocumented = undocumented
        }
    }

    @Test("GetProviderSchema carries the provider, resource and data source schemas with their attributes, types, sensitive flags and capabilities")
    func getProviderSchema() async throws {
        let session = try await ProviderSession.launch()
        let request = ProviderSession.pack(Tfplugin6__GetProviderSchema__Request.self) { _, _ in }
        let (schemas, capabilities, diagnostics) = try await session.rpc(
            "GetProviderSchema", request, Tfplugin6__GetProviderSchema__Response.self
        ) { message in
            var schemas: [String: WireSchema] = ["provider": try WireSchema(message.provider)]
            for entry in wireElements(message.n_resource_schemas, message.resource_schemas) {
                schemas[String(wire: entry.pointee.key)] = try WireSchema(entry.pointee.value)
            }
            for entry in wireElements(message.n_data_source_schemas, message.data_source_schemas) {
                schemas[String(wire: entry.pointee.key)] = try WireSchema(entry.pointee.value)
            }
            #expect(message.provider_meta == nil, "no provider_meta schema is declared")
            return (schemas, message.server_capabilities.map { ServerCapabilities(wire: $0) },
                    [Diagnostic](wire: message.n_diagnostics, message.diagnostics))
        }
        #expect(diagnostics.isEmpty)
        #expect(capabilities == ServerCapabilities(planDestroy: true, getProviderSchemaOptional: true, moveResourceState: true))
        #expect(Set(schemas.keys) == Set(Self.expectedSchemas.keys))
        for (name, expected) in Self.expectedSchemas {
            let schema = try #require(schemas[name], "no schema for \(name)")
            #expect(schema.attributes == expected, "\(name)")
            #expect(schema.version == 0, "\(name)")
            #expect(schema.nestedBlocks == 0, "\(name)")
            #expect(schema.undocumented.isEmpty, "\(name): attributes without a description: \(schema.undocumented)")
        }
        // The schema is encoded once per process: a second call answers the same bytes.
        let first = await session.call("GetProviderSchema", request)
        let second = await session.call("GetProviderSchema", request)
        #expect(first.status == .ok && first.response != nil && first.response == second.response)
        await session.finish()
    }

    @Test("ValidateProviderConfig: a too-short private_state_key is an error on that attribute; a good configuration has none")
    func validateProviderConfig() async throws {
        let session = try await ProviderSession.launch()
        let config = CtyValue.object(type: TursoTypes.providerConfig, [
            "api_token": .string("whatever"), "base_url": .string("https://api.turso.tech"),
        ])

        let short = try await session.validateProviderConfig(config.setting("private_state_key", to: .string("too-short")))
        #expect(short.count == 1)
        #expect(short.first?.severity == .error)
        #expect(short.first?.summary == "Private state key too short")
        #expect(short.first?.attribute == "private_state_key")
        #expect(short.first?.detail.contains("too-short") == false, "the detail must not repeat the key")

        let previous = try await session.validateProviderConfig(config.setting([
            "private_state_key": .string(testPrivateStateKey),
            "private_state_previous_keys": .list(of: .string, [.string(testPrivateStateKey + "-old"), .string("short")]),
        ]))
        #expect(previous.map(\.attribute) == [AttributePath("private_state_previous_keys").appending(index: 1)])

        #expect(try await session.validateProviderConfig(config.setting("private_state_key", to: .string(testPrivateStateKey))).isEmpty)
        // Unknown values (known only after apply) are not judged yet.
        #expect(try await session.validateProviderConfig(config.setting("private_state_key", to: .unknown(.string))).isEmpty)
        await session.finish()
    }

    @Test("ConfigureProvider accepts an emulator's base_url, an api_token and a private_state_key; a bad base_url is an error on it")
    func configureProvider() async throws {
        let emulator = try TursoAPIEmulator.started()
        defer { emulator.stop() }
        let session = try await ProviderSession.launch()
        let bad = try await session.configure(baseURL: "ftp://example.com", apiToken: "x")
        #expect(bad.errors.map(\.attribute) == ["base_url"], "\(bad)")
        let good = try await session.configure(baseURL: emulator.baseURL, apiToken: EmulatorConfiguration.defaultAdminToken)
        #expect(good.isEmpty, "\(good)")
        // The configuration is in use: a data source reaches the emulator with it.
        let listed = try await session.readDataSource("turso_api_tokens", .object(type: TursoTypes.apiTokens, [:]), as: TursoTypes.apiTokens)
        #expect(listed.diagnostics.isEmpty, "\(listed.diagnostics)")
        #expect(emulator.requestLog().map(\.path) == ["/v1/auth/api-tokens"])
        let userAgent = emulator.requestLog().first?.userAgent ?? ""
        #expect(userAgent.hasPrefix("terraform-provider-turso/") && userAgent.hasSuffix(" terraform/1.15.9"), "\(userAgent)")
        await session.finish()
    }

    // MARK: Validation

    @Test("ValidateResourceConfig: ttl \"soon\" is an error on ttl, an unknown scope an error on scopes, valid configurations pass")
    func validateResourceConfig() async throws {
        let session = try await ProviderSession.launch()

        let soon = try await session.validateResourceConfig(
            "turso_timed_token", .timedTokenConfig(name: "ci", ttl: "soon"), as: TursoTypes.timedToken
        )
        #expect(soon.count == 1)
        #expect(soon.first?.severity == .error)
        #expect(soon.first?.summary == "Invalid duration in ttl")
        #expect(soon.first?.attribute == "ttl")

        let badScope = try await session.validateResourceConfig(
            "turso_api_token", .apiTokenConfig(name: "ci", organization: "my-org", group: "default", scopes: ["db:read", "read-only"]),
            as: TursoTypes.apiToken
        )
        #expect(badScope.count == 1)
        #expect(badScope.first?.severity == .error)
        #expect(badScope.first?.summary == #"Unknown scope "db:read""#)
        #expect(badScope.first?.attribute == "scopes")

        #expect(try await session.validateResourceConfig(
            "turso_timed_token", .timedTokenConfig(name: "ci", ttl: "90m", renewBefore: "5m"), as: TursoTypes.timedToken
        ).isEmpty)
        #expect(try await session.validateResourceConfig(
            "turso_api_token", .apiTokenConfig(name: "ci", organization: "my-org", group: "default", scopes: ["read-only"]),
            as: TursoTypes.apiToken
        ).isEmpty)
        // ttl known only after apply: nothing to judge yet.
        #expect(try await session.validateResourceConfig(
            "turso_timed_token", CtyValue.timedTokenConfig(name: "ci").setting("ttl", to: .unknown(.string)), as: TursoTypes.timedToken
        ).isEmpty)

        let unknownType = try await session.validateResourceConfig("turso_database", .timedTokenConfig(name: "x"), as: TursoTypes.timedToken)
        #expect(unknownType.map(\.summary) == ["Unknown resource type"])
        await session.finish()
    }

    @Test("ValidateDataResourceConfig: an empty organization is an error on it; valid configurations pass")
    func validateDataResourceConfig() async throws {
        let session = try await ProviderSession.launch()
        let empty = try await session.validateDataResourceConfig(
            "turso_api_tokens", .object(type: TursoTypes.apiTokens, ["organization": .string("")]), as: TursoTypes.apiTokens
        )
        #expect(empty.count == 1)
        #expect(empty.first?.severity == .error)
        #expect(empty.first?.attribute == "organization")

        #expect(try await session.validateDataResourceConfig(
            "turso_api_tokens", .object(type: TursoTypes.apiTokens, ["organization": .string("my-org")]), as: TursoTypes.apiTokens
        ).isEmpty)
        #expect(try await session.validateDataResourceConfig(
            "turso_api_token_validation", .object(type: TursoTypes.apiTokenValidation, ["token": .unknown(.string)]),
            as: TursoTypes.apiTokenValidation
        ).isEmpty)
        let unknownType = try await session.validateDataResourceConfig(
            "turso_databases", .object(type: TursoTypes.apiTokens, [:]), as: TursoTypes.apiTokens
        )
        #expect(unknownType.map(\.summary) == ["Unknown data source type"])
        await session.finish()
    }

    // MARK: State upgrade

    static let storedTimedToken = CtyValue.object(type: TursoTypes.timedToken, [
        "name": .string("ci"), "ttl": .string("1h"), "renew_before": .string("5m"),
        "triggers": .map(of: .string, ["release": .string("v1")]),
        "id": .string("timed-token-id-8a4f2c61-3d0e-4b57-9e1a-0c6d2f7b8e93"),
        "token": .string("token-1f0e9d8c-7b6a-4594-8372-615049382716"),
        "expires_at": .string("2031-02-03T04:05:06Z"),
    ])

    @Test("UpgradeResourceState: raw JSON state comes back as msgpack equal to it; a removed attribute is dropped; a newer version is an error")
    func upgradeResourceState() async throws {
        let session = try await ProviderSession.launch()
        let json = String(decoding: try JSONValueCodec.encode(Self.storedTimedToken, as: TursoTypes.timedToken), as: UTF8.self)

        let same = try await session.upgradeResourceState("turso_timed_token", version: 0, json: json, as: TursoTypes.timedToken)
        #expect(same.diagnostics.isEmpty, "\(same.diagnostics)")
        #expect(same.upgradedState == Self.storedTimedToken)

        // As an older provider might have written it: an attribute since removed.
        let withRemoved = #"{"legacy_note":"from 0.0.1","#.appending(json.dropFirst())
        let dropped = try await session.upgradeResourceState("turso_timed_token", version: 0, json: withRemoved, as: TursoTypes.timedToken)
        #expect(dropped.diagnostics.isEmpty, "\(dropped.diagnostics)")
        #expect(dropped.upgradedState == Self.storedTimedToken)

        let newer = try await session.upgradeResourceState("turso_timed_token", version: 1, json: json, as: TursoTypes.timedToken)
        #expect(newer.upgradedState == nil)
        #expect(newer.diagnostics.count == 1)
        #expect(newer.diagnostics.first?.severity == .error)
        #expect(newer.diagnostics.first?.summary == "Resource state from a newer provider")

        let apiToken = CtyValue.object(type: TursoTypes.apiToken, [
            "name": .string("ci"), "id": .string("tok-1"), "token": .null(.string), "created_at": .string("2030-01-01T00:00:00Z"),
            "scopes": .set(of: .string, [.string("read")]), "organization": .string("my-org"), "group": .string("default"),
        ])
        let apiJSON = String(decoding: try JSONValueCodec.encode(apiToken, as: TursoTypes.apiToken), as: UTF8.self)
        let upgradedAPI = try await session.upgradeResourceState("turso_api_token", version: 0, json: apiJSON, as: TursoTypes.apiToken)
        #expect(upgradedAPI.diagnostics.isEmpty, "\(upgradedAPI.diagnostics)")
        #expect(upgradedAPI.upgradedState == apiToken)
        await session.finish()
    }

    // MARK: A timed token's life

    @Test("turso_timed_token: plan leaves id, token and expires_at unknown; apply mints and seals; read returns and restores; import is refused")
    func timedTokenLifecycle() async throws {
        let session = try await ProviderSession.launch()
        try await session.configure(emulator: nil)
        let type = TursoTypes.timedToken
        let config = CtyValue.timedTokenConfig(name: "deploy")

        // Plan of a create: nothing minted yet.
        let plan = try await session.plan("turso_timed_token", prior: .null(type), proposed: config, config: config, as: type)
        #expect(plan.diagnostics.isEmpty, "\(plan.diagnostics)")
        #expect(plan.requiresReplace.isEmpty)
        let planned = try #require(plan.plannedState)
        for name in ["id", "token", "expires_at"] {
            #expect(!planned[attribute: name].isKnown, "\(name) is planned as \(planned[attribute: name])")
        }
        #expect(planned[attribute: "name"] == .string("deploy"))
        #expect(planned[attribute: "ttl"] == .string("1h"), "the default is filled in at plan")
        #expect(planned[attribute: "renew_before"] == .string("0s"))

        // Apply: minted, and sealed in private state.
        let applied = try await session.apply(
            "turso_timed_token", prior: .null(type), planned: planned, config: config, plannedPrivate: plan.plannedPrivate, as: type
        )
        #expect(applied.diagnostics.isEmpty, "\(applied.diagnostics)")
        let state = try #require(applied.state)
        let token = try #require(state[attribute: "token"].stringValue)
        let id = try #require(state[attribute: "id"].stringValue)
        #expect(token.hasPrefix("token-") && token.count == "token-".count + 36, "\(token.count) characters")
        #expect(id.hasPrefix("timed-token-id-"))
        #expect(state[attribute: "expires_at"].stringValue?.hasSuffix("Z") == true)
        #expect(state[attribute: "name"] == .string("deploy"))
        #expect(!applied.private.isEmpty)
        #expect(applied.private.first == 1, "sealed envelope version 1, not plain JSON")
        let leaks = SecretSearch.occurrences(of: token, in: applied.private) + SecretSearch.occurrences(of: String(token.dropFirst(6)), in: applied.private)
        #expect(leaks.isEmpty, "private state holds the token: \(leaks)")

        // Read: the same state and private bytes come back.
        let read = try await session.read("turso_timed_token", state: state, private: applied.private, as: type)
        #expect(read.diagnostics.isEmpty, "\(read.diagnostics)")
        #expect(read.state == state)
        #expect(read.private == applied.private)

        // Read of an edited state file: the sealed token is restored, with a warning.
        let edited = state.setting("token", to: .string("token-edited-by-hand"))
        let restored = try await session.read("turso_timed_token", state: edited, private: applied.private, as: type)
        #expect(restored.state == state)
        #expect(restored.private == applied.private)
        #expect(restored.diagnostics.count == 1)
        #expect(restored.diagnostics.first?.severity == .warning)
        #expect(restored.diagnostics.first?.summary.contains("changed outside Terraform") == true, "\(restored.diagnostics)")
        #expect(restored.diagnostics.first.map { !$0.detail.contains(token) && !$0.summary.contains(token) } == true)

        // A second plan with the prior state: nothing to do, the token stays.
        let again = try await session.plan("turso_timed_token", prior: state, proposed: state, config: config, priorPrivate: applied.private, as: type)
        #expect(again.diagnostics.isEmpty && again.requiresReplace.isEmpty, "\(again)")
        #expect(again.plannedState == state)
        #expect(again.plannedPrivate == applied.private, "plan carries the private bytes forward")

        // Destroy: plan_destroy sends a null proposed state; apply returns null.
        let destroyPlan = try await session.plan("turso_timed_token", prior: state, proposed: .null(type), config: .null(type), priorPrivate: applied.private, as: type)
        #expect(destroyPlan.diagnostics.isEmpty)
        #expect(destroyPlan.plannedState?.isNull == true)
        let destroyed = try await session.apply("turso_timed_token", prior: state, planned: .null(type), config: .null(type), as: type)
        #expect(destroyed.diagnostics.isEmpty)
        #expect(destroyed.state?.isNull == true)

        // Import: nothing exists outside the state to import.
        let imported = try await session.importState("turso_timed_token", id: id, as: type)
        #expect(imported.imported.isEmpty)
        #expect(imported.diagnostics.map(\.severity) == [.error])
        #expect(imported.diagnostics.first?.summary == "turso_timed_token cannot be imported")
        await session.finish()
    }

    // MARK: An API token against the emulator

    @Test("turso_api_token against the emulator: create, read, import by name (warning, token null), and turso_api_tokens lists it")
    func apiTokenLifecycle() async throws {
        let emulator = try TursoAPIEmulator.started()
        defer { emulator.stop() }
        let session = try await ProviderSession.launch()
        try await session.configure(emulator: emulator)
        let type = TursoTypes.apiToken
        let config = CtyValue.apiTokenConfig(name: "ci-deploy", organization: "my-org", group: "default", scopes: ["read-only"])

        let plan = try await session.plan("turso_api_token", prior: .null(type), proposed: config, config: config, as: type)
        #expect(plan.diagnostics.isEmpty, "\(plan.diagnostics)")
        let planned = try #require(plan.plannedState)
        #expect(!planned[attribute: "token"].isKnown && !planned[attribute: "id"].isKnown && !planned[attribute: "created_at"].isKnown)
        #expect(emulator.requestLog().isEmpty, "plan calls no API")
        let applied = try await session.apply(
            "turso_api_token", prior: .null(type), planned: planned, config: config, plannedPrivate: plan.plannedPrivate, as: type
        )
        #expect(applied.diagnostics.isEmpty, "\(applied.diagnostics)")
        let state = try #require(applied.state)
        let token = try #require(state[attribute: "token"].stringValue)
        let id = try #require(state[attribute: "id"].stringValue)
        #expect(state[attribute: "scopes"] == .set(of: .string, [.string("read-only")]))
        #expect(!applied.private.isEmpty)
        #expect(SecretSearch.occurrences(of: token, in: applied.private).isEmpty)

        // Read: Turso still has it; the stored spelling of the scopes stays.
        let read = try await session.read("turso_api_token", state: state, private: applied.private, as: type)
        #expect(read.diagnostics.isEmpty, "\(read.diagnostics)")
        #expect(read.state == state)
        #expect(read.private == applied.private)

        // Import by name: found, without its value.
        let imported = try await session.importState("turso_api_token", id: "ci-deploy", as: type)
        #expect(imported.diagnostics.map(\.severity) == [.warning], "\(imported.diagnostics)")
        #expect(imported.diagnostics.first?.summary == #"The value of API token "ci-deploy" cannot be recovered"#)
        #expect(imported.imported.count == 1)
        let adopted = try #require(imported.imported.first)
        #expect(adopted.typeName == "turso_api_token")
        #expect(adopted.private.isEmpty)
        let adoptedState = try #require(adopted.state)
        #expect(adoptedState[attribute: "name"] == .string("ci-deploy"))
        #expect(adoptedState[attribute: "id"] == .string(id))
        #expect(adoptedState[attribute: "token"] == .null(.string))
        #expect(adoptedState[attribute: "organization"] == .string("my-org"))
        #expect(adoptedState[attribute: "group"] == .string("default"))
        #expect(adoptedState[attribute: "scopes"] == .set(of: .string, [.string("read")]), "Turso lists presets expanded")
        #expect(adoptedState[attribute: "created_at"].stringValue?.hasSuffix("T00:00:00Z") == true)

        let missing = try await session.importState("turso_api_token", id: "no-such-token", as: type)
        #expect(missing.imported.isEmpty)
        #expect(missing.diagnostics.map(\.summary) == [#"No API token named "no-such-token""#])

        // The data source lists it, without a value.
        let listed = try await session.readDataSource("turso_api_tokens", .object(type: TursoTypes.apiTokens, [:]), as: TursoTypes.apiTokens)
        #expect(listed.diagnostics.isEmpty, "\(listed.diagnostics)")
        let tokens = try #require(listed.state?[attribute: "tokens"].elements)
        #expect(tokens.count == 1)
        #expect(tokens.first?[attribute: "name"] == .string("ci-deploy"))
        #expect(tokens.first?[attribute: "id"] == .string(id))
        #expect(tokens.first?[attribute: "organization"] == .string("my-org"))
        #expect(tokens.first?[attribute: "scopes"] == .list(of: .string, [.string("read")]))

        // turso_api_token_validation asks Turso about the new token.
        let validation = try await session.readDataSource(
            "turso_api_token_validation", .object(type: TursoTypes.apiTokenValidation, ["token": .string(token)]),
            as: TursoTypes.apiTokenValidation
        )
        #expect(validation.diagnostics.isEmpty, "\(validation.diagnostics)")
        #expect(validation.state?[attribute: "valid"] == .bool(true))
        let bogus = try await session.readDataSource(
            "turso_api_token_validation", .object(type: TursoTypes.apiTokenValidation, ["token": .string("not-a-token")]),
            as: TursoTypes.apiTokenValidation
        )
        #expect(bogus.diagnostics.isEmpty, "\(bogus.diagnostics)")
        #expect(bogus.state?[attribute: "valid"] == .bool(false))

        // Destroy revokes it in Turso.
        let destroyed = try await session.apply("turso_api_token", prior: state, planned: .null(type), config: .null(type),
                                                plannedPrivate: applied.private, as: type)
        #expect(destroyed.diagnostics.isEmpty, "\(destroyed.diagnostics)")
        #expect(destroyed.state?.isNull == true)
        #expect(emulator.requestLog().contains { $0.method == "DELETE" && $0.path == "/v1/auth/api-tokens/ci-deploy" && $0.status == 200 })
        await session.finish()
    }

    // MARK: Stop

    @Test("StopProvider answers, and cancels an API call in flight, which then returns with an error")
    func stopProvider() async throws {
        let emulator = try TursoAPIEmulator.started()
        defer { emulator.stop() }
        let session = try await ProviderSession.launch()
        try await session.configure(emulator: emulator)

        // Nothing in flight: the answer is an empty error (stopped).
        #expect(try await session.stopProvider() == "")

        // The listing stalls for far longer than the call's deadline, so
        // only cancellation can produce an answer within it.
        try emulator.addFault(Fault(method: "GET", pathPrefix: "/v1/auth/api-tokens", delayMilliseconds: 600_000))
        let before = emulator.acceptedConnections
        let request = try session.readDataSourceRequest("turso_api_tokens", .object(type: TursoTypes.apiTokens, [:]), as: TursoTypes.apiTokens)
        async let pending = session.call("ReadDataSource", request, timeout: .seconds(240))
        // Rendezvous: the provider is inside its API call once the emulator has its connection.
        #expect(await eventually { emulator.acceptedConnections > before }, "the data source never reached the emulator")

        #expect(try await session.stopProvider() == "")
        let result = await pending
        #expect(result.status == .ok, "\(result)")
        let read = try ProviderSession.readDataSourceResult(result, as: TursoTypes.apiTokens)
        #expect(read.diagnostics.map(\.severity) == [.error], "\(read.diagnostics)")
        #expect(read.diagnostics.first?.summary == "Turso API call cancelled", "\(read.diagnostics)")
        #expect(read.state?[attribute: "tokens"].isNull != false, "no listing is made up")
        await session.finish()
    }

    // MARK: Unimplemented

    @Test("Methods the provider does not implement answer UNIMPLEMENTED, and serving goes on", arguments: [
        "GenerateResourceConfig", "LockState", "ReadStateBytes",
    ])
    func unimplemented(method: String) async throws {
        let session = try await ProviderSession.launch()
        let result = await session.call(method, [])
        #expect(result.status == .unimplemented, "\(result)")
        #expect(result.response == nil)
        #expect(try await session.getMetadata().resources.count == 2)
        await session.finish()
    }

    // MARK: Malformed values

    /// `turso_timed_token` configurations the decoder must refuse, and the
    /// attribute the diagnostic must point at.
    static let malformedConfigs: [(label: String, config: [UInt8], attribute: AttributePath?)] = [
        // The last 15 of name's 20 bytes are missing: cut short inside its value.
        ("truncated inside name", Array(HandMsgPack.timedTokenConfig(name: HandMsgPack.string("abcdefghijklmnopqrst")).dropLast(15)), "name"),
        ("a number for name", HandMsgPack.timedTokenConfig(name: HandMsgPack.int(42)), "name"),
        ("invalid UTF-8 in name", HandMsgPack.timedTokenConfig(name: HandMsgPack.string(bytes: [0x64, 0x65, 0xC3, 0x28, 0xFF])), "name"),
        // Cut right after the map header, whose 7 entries need at least 14
        // bytes: refused before any attribute is read, so the diagnostic
        // is about the whole value.
        ("truncated after the map header", [0x87, 0xA4] + Array("name".utf8), nil),
    ]

    @Test("A malformed DynamicValue in PlanResourceChange is an error diagnostic on the attribute; the process keeps serving",
          arguments: 0..<4)
    func malformedValue(index: Int) async throws {
        let (label, config, attribute) = Self.malformedConfigs[index]
        let session = try await ProviderSession.launch()
        try await session.configure(emulator: nil)
        let type = TursoTypes.timedToken
        let valid = try MsgPackValueCodec.encode(.timedTokenConfig(name: "ok"), as: type)

        let plan = try await session.planRaw("turso_timed_token", prior: HandMsgPack.null, proposed: valid, config: config, as: type)
        #expect(plan.plannedState == nil, "\(label)")
        #expect(plan.diagnostics.count == 1, "\(label): \(plan.diagnostics)")
        #expect(plan.diagnostics.first?.severity == .error, "\(label)")
        #expect(plan.diagnostics.first?.summary == "Invalid resource configuration", "\(label): \(plan.diagnostics)")
        #expect(plan.diagnostics.first?.attribute == attribute, "\(label): \(plan.diagnostics)")

        // The same value as the proposed state: the diagnostic says which value.
        let proposed = try await session.planRaw("turso_timed_token", prior: HandMsgPack.null, proposed: config, config: valid, as: type)
        #expect(proposed.diagnostics.map(\.summary) == ["Invalid proposed new state"], "\(label): \(proposed.diagnostics)")
        #expect(proposed.diagnostics.first?.attribute == attribute, "\(label)")

        // Still serving, and still correct.
        #expect(session.plugin.process.exitStatus == nil, "\(label): the plugin ended; stderr: \(session.stderrTail)")
        let next = try await session.planRaw("turso_timed_token", prior: HandMsgPack.null, proposed: valid, config: valid, as: type)
        #expect(next.diagnostics.isEmpty, "\(label): \(next.diagnostics)")
        #expect(next.plannedState?[attribute: "name"] == .string("ok"))
        await session.finish()
    }

    @Test("Malformed values elsewhere (an attribute the schema lacks, a truncated state, bytes that are not protobuf) are refused and serving goes on")
    func malformedElsewhere() async throws {
        let session = try await ProviderSession.launch()
        try await session.configure(emulator: nil)
        let type = TursoTypes.timedToken

        let extra = HandMsgPack.map([("name", HandMsgPack.string("x")), ("owner", HandMsgPack.string("me"))])
        let validate = await session.call("ValidateResourceConfig", ProviderSession.pack(Tfplugin6__ValidateResourceConfig__Request.self) { arena, message in
            message.pointee.type_name = arena.string("turso_timed_token")
            message.pointee.config = DynamicValueWire.message(msgpack: extra, in: arena)
        })
        let diagnostics = try ProviderSession.unpack("ValidateResourceConfig", validate, Tfplugin6__ValidateResourceConfig__Response.self) {
            [Diagnostic](wire: $0.n_diagnostics, $0.diagnostics)
        }
        // The attribute is not in the schema, so there is no path to point
        // at (cty reports it on the object too): the detail names it.
        #expect(diagnostics.map(\.severity) == [.error], "\(diagnostics)")
        #expect(diagnostics.first?.detail.contains(#""owner""#) == true, "\(diagnostics)")

        // ReadResource with a state cut short: no value to hand the resource,
        // so an error, and the private bytes go back as they came.
        let state = try MsgPackValueCodec.encode(Self.storedTimedToken, as: type)
        let truncated = Array(state.prefix(state.count - 3))
        let read = await session.call("ReadResource", ProviderSession.pack(Tfplugin6__ReadResource__Request.self) { arena, message in
            message.pointee.type_name = arena.string("turso_timed_token")
            message.pointee.current_state = DynamicValueWire.message(msgpack: truncated, in: arena)
            message.pointee.private_ = arena.bytes([1, 2, 3])
        })
        let readResult = try ProviderSession.unpack("ReadResource", read, Tfplugin6__ReadResource__Response.self) {
            ([Diagnostic](wire: $0.n_diagnostics, $0.diagnostics), [UInt8](wire: $0.private_))
        }
        #expect(readResult.0.map(\.summary) == ["Invalid current state"], "\(readResult.0)")
        #expect(readResult.1 == [1, 2, 3], "private state is handed back untouched")

        // Bytes that are not a protobuf message at all: INVALID_ARGUMENT.
        for method in ["PlanResourceChange", "ApplyResourceChange", "ReadResource", "ConfigureProvider"] {
            let result = await session.call(method, [0x0A, 0x7F, 0x01])
            #expect(result.status == .invalidArgument, "\(method): \(result)")
        }

        #expect(session.plugin.process.exitStatus == nil, "stderr: \(session.stderrTail)")
        #expect(try await session.getMetadata().resources.count == 2)
        await session.finish()
    }

    // MARK: Concurrency

    @Test("Twenty timed-token and twenty API-token plans and applies in parallel all succeed with distinct tokens")
    func parallelApplies() async throws {
        let emulator = try TursoAPIEmulator.started()
        defer { emulator.stop() }
        let session = try await ProviderSession.launch()
        try await session.configure(emulator: emulator)

        let outcomes = await withTaskGroup(of: Result<(String, CtyValue), ProtocolTestFailure>.self) { group in
            for index in 0..<20 {
                group.addTask {
                    do {
                        let (_, applied) = try await session.create(
                            "turso_timed_token", config: .timedTokenConfig(name: "parallel-\(index)"), as: TursoTypes.timedToken
                        )
                        guard applied.diagnostics.isEmpty, let state = applied.state, !applied.private.isEmpty else {
                            return .failure(ProtocolTestFailure("timed \(index): \(applied.diagnostics)"))
                        }
                        return .success(("timed-\(index)", state))
                    } catch {
                        return .failure(ProtocolTestFailure("timed \(index): \(error)"))
                    }
                }
                group.addTask {
                    do {
                        let (_, applied) = try await session.create(
                            "turso_api_token", config: .apiTokenConfig(name: "parallel-\(index)", organization: "my-org"), as: TursoTypes.apiToken
                        )
                        guard applied.diagnostics.isEmpty, let state = applied.state, !applied.private.isEmpty else {
                            return .failure(ProtocolTestFailure("api \(index): \(applied.diagnostics)"))
                        }
                        return .success(("api-\(index)", state))
                    } catch {
                        return .failure(ProtocolTestFailure("api \(index): \(error)"))
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        let failures = outcomes.compactMap { if case .failure(let failure) = $0 { failure } else { nil } }
        #expect(failures.isEmpty, "\(failures.prefix(5))")
        let states = Dictionary(uniqueKeysWithValues: outcomes.compactMap { try? $0.get() })
        #expect(states.count == 40)
        let tokens = Set(states.values.compactMap { $0[attribute: "token"].stringValue })
        #expect(tokens.count == 40, "every token is distinct")
        for index in 0..<20 {
            #expect(states["timed-\(index)"]?[attribute: "name"] == .string("parallel-\(index)"), "answers went to the right calls")
            #expect(states["api-\(index)"]?[attribute: "name"] == .string("parallel-\(index)"))
        }
        let listed = try await session.readDataSource("turso_api_tokens", .object(type: TursoTypes.apiTokens, [:]), as: TursoTypes.apiTokens)
        let names = Set(listed.state?[attribute: "tokens"].elements?.compactMap { $0[attribute: "name"].stringValue } ?? [])
        #expect(names == Set((0..<20).map { "parallel-\($0)" }))
        await session.finish()
    }

    // MARK: Shutdown

    @Test("After serving, Shutdown drains at once (no grace period waited out), exits with status 0 and removes its socket")
    func shutdown() async throws {
        let emulator = try TursoAPIEmulator.started()
        defer { emulator.stop() }
        // How the server ended is read from its own debug log, not timed:
        // with no call in flight it must stop as soon as Shutdown is
        // answered, never by running out its grace period.
        let session = try await ProviderSession.launch(environment: ["TF_LOG_PROVIDER_TURSO": "debug"])
        try await session.configure(emulator: emulator)
        let (_, timed) = try await session.create("turso_timed_token", config: .timedTokenConfig(name: "last"), as: TursoTypes.timedToken)
        #expect(timed.diagnostics.isEmpty)
        let (_, api) = try await session.create("turso_api_token", config: .apiTokenConfig(name: "last", organization: "my-org"), as: TursoTypes.apiToken)
        #expect(api.diagnostics.isEmpty, "\(api.diagnostics)")
        #expect(access(session.socketPath, F_OK) == 0)

        let (result, status) = await session.plugin.shutdown(timeout: .seconds(60))
        #expect(result.status == .ok, "\(result)")
        #expect(status == .exited(0), "stderr: \(session.stderrTail)")
        #expect(access(session.socketPath, F_OK) != 0, "socket left behind")
        let log = session.plugin.process.standardError
        #expect(log.contains("plugin server: stopped"), "stderr: \(session.stderrTail)")
        #expect(!log.contains("grace period over"), "stderr: \(session.stderrTail)")
        #expect(!log.contains("calls still in the handler"), "stderr: \(session.stderrTail)")
    }
}

@Suite("Provider RPC test helpers")
struct ProviderRPCHelperTests {
    // The private-state checks pass when nothing is found: make sure the
    // search would find the token if it were there.
    @Test("The secret search finds a token in clear and in base64 at every alignment, and nothing in unrelated bytes")
    func secretSearch() {
        let token = "token-1f0e9d8c-7b6a-4594-8372-615049382716"
        #expect(SecretSearch.occurrences(of: token, in: Array("{\"token\":\"\(token)\"}".utf8)) == ["in clear"])
        for prefix in ["", "x", "xy", "xyz"] {
            let standard = Data((prefix + token + "!").utf8).base64EncodedString()
            #expect(SecretSearch.occurrences(of: token, in: [1, 2] + Array(standard.utf8)).contains { $0.hasPrefix("base64 at") },
                    "prefix \(prefix.count)")
            let urlSafe = standard.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            #expect(!SecretSearch.occurrences(of: token, in: Array(urlSafe.utf8)).isEmpty, "prefix \(prefix.count)")
        }
        #expect(SecretSearch.occurrences(of: token, in: Array(repeating: 0x41, count: 200)).isEmpty)
    }
}

/// Looks for a secret in bytes: in clear, and in base64 (standard and
/// URL-safe, at each of the three alignments it could have inside a longer
/// encoding).
enum SecretSearch {
    static func occurrences(of secret: String, in bytes: [UInt8]) -> [String] {
        var found: [String] = []
        let secretBytes = Array(secret.utf8)
        if contains(bytes, secretBytes) { found.append("in clear") }
        for offset in 0..<3 {
            let encoded = Data(repeating: 0, count: offset) + Data(secretBytes)
            var text = encoded.base64EncodedString()
            // Characters that also depend on neighbouring bytes are left out.
            text = String(text.dropFirst(offset == 0 ? 0 : 4).dropLast(4))
            let urlSafe = text.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            if contains(bytes, Array(text.utf8)) { found.append("base64 at offset \(offset)") }
            if contains(bytes, Array(urlSafe.utf8)) { found.append("base64url at offset \(offset)") }
        }
        return found
    }

    private static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, haystack.count >= needle.count else { return false }
        return (0...(haystack.count - needle.count)).contains { haystack[$0..<$0 + needle.count].elementsEqual(needle) }
    }
}
