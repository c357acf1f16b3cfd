import Synchronization
import TursoProvider

/// A clock that moves only when told to: expiry tested exactly. Test code
/// only, so it is not shipped in the provider.
final class ManualClock: Clock {
    private let current: Mutex<UnixTime>

    init(_ start: UnixTime) { current = Mutex(start) }

    func now() -> UnixTime { current.withLock { $0 } }

    func advance(by duration: TokenDuration) {
        current.withLock { $0 = $0.adding(duration) }
    }

    func set(_ time: UnixTime) {
        current.withLock { $0 = time }
    }
}
