#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Log lines for Terraform: one JSON object per line on stderr, in the
/// hclog form Terraform parses (`@level`, `@message`, `@timestamp`, then
/// fields). The level comes from `TF_LOG_PROVIDER`, else `TF_LOG`; without
/// either the plugin is silent.
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

    /// Read once: the environment does not change under a running plugin.
    package static let level: Level = {
        let providerLevel = getenv("TF_LOG_PROVIDER").map { String(cString: $0) }
        if let providerLevel, !providerLevel.isEmpty { return Level(environmentValue: providerLevel) }
        return Level(environmentValue: getenv("TF_LOG").map { String(cString: $0) })
    }()

    public static func trace(_ message: @autoclosure () -> String, _ fields: KeyValuePairs<String, String> = [:]) {
        log(.trace, message(), fields)
    }

    public static func debug(_ message: @autoclosure () -> String, _ fields: KeyValuePairs<String, String> = [:]) {
        log(.debug, message(), fields)
    }

    public static func info(_ message: @autoclosure () -> String, _ fields: KeyValuePairs<String, String> = [:]) {
        log(.info, message(), fields)
    }

    public static func warn(_ message: @autoclosure () -> String, _ fields: KeyValuePairs<String, String> = [:]) {
        log(.warn, message(), fields)
    }

    public static func error(_ message: @autoclosure () -> String, _ fields: KeyValuePairs<String, String> = [:]) {
        log(.error, message(), fields)
    }

    public static func isEnabled(_ messageLevel: Level) -> Bool { messageLevel != .off && messageLevel >= level }

    static func log(_ messageLevel: Level, _ message: @autoclosure () -> String, _ fields: KeyValuePairs<String, String>) {
        guard isEnabled(messageLevel) else { return }
        let line = formatLine(level: messageLevel, message: message(), fields: fields, timestamp: timestamp())
        // One write(2) per line: lines from concurrent calls never interleave.
        var bytes = Array(line.utf8)
        bytes.append(UInt8(ascii: "\n"))
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(2, buffer.baseAddress! + offset, buffer.count - offset)
                if written <= 0 { break }
                offset += written
            }
        }
    }

    /// A log line; exposed for tests.
    package static func formatLine(level: Level, message: String, fields: KeyValuePairs<String, String>, timestamp: String) -> String {
        var line = "{\"@level\":\"\(level.name)\",\"@message\":\(jsonString(message)),\"@timestamp\":\"\(timestamp)\""
        for (key, value) in fields where !key.hasPrefix("@") {
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
