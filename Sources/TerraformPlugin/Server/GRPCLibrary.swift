import CGRPCCore

/// One hold on the gRPC library: `grpc_init` when made, `grpc_shutdown` when
/// it ends. gRPC counts holds, so servers and test clients can each keep one;
/// every gRPC object must be gone before the last hold ends.
package struct GRPCLibrary: ~Copyable {
    package init() {
        GRPCLogBridge.install()
        grpc_init()
    }

    deinit { grpc_shutdown() }
}

/// Deadlines in gRPC's clock.
package enum GRPCDeadline {
    /// `duration` from now, on the monotonic clock.
    package static func after(_ duration: Duration) -> gpr_timespec {
        let (seconds, attoseconds) = duration.components
        let span = gpr_time_from_nanos(seconds * 1_000_000_000 + attoseconds / 1_000_000_000, GPR_TIMESPAN)
        return gpr_time_add(gpr_now(GPR_CLOCK_MONOTONIC), span)
    }
}

/// gRPC's own log lines, re-emitted through `PluginLog`, so that stderr
/// carries only the JSON lines Terraform parses. gRPC filters by
/// `GRPC_VERBOSITY` (default: errors only) before it calls us.
enum GRPCLogBridge {
    static func install() { gpr_set_log_function(forwardGRPCLog) }
}

private func forwardGRPCLog(_ arguments: UnsafeMutablePointer<gpr_log_func_args>?) {
    guard let arguments = arguments?.pointee, let message = arguments.message else { return }
    let level: PluginLog.Level =
        switch arguments.severity {
        case GPR_LOG_SEVERITY_DEBUG: .debug
        case GPR_LOG_SEVERITY_INFO: .info
        default: .error
        }
    guard PluginLog.isEnabled(level) else { return }
    let file = arguments.file.map { String(cString: $0) } ?? "?"
    PluginLog.log(level, "grpc: " + String(cString: message), ["grpc_source": "\(file):\(arguments.line)"])
}
