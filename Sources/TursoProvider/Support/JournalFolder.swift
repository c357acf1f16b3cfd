#if canImport(Glibc)
import Glibc
#endif

/// What the provider's two journals (`CreateJournal`, `OpenEphemeralJournal`)
/// share: a folder beside the private-state key file, made on first write,
/// and one file per base URL and token name.
enum JournalFolder {
    /// `<folder of the key file>/<name>`; nil when there is nowhere to keep
    /// it (no absolute HOME or XDG_CONFIG_HOME).
    static func path(_ name: String, environment: [String: String]) -> String? {
        guard let keyFile = PrivateStateKeys.keyFilePath(environment: environment),
              let slash = keyFile.lastIndex(of: "/") else { return nil }
        return String(keyFile[..<slash]) + "/" + name
    }

    /// Makes `directory` and its parents (0700); what fails shows at the
    /// write that follows.
    static func make(_ directory: String) {
        var current = ""
        for component in directory.split(separator: "/") {
            current += "/" + component
            _ = mkdir(current, 0o700)
        }
    }

    /// One file per base URL and name: a 64-bit FNV-1a of both, twice with
    /// different seeds (the file also holds both, checked on reading).
    static func fileName(baseURL: String, name: String) -> String {
        let key = Array(baseURL.utf8) + [0] + Array(name.utf8)
        func fnv(_ seed: UInt64) -> String {
            var hash = seed
            for byte in key { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
            let hex = String(hash, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }
        return fnv(0xCBF2_9CE4_8422_2325) + fnv(0x8422_2325_CBF2_9CE4)
    }
}
