#if canImport(Glibc)
import Glibc
#endif

/// API token creates this user's provider sent that no Terraform state is
/// known to hold yet, one small file each under
/// `$XDG_CONFIG_HOME/terraform-provider-turso/pending-creates/` (beside the
/// private-state key file).
///
/// Why: pressing Ctrl-C twice makes Terraform exit at once, without waiting
/// for the provider; a create already sent then lands in Turso after
/// Terraform wrote its state, and the next apply would fail with "already
/// exists". With this record the next apply knows the token is its own lost
/// create: it revokes it and creates it again. A record is written before
/// the request goes out, and removed when nothing was created, or once a
/// refresh finds the token in a state. Records older than `maxAge` are
/// ignored: a name taken long after is not assumed to be ours.
struct CreateJournal: Sendable {
    static let maxAge: Int64 = 24 * 3600

    let directory: String

    /// Nil when there is nowhere to keep it (no absolute HOME or XDG_CONFIG_HOME).
    init?(environment: [String: String]) {
        guard let directory = JournalFolder.path("pending-creates", environment: environment) else { return nil }
        self.directory = directory
    }

    /// Before sending a create. Failing to write only loses this safety net.
    func record(baseURL: String, name: String, now: UnixTime) {
        JournalFolder.make(directory)
        let path = path(baseURL: baseURL, name: name)
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return }
        defer { close(fd) }
        let contents = Array("\(now.seconds)\n\(baseURL)\n".utf8) + Array(name.utf8)
        _ = contents.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    }

    func forget(baseURL: String, name: String) {
        unlink(path(baseURL: baseURL, name: name))
    }

    /// Whether a create of `name` at `baseURL` was sent within `maxAge` and
    /// never found in a state since.
    func contains(baseURL: String, name: String, now: UnixTime) -> Bool {
        let fd = open(path(baseURL: baseURL, name: name), O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 8192)
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard count > 0 else { return false }
        let lines = buffer[..<count].split(separator: UInt8(ascii: "\n"), maxSplits: 2, omittingEmptySubsequences: false)
        guard lines.count == 3, let sent = Int64(String(decoding: lines[0], as: UTF8.self)),
              lines[1].elementsEqual(baseURL.utf8), lines[2].elementsEqual(name.utf8) else { return false }
        return now.seconds - sent >= 0 && now.seconds - sent <= Self.maxAge
    }

    private func path(baseURL: String, name: String) -> String {
        directory + "/" + JournalFolder.fileName(baseURL: baseURL, name: name)
    }
}
