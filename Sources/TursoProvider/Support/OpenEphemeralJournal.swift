#if canImport(Glibc)
import Glibc
#endif
import TerraformPlugin

/// Ephemeral API tokens this user's provider opened and has not closed yet,
/// one small file each under
/// `$XDG_CONFIG_HOME/terraform-provider-turso/open-ephemeral/` (beside
/// `pending-creates/` of `CreateJournal`).
///
/// Why: an ephemeral `turso_api_token` is a real token, revoked only at
/// Close. A run killed between Open and Close (kill -9, Ctrl-C twice, a
/// crash, a CI timeout) leaves it valid in Turso, and nothing else knows it
/// exists. A record is written before the create goes out, naming the token
/// and the plugin process that opened it (pid and start time, so that a
/// reused pid is not taken for the owner); Close removes it once the token
/// is revoked or already gone. The next Open's `sweep` revokes the tokens of
/// records whose owner process has ended, with the credentials Close would
/// have used.
struct OpenEphemeralJournal: Sendable {
    /// Past this age a record is dropped without revoking (unless its owner
    /// is still running): an ephemeral token lives for one run, so a week-old
    /// record is one no run here could settle (opened on another machine or
    /// before a reboot, or under credentials since rotated), and revoking by
    /// name what we can no longer vouch for is worse than saying so.
    static let maxAge: Int64 = 7 * 24 * 3600
    static let header = "terraform-provider-turso open-ephemeral-token 1"

    let directory: String
    let processes: any ProcessTable

    /// Nil when there is nowhere to keep it (no absolute HOME or XDG_CONFIG_HOME).
    init?(environment: [String: String], processes: any ProcessTable = ProcFSProcessTable()) {
        guard let directory = JournalFolder.path("open-ephemeral", environment: environment) else { return nil }
        self.init(directory: directory, processes: processes)
    }

    init(directory: String, processes: any ProcessTable) {
        self.directory = directory
        self.processes = processes
    }

    /// One open token, as written to and read from its file.
    struct Record: Hashable, Sendable {
        var written: UnixTime
        var owner: ProcessOwner
        /// A public fingerprint of the API token that created it: only the
        /// same credentials sweep it (another account's revoke would answer
        /// 404, which would look like "already gone").
        var credentials: String
        var baseURL: String
        var organization: String?
        var name: String

        var contents: [UInt8] {
            let lines = [
                OpenEphemeralJournal.header, String(written.seconds), "\(owner.pid) \(owner.startTime)", Self.escape(owner.scope),
                credentials, Self.escape(baseURL), organization.map { "+" + Self.escape($0) } ?? "-", Self.escape(name),
            ]
            return Array(lines.joined(separator: "\n").utf8) + [UInt8(ascii: "\n")]
        }

        init(written: UnixTime, owner: ProcessOwner, credentials: String, baseURL: String, organization: String?, name: String) {
            (self.written, self.owner, self.credentials) = (written, owner, credentials)
            (self.baseURL, self.organization, self.name) = (baseURL, organization, name)
        }

        /// Nil unless `bytes` is a whole record in this format.
        init?(parsing bytes: ArraySlice<UInt8>) {
            guard bytes.last == UInt8(ascii: "\n") else { return nil }
            let lines = bytes.dropLast().split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
                .map { String(decoding: $0, as: UTF8.self) }
            guard lines.count == 8, lines[0] == OpenEphemeralJournal.header, let written = Int64(lines[1]) else { return nil }
            let process = lines[2].split(separator: " ")
            guard process.count == 2, let pid = Int32(process[0]), pid > 0, let start = UInt64(process[1]),
                  let scope = Self.unescape(lines[3]), let baseURL = Self.unescape(lines[5]), let name = Self.unescape(lines[7]),
                  !name.isEmpty else { return nil }
            let organization: String?
            if lines[6] == "-" {
                organization = nil
            } else if lines[6].hasPrefix("+"), let text = Self.unescape(String(lines[6].dropFirst())) {
                organization = text
            } else {
                return nil
            }
            self.init(
                written: UnixTime(seconds: written), owner: ProcessOwner(pid: pid, startTime: start, scope: scope),
                credentials: lines[4], baseURL: baseURL, organization: organization, name: name
            )
        }

        /// One line per field whatever the text holds: `\` and line feeds escaped.
        static func escape(_ text: String) -> String {
            text.replacing("\\", with: "\\\\").replacing("\n", with: "\\n")
        }

        static func unescape(_ text: String) -> String? {
            var result = ""
            var escaping = false
            for character in text {
                if escaping {
                    switch character {
                    case "\\": result.append("\\")
                    case "n": result.append("\n")
                    default: return nil
                    }
                    escaping = false
                } else if character == "\\" {
                    escaping = true
                } else {
                    result.append(character)
                }
            }
            return escaping ? nil : result
        }
    }

    /// A public fingerprint of `apiToken` (a keyed BLAKE2b, as private-state
    /// key ids are made): tells whose credentials a record needs without
    /// revealing anything about them.
    static func credentialsFingerprint(_ apiToken: String) -> String {
        SealingKey(secret: apiToken, domain: fingerprintDomain).idHex
    }

    private static let fingerprintDomain = SealingDomain(
        personalization: "tfturso-ephjrn-1", context: "terraform-provider-turso/open-ephemeral/v1"
    )

    // MARK: Writing

    /// Before sending the create. Written to a temporary file and renamed
    /// into place, so a sweep never reads half a record. Failing to write
    /// (no /proc to name the owner, a read-only folder) only loses this
    /// safety net.
    func record(baseURL: String, organization: String?, name: String, apiToken: String, now: UnixTime) {
        guard let owner = processes.current() else { return }
        let record = Record(
            written: now, owner: owner, credentials: Self.credentialsFingerprint(apiToken),
            baseURL: baseURL, organization: organization, name: name
        )
        JournalFolder.make(directory)
        let path = path(baseURL: baseURL, name: name)
        let temporary = directory + "/.tmp-\(owner.pid)-" + JournalFolder.fileName(baseURL: baseURL, name: name)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return }
        let contents = record.contents
        let written = contents.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        if written != contents.count || rename(temporary, path) != 0 { unlink(temporary) }
    }

    /// Once the token is revoked, found gone, or known never created.
    func forget(baseURL: String, name: String) {
        unlink(path(baseURL: baseURL, name: name))
    }

    /// Whether a record of the token is on file (for telling the user a
    /// later sweep will revoke it: `record` may have failed to write).
    func isRecorded(baseURL: String, name: String) -> Bool {
        access(path(baseURL: baseURL, name: name), F_OK) == 0
    }

    // MARK: Reading

    /// Every record in the folder with its path; files that are not whole
    /// records (or not filed under their own base URL and name) with their
    /// modification time instead.
    func entries() -> (records: [(path: String, record: Record)], unreadable: [(path: String, modified: Int64)]) {
        guard let dir = opendir(directory) else { return ([], []) }
        defer { closedir(dir) }
        var records: [(String, Record)] = []
        var unreadable: [(String, Int64)] = []
        while let entry = readdir(dir) {
            let fileName = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if fileName == "." || fileName == ".." { continue }
            let path = directory + "/" + fileName
            if let bytes = Self.readSmallFile(path), let record = Record(parsing: bytes[...]),
               fileName == JournalFolder.fileName(baseURL: record.baseURL, name: record.name) {
                records.append((path, record))
            } else {
                var info = stat()
                if lstat(path, &info) == 0 { unreadable.append((path, Int64(info.st_mtim.tv_sec))) }
            }
        }
        return (records, unreadable)
    }

    func records() -> [Record] { entries().records.map(\.record) }

    private static func readSmallFile(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 16_384)
        var total = 0
        while total < buffer.count {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress! + total, $0.count - total) }
            if count < 0 { return nil }
            if count == 0 { break }
            total += count
        }
        // Larger than any record: not one.
        return total == buffer.count ? nil : Array(buffer[..<total])
    }

    // MARK: Sweeping

    /// What a sweep did, for tests and the log.
    struct SweepOutcome: Sendable {
        var revoked: [String] = []
        var dropped: [String] = []
        var diagnostics: [Diagnostic] = []
    }

    /// Revokes the tokens of records whose owner process has ended, opened
    /// at `baseURL` with the credentials `apiToken`; removes their records.
    ///
    /// Never touched: a record whose owner still runs (another Terraform run,
    /// or this process), and, younger than `maxAge`, one of another base URL,
    /// other credentials, or an owner it cannot judge (another machine, pid
    /// namespace or boot: the pid means nothing here). Older than `maxAge`,
    /// such a record is dropped with a warning naming the token. A failed
    /// revoke keeps the record for the next sweep, with a warning: a sweep
    /// never fails the run that does it.
    func sweep(
        baseURL: String, apiToken: String, now: UnixTime, revoke: (String) async throws(TursoAPIError) -> Void
    ) async -> SweepOutcome {
        var outcome = SweepOutcome()
        let (records, unreadable) = entries()
        let ownScope = processes.current()?.scope
        let credentials = records.isEmpty ? "" : Self.credentialsFingerprint(apiToken)
        for (path, record) in records {
            let judged = record.owner.scope == ownScope && ownScope != nil
            if judged, processes.startTime(of: record.owner.pid) == record.owner.startTime { continue }  // running
            if abs(now.seconds - record.written.seconds) > Self.maxAge {
                unlink(path)
                outcome.dropped.append(record.name)
                outcome.diagnostics.append(OpenEphemeralJournalDiagnostics.dropped(record, maxAge: Self.maxAge))
                continue
            }
            guard judged, record.baseURL == baseURL, record.credentials == credentials else { continue }
            do throws(TursoAPIError) {
                try await revoke(record.name)
            } catch where error.kind == .notFound {
                // Already gone: what the run's Close wanted.
            } catch {
                outcome.diagnostics.append(OpenEphemeralJournalDiagnostics.revokeFailed(record, error))
                continue
            }
            unlink(path)
            outcome.revoked.append(record.name)
        }
        // Half-written or foreign files: kept while they may belong to a
        // write under way, removed once as old as a stale record.
        for (path, modified) in unreadable where now.seconds - modified > Self.maxAge {
            unlink(path)
        }
        return outcome
    }

    // MARK: Paths

    private func path(baseURL: String, name: String) -> String {
        directory + "/" + JournalFolder.fileName(baseURL: baseURL, name: name)
    }
}

/// User-facing wording of the sweep: warnings only, never an error.
enum OpenEphemeralJournalDiagnostics {
    static func revokeFailed(_ record: OpenEphemeralJournal.Record, _ error: TursoAPIError) -> Diagnostic {
        .warning(
            "Ephemeral API token of an interrupted run not revoked yet",
            "The token \"\(DisplayText.escaped(record.name, limit: 100))\"\(organizationText(record)) was opened by a run that ended "
                + "before closing it, and revoking it now failed: \(error.summary). \(error.detail) It stays recorded, and the next "
                + "ephemeral turso_api_token opened with these credentials tries again; or revoke it by hand (`turso auth api-tokens revoke`)."
        )
    }

    static func dropped(_ record: OpenEphemeralJournal.Record, maxAge: Int64) -> Diagnostic {
        .warning(
            "Record of an ephemeral API token dropped",
            "The token \"\(DisplayText.escaped(record.name, limit: 100))\"\(organizationText(record)) at "
                + "\(DisplayText.redactedURL(record.baseURL)) was opened more than \(maxAge / 86_400) days ago by a run that is "
                + "not running here, and was never closed. It was not revoked, and is no longer tracked: if `turso_api_tokens` "
                + "still lists it, revoke it by hand (`turso auth api-tokens revoke`)."
        )
    }

    private static func organizationText(_ record: OpenEphemeralJournal.Record) -> String {
        record.organization.map { " (organization \"\(DisplayText.escaped($0, limit: 100))\")" } ?? ""
    }
}
