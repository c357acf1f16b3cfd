/// How `PluginServer.serve` presents itself to the plugin host. The defaults
/// are Terraform's: its magic cookie, plugin protocol 6, tfplugin6 calls to
/// the handler.
package struct PluginServerConfiguration: Sendable {
    /// The environment variable the host sets to show that it launched us.
    package var magicCookieKey = "TF_PLUGIN_MAGIC_COOKIE"
    package var magicCookieValue = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2"

    /// The plugin protocol version we speak; it must be among those the host
    /// offers in `PLUGIN_PROTOCOL_VERSIONS`.
    package var protocolVersion = 6

    /// gRPC services (`package.Service`) whose calls go to the handler. Calls
    /// to any other service the server does not serve itself are answered
    /// UNIMPLEMENTED without reading a request, so a streaming client is never
    /// left waiting.
    package var handlerServices: [String] = ["tfplugin6.Provider"]

    /// Methods of `handlerServices` (full paths) that answer with a stream
    /// of messages: the request is read as for a unary call, and the answer
    /// comes from `RPCHandler.handleServerStream`. tfplugin6's
    /// `returns (stream ...)` methods.
    package var serverStreamingMethods: Set<String> = [
        "/tfplugin6.Provider/ListResource",
        "/tfplugin6.Provider/InvokeAction",
        "/tfplugin6.Provider/ReadStateBytes",
    ]

    /// Largest message received or sent; terraform-plugin-go's limit. gRPC's
    /// 4 MiB default has broken real providers with large states.
    package var maxMessageBytes = 256 << 20

    /// After `plugin.GRPCController/Shutdown`, how long open calls may take
    /// to finish (handler tasks are cancelled when shutdown begins). Then the
    /// calls still open are cancelled, and after 100 ms more the process
    /// exits even if a handler has not returned.
    package var shutdownGracePeriod: Duration = .milliseconds(300)

    package init() {}
}
