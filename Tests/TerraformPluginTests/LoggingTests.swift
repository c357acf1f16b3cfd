import Foundation
import CTFPlugin6
import Synchronization
import Testing
@testable import TerraformPlugin

/// A resource that records the log context its calls run in.
struct LogProbeResource: ManagedResource {
    let box: LogProbeBox
    var typeName: String { "fake_probe" }
    var schema: Schema { FakeThing.schema }

    func plan(_ request: PlanResourceChangeRequest) async -> PlanResourceChangeResponse {
        PlanResourceChangeResponse(plannedState: request.proposedNewState)
    }

    func apply(_ request: ApplyResourceChangeRequest) async -> ApplyResourceChangeResponse {
        ApplyResourceChangeResponse(newState: request.plannedState)
    }

    func read(_ request: ReadResourceRequest) async -> ReadResourceResponse {
        ReadResourceResponse(newState: request.currentState, private: request.private)
    }

    func importState(_ request: ImportResourceStateRequest) async -> ImportResourceStateResponse {
        // The provider's task inherits the router's context.
        let context = PluginLog.request
        box.seen.withLock { $0.append(context) }
        return ImportResourceStateResponse(diagnostics: [.error("No", "Not importable.")])
    }
}

final class LogProbeBox: Sendable {
    let seen = Mutex<[PluginLog.RequestContext?]>([])
}

@Suite("Logging: the fields Terraform's tooling expects, and the provider's own level variable")
struct LoggingTests {
    @Test("TF_LOG_PROVIDER_<NAME> wins over TF_LOG_PROVIDER, which wins over TF_LOG; empty values do not count")
    func levelPrecedence() {
        let address = "registry.terraform.io/turso-swift/turso"
        func level(_ environment: [String: String]) -> PluginLog.Level {
            PluginLog.level(environment: { environment[$0] }, providerAddress: address)
        }
        #expect(level([:]) == .off)
        #expect(level(["TF_LOG": "debug"]) == .debug)
        #expect(level(["TF_LOG": "debug", "TF_LOG_PROVIDER": "warn"]) == .warn)
        #expect(level(["TF_LOG": "debug", "TF_LOG_PROVIDER": "warn", "TF_LOG_PROVIDER_TURSO": "trace"]) == .trace)
        #expect(level(["TF_LOG": "trace", "TF_LOG_PROVIDER_TURSO": "off"]) == .off)
        #expect(level(["TF_LOG": "info", "TF_LOG_PROVIDER_TURSO": ""]) == .info)
        #expect(level(["TF_LOG": "trace", "TF_LOG_PROVIDER_OTHER": "off"]) == .trace, "another provider's variable is not ours")
        // Without an address only the general variables apply.
        #expect(PluginLog.level(environment: { ["TF_LOG_PROVIDER_TURSO": "trace"][$0] }, providerAddress: "") == .off)
    }

    @Test("the provider's variable name comes from the type in its address, as terraform-plugin-go names it")
    func providerName() {
        #expect(PluginLog.providerName("registry.terraform.io/turso-swift/turso") == "TURSO")
        #expect(PluginLog.providerName("example.com/acme/my-cloud") == "MY_CLOUD")
        #expect(PluginLog.providerName("") == nil)
    }

    @Test("request ids are version 4 UUIDs, a new one each time")
    func requestIDs() {
        let ids = (0..<200).map { _ in PluginLog.requestID() }
        #expect(Set(ids).count == ids.count)
        for id in ids {
            let groups = id.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
            #expect(groups.map(\.count) == [8, 4, 4, 4, 12], "\(id)")
            #expect(id.allSatisfy { "0123456789abcdef-".contains($0) }, "\(id)")
            #expect(groups[2].first == "4", "version 4: \(id)")
            #expect(groups[3].first.map { "89ab".contains($0) } == true, "RFC 4122 variant: \(id)")
        }
    }

    @Test("a line carries @module, the provider address and the request's fields, in JSON Terraform parses")
    func lineFields() throws {
        let context = PluginLog.RequestContext(
            requestID: "8f2b6a1e-3c4d-4e5f-9a0b-1c2d3e4f5a6b", rpc: "ReadResource", typeField: ("tf_resource_type", "x_\"thing\"")
        )
        let line = PluginLog.formatLine(
            level: .debug, message: "Turso API request", module: "provider",
            context: [("tf_provider_addr", "registry.terraform.io/turso-swift/turso")] + [
                ("tf_req_id", context.requestID), ("tf_rpc", context.rpc), context.typeField!,
            ],
            fields: ["method": "GET", "tf_rpc": "spoofed", "@level": "error"], timestamp: "2026-11-30T04:00:00.000000Z"
        )
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
        #expect(object == [
            "@level": "debug", "@message": "Turso API request", "@module": "provider", "@timestamp": "2026-11-30T04:00:00.000000Z",
            "tf_provider_addr": "registry.terraform.io/turso-swift/turso", "tf_req_id": context.requestID, "tf_rpc": "ReadResource",
            "tf_resource_type": "x_\"thing\"", "method": "GET",
        ])
        #expect(line.hasPrefix(#"{"@level":"debug","@message":"Turso API request","@module":"provider","@timestamp""#))
    }

    @Test("the router runs each call in a context naming the RPC, the type and a fresh request id")
    func routerContext() async throws {
        let box = LogProbeBox()
        let (router, _) = makeRouter(extraResources: [LogProbeResource(box: box)])
        let bytes = TerraformPluginTests.request(Tfplugin6__ImportResourceState__Request.self) { arena, message in
            message.pointee.type_name = arena.string("fake_probe")
            message.pointee.id = arena.string("x")
        }
        _ = await router.call("ImportResourceState", bytes)
        _ = await router.call("ImportResourceState", bytes)
        let seen = box.seen.withLock { $0 }
        #expect(seen.count == 2)
        let contexts = seen.compactMap { $0 }
        #expect(contexts.count == 2, "the provider's code sees the request's context")
        #expect(contexts.allSatisfy { $0.rpc == "ImportResourceState" })
        #expect(contexts.allSatisfy { $0.typeField?.key == "tf_resource_type" && $0.typeField?.value == "fake_probe" })
        #expect(contexts.allSatisfy { $0.requestID.count == 36 })
        #expect(contexts[0].requestID != contexts[1].requestID, "one id per request")
        #expect(PluginLog.request == nil, "the context ends with the call")
        let fields = PluginLog.contextFields(contexts[0]).map(\.0)
        #expect(fields.suffix(3) == ["tf_req_id", "tf_rpc", "tf_resource_type"])
    }
}
