#if canImport(Glibc)
import Glibc
#endif

/// The Unix socket the plugin listens on.
package enum PluginSocket {
    /// The longest path `sockaddr_un.sun_path` holds, without its NUL.
    static let maxPathBytes = MemoryLayout.size(ofValue: sockaddr_un().sun_path) - 1

    /// A fresh path in `directory` that no other plugin process will pick:
    /// Terraform starts a provider several times per command, and a killed
    /// one leaves its socket behind. gRPC unlinks whatever is at the path
    /// before it binds, so the name must not be guessable by a sibling either:
    /// 64 random bits.
    package static func uniquePath(in directory: String) throws(PluginServerError) -> String {
        var base = directory
        while base.count > 1, base.hasSuffix("/") { base.removeLast() }
        let random = String(UInt64.random(in: .min ... .max), radix: 16)
        let name = "plugin" + String(repeating: "0", count: 16 - random.count) + random
        let path = base == "/" ? "/" + name : base + "/" + name
        guard path.utf8.count <= maxPathBytes else { throw .socketPathTooLong(path) }
        return path
    }
}
