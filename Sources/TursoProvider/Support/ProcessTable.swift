#if canImport(Glibc)
import Glibc
#endif

/// A process as a record of it names it: its pid, when it started, and
/// where that pid means something.
struct ProcessOwner: Hashable, Sendable {
    var pid: Int32
    /// Field 22 of /proc/<pid>/stat: clock ticks after boot. A pid reused by
    /// a later process has another start time.
    var startTime: UInt64
    /// The boot (`/proc/sys/kernel/random/boot_id`) and pid namespace
    /// (`/proc/self/ns/pid`): a pid from another boot, machine or container
    /// names nothing here.
    var scope: String
}

/// Which processes run: injected so that tests can say which owner is gone.
protocol ProcessTable: Sendable {
    /// This process, or nil if it cannot be named (no /proc).
    func current() -> ProcessOwner?
    /// The start time of the running process `pid`; nil if there is none
    /// (or only a zombie: a process that has ended but was not yet reaped).
    func startTime(of pid: Int32) -> UInt64?
}

/// Linux's /proc.
struct ProcFSProcessTable: ProcessTable {
    func current() -> ProcessOwner? {
        let pid = getpid()
        guard let start = startTime(of: pid), let boot = Self.contents("/proc/sys/kernel/random/boot_id"),
              let namespace = Self.link("/proc/self/ns/pid") else { return nil }
        return ProcessOwner(pid: pid, startTime: start, scope: boot + " " + namespace)
    }

    func startTime(of pid: Int32) -> UInt64? {
        guard pid > 0, let stat = Self.contents("/proc/\(pid)/stat") else { return nil }
        return Self.startTime(stat: stat)
    }

    /// From `pid (comm) state ppid ... starttime ...`: the command may hold
    /// spaces and parentheses, so fields are counted after the last `)`.
    /// Nil for a zombie (`Z`) or dead (`X`) process.
    static func startTime(stat: String) -> UInt64? {
        guard let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // fields[0] is field 3 (state); field 22 is fields[19].
        guard fields.count > 19, fields[0] != "Z", fields[0] != "X" else { return nil }
        return UInt64(fields[19])
    }

    private static func contents(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard count > 0 else { return nil }
        return String(decoding: buffer[..<count], as: UTF8.self).trimmingWhitespace()
    }

    private static func link(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: 256)
        let count = buffer.withUnsafeMutableBufferPointer { readlink(path, $0.baseAddress!, $0.count - 1) }
        guard count > 0 else { return nil }
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
