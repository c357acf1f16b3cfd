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
}

/// The real wall clock.
public struct SystemClock: Clock {
    public init() {}

    public func now() -> UnixTime {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return UnixTime(seconds: Int64(spec.tv_sec))
    }
}
