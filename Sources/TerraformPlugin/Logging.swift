#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

import Synchronization

/// Log lines for Terraform: one JSON object per line on stderr, in the
/// hclog form Terraform parses (`@level`, `@message`, `@module`,
/// `@timestamp`, then fields), with the fields terraform-plugin-go's
/// tooling expects: `tf_provider_addr` on every line, and on lines written
/// while an RPC is served, `tf_req_id` (one UUID per request), `tf_rpc` and
/// `tf_resource_type` or `tf_data_source_type`.
///
/// `@module` is `sdk.proto` for the router's own lines about an RPC,
/// `provider` for lines the provider's code writes while serving one, and
/// `sdk` for everything else (the server, gRPC).
///
/// The level comes from `TF_LOG_PROVIDER_<NAME>` (the provider's type name
/// from its address, upper-cased, `-` as `_`: `TF_LOG_PROVIDER_TURSO`), else
/// `TF_LOG_PROVIDER`, else `TF_LOG`; without any the plugin is silent.
///
/// Never pass secrets (tokens, keys, private state) as messages or fields.
public enum PluginLog {
    public enum Level: Int, Comparable, Sendable {
        case trace, debug, info, warn, error, off

        public static func < (lhs: Level, rhs: Level) -> Bool { lhs.rawValue < rhs.rawValue }

        var name: String {
            switch self {
            case .trace: "trace"
            case .debug: "debug"
            case .info: "info"
            case .warn: "warn"
            case .error: "error"
            case .off: "off"
            }
        }

        /// Terraform's level names; `JSON` means trace. Unknown names: off.
        public init(environmentValue: String?) {
            switch environmentValue?.uppercased() {
            case "TRACE", "JSON": self = .trace
            case "DEBUG": self = .debug
            case "INFO": self = .info
            case "WARN": self = .warn
            case "ERROR": self = .error
            default: self = .off
            }
        }
    }

    /// What an RPC's log lines carry, set by the router for the duration of
    /// the call (a task-local value: the provider's code, running in the
    /// call's task, inherits it).
    package struct RequestContext: Sendable {
        package var requestID: String
        /// e.g. `ApplyResourceChange`.
        package var rpc: String
        /// `tf_resource_type` or `tf_data_source_type`, and the type name.
        package var typeField: (key: String, value: String)?

        package init(requestID: String, rpc: String, typeField: (key: String, value: String)? = nil) {
            self.requestID = requestID
            self.rpc = rpc
            self.typeField = typeField
        }
    }

    @TaskLocal package static var request: RequestContext?

    /// Set once, before serving (`configure`); read on every line.
    private static let levelValue = Atomic<Int>(level(environment: environmentValue, providerAddress: "").rawValue)
    private static let providerAddress = Mutex("")

    package static var level: Level { Level(rawValue: levelValue.load(ordering: .relaxed)) ?? .off }

    /// Names the provider in every line and chooses the level, honouring
    /// its own `TF_LOG_PROVIDER_<NAME>`. Called by `servePlugin` before the
    /// first line.
    public static func configure(providerAddress address: String) {
        providerAddress.withLock { $0 = address }
        levelValue.store(level(environment: environmentValue, providerAddress: address).rawValue, ordering: .relaxed)
    }

    /// The level the environment asks for. `environment` looks a variable up.
    package static func level(environment: (String) -> String?, providerAddress: String) -> Level {
        var names = ["TF_LOG_PROVIDER", "TF_LOG"]
        if let name = providerName(providerAddress) { names.insert("TF_LOG_PROVIDER_" + name, at: 0) }
        for name in names {
            if let value = environment(name), !value.isEmpty { return Level(environmentValue: value) }
        }
        return .off
    }

    private static func environmentValue(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }

    /// `registry.terraform.io/turso-swift/turso` -> `TURSO` (the type, as
    /// terraform-plugin-go names its logger); nil without one.
    package static func providerName(_ address: String) -> String? {
        guard let type = address.split(separator: "/").last, !type.isEmpty else { return nil }
        return String(type.uppercased().map { $0 == "-" ? "_" : $0 })
    }

    /// A fresh random UUID (version 4), one per request, as terraform-plugin-go makes.
    package static func requestID() -> String {
        // Every RPC mints one, logging on or off: written straight into the
        // string's storage rather than through a string per byte.
        var generator = SystemRandomNumberGenerator()
        let halves: (UInt64, UInt64) = (generator.next(), generator.next())
        return String(unsafeUninitializedCapacity: 36) { out in
            var position = 0
            for index in 0..<16 {
                var byte = UInt8(truncatingIfNeeded: (index < 8 ? halves.0 : halves.1) >> (UInt64(index % 8) * 8))
                if index == 6 { byte = byte & 0x0F | 0x40 }  // version 4
                if index == 8 { byte = byte & 0x3F | 0x80 }  // RFC 4122 variant
                if index == 4 || index == 6 || index == 8 || index == 10 {
                    out[position] = UInt8(ascii: "-")
                    position += 1
                }
                out[position] = hexDigits[Int(byte >> 4)]
                out[position + 1] = hexDigits[Int(byte & 0x0F)]
                position += 2
            }
            return position
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    public static func trace(_ message: @autoclosure () -> String, _ fields: KeyValuePairs<String, String> = [:], module: String? = nil) {
        log(.trace, message(), fields, module: module)
    }

    public static func debug(_ message: @autoclosure () -> String, _ fields: KeyValuePairs<String, String> = [:], module: String? = nil) {
        log(.debug, message(), fields, module: module)
    }

    public static func info(_ message: @autoclosure () -> String, _ fields: KeyValuePairs<String, String> = [:], module: String? = nil) {
        log(.info, message(), fields, module: module)
    }

    public static func warn(_ message: @autoclosure () -> String, _ fields: KeyValuePairs<String, String> = [:], module: String? = nil) {
        log(.warn, message(), fields, module: module)
    }

    public static func error(_ message: @autoclosure () -> String, _ fields: KeyValuePairs<String, String> = [:], module: String? = nil) {
        log(.error, message(), fields, module: module)
    }

    public static func isEnabled(_ messageLevel: Level) -> Bool { messageLevel != .off && messageLevel >= level }

    static func log(
        _ messageLevel: Level, _ message: @autoclosure () -> String, _ fields: KeyValuePairs<String, String>, module: String? = nil
    ) {
        guard isEnabled(messageLevel) else { return }
        let request = Self.request
        let line = formatLine(
            level: messageLevel, message: message(), module: module ?? (request == nil ? "sdk" : "provider"),
            context: contextFields(request), fields: fields, timestamp: timestamp()
        )
        // One write(2) per line: lines from concurrent calls never interleave.
        var bytes = Array(line.utf8)
        bytes.append(UInt8(ascii: "\n"))
        bytes.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            var offset = 0
            while offset < buffer.count {
                let written = write(2, base + offset, buffer.count - offset)
                if written <= 0 { break }
                offset += written
            }
        }
    }

    /// The fields every line carries: the provider, and the request's.
    package static func contextFields(_ request: RequestContext?) -> [(String, String)] {
        var fields: [(String, String)] = []
        let address = providerAddress.withLock { $0 }
        if !address.isEmpty { fields.append(("tf_provider_addr", address)) }
        if let request {
            fields.append(("tf_req_id", request.requestID))
            fields.append(("tf_rpc", request.rpc))
            if let type = request.typeField { fields.append((type.key, type.value)) }
        }
        return fields
    }

    /// A log line. Keys starting with `@` are hclog's own and dropped from
    /// `fields`; a field repeating a context key is dropped too.
    package static func formatLine(
        level: Level, message: String, module: String, context: [(String, String)] = [],
        fields: KeyValuePairs<String, String>, timestamp: String
    ) -> String {
        var line = "{\"@level\":\"\(level.name)\",\"@message\":\(jsonString(message)),\"@module\":\(jsonString(module)),\"@timestamp\":\"\(timestamp)\""
        for (key, value) in context {
            line += ",\(jsonString(key)):\(jsonString(value))"
        }
        for (key, value) in fields where !key.hasPrefix("@") && !context.contains(where: { $0.0 == key }) {
            line += ",\(jsonString(key)):\(jsonString(value))"
        }
        return line + "}"
    }

    /// `2006-01-02T15:04:05.000000Z07:00` in UTC, the only form Terraform accepts.
    static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var seconds = now.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(Int(parts.tm_year) + 1900, 4))-\(pad(Int(parts.tm_mon) + 1, 2))-\(pad(Int(parts.tm_mday), 2))"
            + "T\(pad(Int(parts.tm_hour), 2)):\(pad(Int(parts.tm_min), 2)):\(pad(Int(parts.tm_sec), 2))"
            + ".\(pad(Int(now.tv_nsec) / 1000, 6))Z"
    }

    /// A JSON string literal; invalid UTF-8 cannot occur in a Swift String.
    package static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
