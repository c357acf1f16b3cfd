import Synchronization

/// Bytes computed once, on first use, by whichever caller gets there first;
/// later callers get the same bytes.
final class LazyBytes: Sendable {
    private let storage = Mutex<[UInt8]?>(nil)

    func get(_ compute: () -> [UInt8]) -> [UInt8] {
        // Computing under the lock makes concurrent first callers wait for
        // one computation instead of racing several.
        storage.withLock { cached in
            if let cached { return cached }
            let bytes = compute()
            cached = bytes
            return bytes
        }
    }
}
