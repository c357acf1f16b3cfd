import CTFPlugin6

/// Where the server sends a call, by method path.
package enum CallRoute: Equatable {
    /// `plugin.GRPCController/Shutdown`: answered here, then the server stops.
    case shutdown
    /// `grpc.health.v1.Health/Check`, answered here as go-plugin servers do.
    case healthCheck
    /// A unary call for the handler.
    case handler
    /// A server-streaming call for the handler (one request message, any
    /// number of answers).
    case serverStreaming
    /// Anything else, including go-plugin's streaming `GRPCStdio/StreamStdio`
    /// and `GRPCBroker/StartStream`, which Terraform tolerates missing:
    /// UNIMPLEMENTED at once, without waiting for a request that a streaming
    /// client may never half-close.
    case unimplemented

    package static let shutdownMethod = "/plugin.GRPCController/Shutdown"
    package static let healthCheckMethod = "/grpc.health.v1.Health/Check"

    package init(method: String, handlerServices: [String], serverStreamingMethods: Set<String> = []) {
        switch method {
        case Self.shutdownMethod: self = .shutdown
        case Self.healthCheckMethod: self = .healthCheck
        default:
            let handled = handlerServices.contains { service in
                method.hasPrefix("/" + service + "/") && method.utf8.count > service.utf8.count + 2
            }
            self = !handled ? .unimplemented : serverStreamingMethods.contains(method) ? .serverStreaming : .handler
        }
    }
}

/// `grpc.health.v1.Health/Check`: the plugin serves as a whole ("") and as
/// go-plugin's service name "plugin"; any other service is unknown.
package enum HealthCheck {
    package static func answer(_ request: [UInt8]) -> RPCResult {
        let decoded = request.withUnsafeBufferPointer { buffer in
            grpc__health__v1__health_check_request__unpack(nil, buffer.count, buffer.baseAddress)
        }
        guard let decoded else { return .failure(.invalidArgument, "malformed HealthCheckRequest") }
        let service = decoded.pointee.service.map { String(cString: $0) } ?? ""
        grpc__health__v1__health_check_request__free_unpacked(decoded, nil)

        guard service.isEmpty || service == "plugin" else {
            // The name is the client's input: echoed only when short, as a
            // status message travels in a size-limited header.
            return .failure(.notFound, service.utf8.count <= 100 ? "unknown service \(service)" : "unknown service")
        }
        var response = Grpc__Health__V1__HealthCheckResponse()
        grpc__health__v1__health_check_response__init(&response)
        response.status = GRPC__HEALTH__V1__HEALTH_CHECK_RESPONSE__SERVING_STATUS__SERVING
        var bytes = [UInt8](repeating: 0, count: grpc__health__v1__health_check_response__get_packed_size(&response))
        _ = grpc__health__v1__health_check_response__pack(&response, &bytes)
        return .success(bytes)
    }
}
