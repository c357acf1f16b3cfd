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
            let text = String(cString: pointer)
            if let equals = text.firstIndex(of: "=") {
                result[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            entry += 1
        }
        return result
    }
}
