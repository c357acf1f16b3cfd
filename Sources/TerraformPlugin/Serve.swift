/// Serves `provider` to the Terraform (or OpenTofu) process that launched
/// this binary, over tfplugin6, until Terraform shuts the plugin down; then
/// exits the process. Call it from synchronous top-level code in `main.swift`:
/// the calling thread becomes the gRPC server's thread.
///
/// In debug mode, when `arguments` (the process's command line by default)
/// hold `-debug` or `--debug`, the provider serves without a host, prints the
/// `TF_REATTACH_PROVIDERS` value naming it by `provider.address` (e.g.
/// `registry.terraform.io/owner/name`), and serves every Terraform run that
/// sets it, until Ctrl-C.
public func servePlugin(provider: some Provider, arguments: [String] = CommandLine.arguments) -> Never {
    PluginLog.configure(providerAddress: provider.address)
    let debug = arguments.dropFirst().contains { DebugFlag.isSet($0) }
    PluginServer.serve(makeHandler: { ProviderRouter(provider: provider) }, debugProviderAddress: debug ? provider.address : nil)
}

/// The `-debug` flag as Go's flag package reads a boolean: one or two
/// dashes, optionally `=true` (or `=1`, `=t`).
package enum DebugFlag {
    package static func isSet(_ argument: String) -> Bool {
        var name = Substring(argument)
        guard name.hasPrefix("-") else { return false }
        name = name.dropFirst()
        if name.hasPrefix("-") { name = name.dropFirst() }
        if name == "debug" { return true }
        guard name.hasPrefix("debug=") else { return false }
        return ["1", "t", "T", "true", "TRUE", "True"].contains(name.dropFirst("debug=".count))
    }
}
