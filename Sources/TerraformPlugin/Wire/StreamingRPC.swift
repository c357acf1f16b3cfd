import CTFPlugin6

/// A server-streaming tfplugin6 RPC (ListResource, InvokeAction): the same
/// shape as `RPC` (fromWire, the provider call, toWire) except that the
/// answer is a sequence of messages, each packed on its own. `WireResponse`
/// is the event message; a refused request is one event saying why.
protocol StreamingRPC: RPC {
    /// The events to send, in order.
    static func events(_ response: Response, _ request: Request, _ context: ResponseContext) -> [[UInt8]]
}

extension StreamingRPC {
    /// Unused for streams (`serveStream` sends `events`); one event, so a
    /// unary caller would still get a well-formed message.
    static func pack(_ response: Response, _ request: Request, _ context: ResponseContext) -> [UInt8] {
        events(response, request, context).first ?? WireArena.pack(WireResponse.self) { _, _ in }
    }

    /// Packs one event built by `build`; the writer's diagnostics (values
    /// the provider produced that do not conform) are handed to `finish`.
    static func event(
        _ context: ResponseContext,
        _ build: (inout ResponseWriter, UnsafeMutablePointer<WireResponse>) -> Void,
        finish: ([Diagnostic], WireArena, UnsafeMutablePointer<WireResponse>) -> Void
    ) -> [UInt8] {
        WireArena.pack(WireResponse.self) { arena, message in
            var writer = ResponseWriter(arena: arena, context: context)
            build(&writer, message)
            finish(writer.diagnostics, arena, message)
        }
    }

    /// Serves one streaming call as `RPC.serve` serves a unary one: the only
    /// place that unpacks, looks up, refuses and tracks.
    static func serveStream(_ core: RouterCore, _ bytes: [UInt8]) async -> (RPCStreamResult, typeName: String) {
        let message: UnpackedMessage<WireRequest>
        do { message = try UnpackedMessage(bytes) } catch { return (.failure(.invalidArgument, error.description), "") }
        let typeName = message.withMessage { Self.typeName($0) }
        let found: Found<Target>
        let request: Request
        do throws(RejectedRequest) {
            found = try find(typeName, in: core)
            let values = RequestValues(rpc: name, typeName: typeName, valueType: found.valueType, providerMetaType: core.providerMetaType)
            request = try message.withMessage { message throws(RejectedRequest) in try fromWire(message, values) }
        } catch {
            return (.messages([refusal(error.diagnostic, echoing: nil)]), typeName)
        }
        let target = found.target
        let response = await core.calls.run { await call(target, request) }
        return (.messages(events(response, request, ResponseContext(core: core, typeName: typeName, valueType: found.valueType))), typeName)
    }
}

extension ProviderRouter {
    /// Every server-streaming RPC served.
    static let streamingRPCs: [any StreamingRPC.Type] = [ListResourceRPC.self, InvokeActionRPC.self]

    typealias StreamRoute = @Sendable (RouterCore, [UInt8]) async -> (RPCStreamResult, typeName: String)

    static let streamRoutes: [String: StreamRoute] = Dictionary(
        uniqueKeysWithValues: streamingRPCs.map { rpc in (methodPrefix + rpc.name, rpc.serveStream) }
    )

    public func handleServerStream(method: String, request: [UInt8]) async -> RPCStreamResult {
        // The same request context and lines as a unary call (`handle`).
        let context = Self.logContext(method: method)
        let rpc = context.rpc
        return await PluginLog.$request.withValue(context) {
            guard let route = Self.streamRoutes[method] else {
                PluginLog.debug("Unimplemented RPC called", module: Self.logModule)
                return .failure(.unimplemented, "\(method) is not implemented by this provider")
            }
            PluginLog.trace("Received request", module: Self.logModule)
            let start = ContinuousClock.now
            let (result, typeName) = await route(core, request)
            if PluginLog.isEnabled(.trace) {
                let status: String = switch result {
                case .messages(let messages): "ok (\(messages.count) messages)"
                case .failure(let code, _): "\(code)"
                }
                var servedContext = context
                if !typeName.isEmpty {
                    // terraform-plugin-go's keys: list resources are resource types.
                    servedContext.typeField = (rpc == "InvokeAction" ? "tf_action_type" : "tf_resource_type", typeName)
                }
                // Names, counts and timings only: values can hold secrets.
                PluginLog.$request.withValue(servedContext) {
                    PluginLog.trace(
                        "Served request",
                        ["tf_status": status, "tf_req_duration_ms": Self.milliseconds(ContinuousClock.now - start)],
                        module: Self.logModule
                    )
                }
            }
            return result
        }
    }
}
