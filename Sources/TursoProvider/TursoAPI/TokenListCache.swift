import Synchronization

/// Token listings shared within one provider process. Terraform refreshes
/// every token resource at once, and Turso has no endpoint to read one
/// token: without sharing, refreshing 1000 tokens would cost 1000 listings.
/// So concurrent callers share one in-flight listing, a listing is reused
/// for `lifetime`, and `invalidate()` (after every create and revoke) makes
/// the next caller list again. Errors are never kept.
final class TokenListCache: Sendable {
    enum Scope: Hashable, Sendable {
        case user
        case organization(String)
    }

    typealias Listing = Result<[APIToken], TursoAPIError>
    typealias Fetch = @Sendable (Scope) async -> Listing
    private typealias Waiter = CheckedContinuation<Listing, Never>

    private let lifetime: Duration
    private let clock = ContinuousClock()
    private let state = Mutex(State())

    private struct State {
        /// Bumped by invalidate(): a listing started before then is handed to
        /// the callers who asked for it, but not kept.
        var generation = 0
        var entries: [Scope: Entry] = [:]
        /// The flight that new callers of a scope join.
        var current: [Scope: Int] = [:]
        var flights: [Int: Flight] = [:]
        var nextID = 0
    }

    private struct Entry {
        var tokens: [APIToken]
        var fetchedAt: ContinuousClock.Instant
    }

    private struct Flight {
        var scope: Scope
        var generation: Int
        var waiters: [Int: Waiter] = [:]
        var task: Task<Void, Never>?
    }

    init(lifetime: Duration) {
        self.lifetime = lifetime
    }

    /// The listing of `scope`: kept, joined, or fetched with `fetch`. A
    /// cancelled caller gets `cancelled` at once; the shared fetch is
    /// cancelled only when no caller is left waiting for it.
    func tokens(_ scope: Scope, cancelled: TursoAPIError, fetch: @escaping Fetch) async -> Listing {
        let waiterID = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (waiter: Waiter) in
                let immediate = state.withLock { state -> Listing? in
                    // Checked under the lock, so a cancellation that came before registering is not missed.
                    if Task.isCancelled { return .failure(cancelled) }
                    if let entry = state.entries[scope], clock.now - entry.fetchedAt < lifetime { return .success(entry.tokens) }
                    let flightID: Int
                    if let joined = state.current[scope] {
                        flightID = joined
                    } else {
                        state.nextID += 1
                        flightID = state.nextID
                        state.current[scope] = flightID
                        state.flights[flightID] = Flight(scope: scope, generation: state.generation)
                        // It cannot land before its waiter is registered: landing takes this lock.
                        state.flights[flightID]?.task = Task { [self] in
                            land(flightID, await fetch(scope))
                        }
                    }
                    state.flights[flightID]?.waiters[waiterID] = waiter
                    return nil
                }
                if let immediate { waiter.resume(returning: immediate) }
            }
        } onCancel: {
            let (waiter, abandoned) = state.withLock { state -> (Waiter?, Task<Void, Never>?) in
                for (flightID, var flight) in state.flights {
                    guard let waiter = flight.waiters.removeValue(forKey: waiterID) else { continue }
                    guard flight.waiters.isEmpty else {
                        state.flights[flightID] = flight
                        return (waiter, nil)
                    }
                    state.flights[flightID] = nil
                    if state.current[flight.scope] == flightID { state.current[flight.scope] = nil }
                    return (waiter, flight.task)
                }
                return (nil, nil)
            }
            abandoned?.cancel()
            waiter?.resume(returning: .failure(cancelled))
        }
    }

    /// Forgets kept listings; flights in progress are not joined any more.
    func invalidate() {
        state.withLock { state in
            state.generation += 1
            state.entries.removeAll()
            state.current.removeAll()
        }
    }

    private func land(_ flightID: Int, _ listing: Listing) {
        let waiters = state.withLock { state -> [Waiter] in
            guard let flight = state.flights.removeValue(forKey: flightID) else { return [] }
            if state.current[flight.scope] == flightID {
                state.current[flight.scope] = nil
                if case .success(let tokens) = listing, flight.generation == state.generation {
                    state.entries[flight.scope] = Entry(tokens: tokens, fetchedAt: clock.now)
                }
            }
            return Array(flight.waiters.values)
        }
        for waiter in waiters { waiter.resume(returning: listing) }
    }
}
