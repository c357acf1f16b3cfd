import TerraformPlugin

/// Until the tfplugin6 router lands, every provider call is unimplemented.
struct UnimplementedHandler: RPCHandler {
    func handle(method: String, request: [UInt8]) async -> RPCResult {
        .failure(.unimplemented, "\(method) is not implemented yet")
    }
}

PluginServer.serve(handler: UnimplementedHandler())
