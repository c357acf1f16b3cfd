/// How the client retries: exponential backoff with jitter, bounded in
/// attempts and in total waiting, and `Retry-After` honoured up to a cap.
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts per call, the first included.
    public var maxAttempts: Int
    public var initialDelay: Duration
    public var maxDelay: Duration
    /// The longest wait a `Retry-After` may impose.
    public var maxRetryAfter: Duration
    /// All waits of one call together; past it the last error is returned.
    public var maxTotalDelay: Duration

    public init(
        maxAttempts: Int = 5, initialDelay: Duration = .milliseconds(500), maxDelay: Duration = .seconds(8),
        maxRetryAfter: Duration = .seconds(60), maxTotalDelay: Duration = .seconds(90)
    ) {
        self.maxAttempts = maxAttempts
        self.initialDelay = initialDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
        self.maxTotalDelay = maxTotalDelay
    }

    /// The wait before attempt `attempt + 1`. A server's `Retry-After` is
    /// taken as given (capped); otherwise the delay doubles per attempt and
    /// `random` (in 0..<1) picks it within its upper half ("equal jitter"),
    /// so clients that failed together do not retry together.
    func delay(afterAttempt attempt: Int, retryAfter: Duration?, random: Double) -> Duration {
        if let retryAfter { return min(max(retryAfter, .zero), maxRetryAfter) }
        var ceiling = initialDelay
        for _ in 1..<max(attempt, 1) where ceiling < maxDelay { ceiling *= 2 }
        ceiling = min(ceiling, maxDelay)
        return ceiling / 2 + (ceiling / 2) * min(max(random, 0), 1)
    }
}

/// The `Retry-After` header: delay-seconds, or an HTTP-date (RFC 9110).
enum RetryAfter {
    static func parse(_ value: String, now: UnixTime) -> Duration? {
        let text = value.trimmingWhitespace()
        if !text.isEmpty, text.allSatisfy(\.isASCII), text.allSatisfy(\.isNumber) {
            // Longer numbers are beyond any cap anyway; this keeps them in range.
            return .seconds(text.count > 9 ? 999_999_999 : Int64(text)!)
        }
        guard let date = imfFixdate(text) else { return nil }
        return .seconds(max(0, date.seconds - now.seconds))
    }

    /// `Sun, 06 Nov 1994 08:49:37 GMT`, the form servers must send. The
    /// obsolete forms are not worth parsing: without a date the client falls
    /// back to its own backoff.
    static func imfFixdate(_ text: String) -> UnixTime? {
        let parts = text.split(separator: " ")
        guard parts.count == 6, parts[0].hasSuffix(","), parts[5] == "GMT",
              let day = Int(parts[1]), (1...31).contains(day),
              let month = months.firstIndex(of: String(parts[2])),
              let year = Int(parts[3]), (1970...9999).contains(year) else { return nil }
        let clock = parts[4].split(separator: ":")
        guard clock.count == 3, let hour = Int(clock[0]), let minute = Int(clock[1]), let second = Int(clock[2]),
              (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second) else { return nil }
        let days = RFC3339.days(fromCivil: Int64(year), Int64(month + 1), Int64(day))
        return UnixTime(seconds: days * 86_400 + Int64(hour * 3_600 + minute * 60 + second))
    }

    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
}

extension StringProtocol {
    /// Without leading and trailing whitespace, line breaks included.
    func trimmingWhitespace() -> String {
        var text = self[...]
        while text.first?.isWhitespace == true { text = text.dropFirst() }
        while text.last?.isWhitespace == true { text = text.dropLast() }
        return String(text)
    }
}
