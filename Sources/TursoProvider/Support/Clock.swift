#if canImport(Glibc)
import Glibc
#endif

/// A point in time as whole seconds since the Unix epoch (UTC). Token expiry
/// is kept to the second, the precision of the RFC 3339 text in state.
public struct UnixTime: Hashable, Comparable, Sendable {
    public var seconds: Int64

    public init(seconds: Int64) { self.seconds = seconds }

    public static func < (lhs: UnixTime, rhs: UnixTime) -> Bool { lhs.seconds < rhs.seconds }

    public func adding(_ duration: TokenDuration) -> UnixTime {
        UnixTime(seconds: seconds + duration.wholeSeconds)
    }
}

/// Where resource logic gets the time. Resources never read the system clock
/// themselves, so expiry can be tested exactly with a clock the tests move.
public protocol Clock: Sendable {
    func now() -> UnixTime
    /// Milliseconds since the epoch: for `token_version`, which must differ
    /// between two tokens created within the same second.
    func nowMilliseconds() -> Int64
}

extension Clock {
    /// A clock without finer time: its second, in milliseconds.
    public func nowMilliseconds() -> Int64 { now().seconds * 1000 }
}

/// The real wall clock.
public struct SystemClock: Clock {
    public init() {}

    public func now() -> UnixTime {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return UnixTime(seconds: Int64(spec.tv_sec))
    }

    public func nowMilliseconds() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
    }
}
