#if canImport(Glibc)
import Glibc
#endif

/// The process environment as a dictionary, read once at start-up. The
/// provider takes it as a parameter so that tests can hand it their own.
public enum ProcessEnvironment {
    public static func current() -> [String: String] {
        var result: [String: String] = [:]
        var entry = environ
        while let pointer = entry.pointee {
            // Split on the bytes: a Character scan would run grapheme
            // breaking over every variable at every start (Terraform passes
            // the user's whole environment, and PLUGIN_CLIENT_CERT is a
            // kilobyte of PEM).
            let text = String(cString: pointer)
            if let equals = text.utf8.firstIndex(of: UInt8(ascii: "=")) {
                result[String(text[..<equals])] = String(text[text.utf8.index(after: equals)...])
            }
            entry += 1
        }
        return result
    }
}
