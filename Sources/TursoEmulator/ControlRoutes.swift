import Foundation

/// Test controls, under `/_emulator/`. They need no bearer (the emulator
/// listens on 127.0.0.1 only), are not API requests, and so are neither
/// logged nor subject to faults. Answers are JSON; errors `{"error": "..."}`.
///
/// - `GET /_emulator/requests`: `{"requests": [{"method", "path", "status", "timestamp", "fault", "user_agent"}]}`,
///   the API requests served, oldest first. `status` is null when the
///   connection was dropped. Never headers, bodies or token values.
/// - `DELETE /_emulator/requests`: clears that log.
/// - `GET /_emulator/received`: `{"received": n}`, the API requests read so
///   far, counted before faults and delays (so a held request shows at once).
/// - `POST /_emulator/faults` with a fault (see Fault.swift): `{"id": n}`.
///   Faults are tried in the order added; the first match applies.
/// - `GET /_emulator/faults`: `{"faults": [{"id", "fault"}]}`; `DELETE /_emulator/faults`
///   clears them; `DELETE /_emulator/faults/{id}` removes one.
/// - `POST /_emulator/reset`: forgets minted tokens, faults and the request log.
/// - `DELETE /_emulator/tokens/{name}[?user=<username>]`: revokes a minted
///   token out of band, as if revoked elsewhere (404 when none matched).
/// - `PUT /_emulator/tokens/{name}/expiry[?user=<username>]` with `{"exp": <unix seconds>}`
///   (or `-1` for none): the expiry validate reports; past expiries make the token invalid.
extension EmulatorCore {
    func control(_ request: HTTPRequest) -> HTTPResponse {
        let user = Self.queryValue("user", in: request.query)
        return route(request, [
            ("GET", "_emulator/requests", { _ in .json(200, ["requests": self.requestLog()]) }),
            ("DELETE", "_emulator/requests", { _ in
                self.clearRequestLog()
                return .json(200, [String: String]())
            }),
            ("GET", "_emulator/received", { _ in .json(200, ["received": self.state.withLock { $0.received }]) }),
            ("POST", "_emulator/faults", { _ in self.addFault(body: request.body) }),
            ("GET", "_emulator/faults", { _ in
                .json(200, ["faults": self.state.withLock { $0.faults.map { ListedFault(id: $0.id, fault: $0.fault) } }])
            }),
            ("DELETE", "_emulator/faults", { _ in
                self.clearFaults()
                return .json(200, [String: String]())
            }),
            ("DELETE", "_emulator/faults/*", { captured in self.removeFault(idText: captured[0]) }),
            ("POST", "_emulator/reset", { _ in
                self.reset()
                return .json(200, [String: String]())
            }),
            ("DELETE", "_emulator/tokens/*", { captured in
                guard self.revokeOutOfBand(name: captured[0], username: user) else {
                    return .error(404, "token \(captured[0]) not found")
                }
                return .json(200, ["token": captured[0]])
            }),
            ("PUT", "_emulator/tokens/*/expiry", { captured in
                self.setExpiry(name: captured[0], username: user, body: request.body)
            }),
        ])
    }

    private func addFault(body: [UInt8]) -> HTTPResponse {
        guard let fault = try? JSONDecoder().decode(Fault.self, from: Data(body)) else {
            return .error(400, "the body must be a fault object (see Fault.swift)")
        }
        do {
            return .json(200, ["id": try addFault(fault)])
        } catch {
            return .error(400, "\(error)")
        }
    }

    private func removeFault(idText: String) -> HTTPResponse {
        let removed = state.withLock { state -> Bool in
            let before = state.faults.count
            state.faults.removeAll { String($0.id) == idText }
            return state.faults.count != before
        }
        guard removed else { return .error(404, "no fault \(idText)") }
        return .json(200, ["id": idText])
    }

    private func setExpiry(name: String, username: String?, body: [UInt8]) -> HTTPResponse {
        guard let fields = try? JSONDecoder().decode([String: Int64].self, from: Data(body)), let exp = fields["exp"] else {
            return .error(400, "the body must be {\"exp\": <unix seconds or -1>}")
        }
        guard setExpiry(name: name, username: username, expiresAt: exp < 0 ? nil : exp) else {
            return .error(404, "token \(name) not found")
        }
        return .json(200, ["token": name])
    }

    struct ListedFault: Encodable {
        var id: Int
        var fault: Fault
    }

    static func queryValue(_ name: String, in query: String?) -> String? {
        guard let query else { return nil }
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.count == 2, parts[0] == name { return String(parts[1]).removingPercentEncoding }
        }
        return nil
    }
}
