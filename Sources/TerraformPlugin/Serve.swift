/// Serves `provider` to the Terraform (or OpenTofu) process that launched
/// this binary, over tfplugin6, until Terraform shuts the plugin down; then
/// exits the process. Call it from synchronous top-level code in `main.swift`:
/// the calling thread becomes the gRPC server's thread.
public func servePlugin(provider: some Provider) -> Never {
    PluginLog.configure(providerAddress: provider.address)
    PluginServer.serve(handler: ProviderRouter(provider: provider))
}
