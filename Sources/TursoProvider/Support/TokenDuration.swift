/// A span of time written the way Terraform users write them elsewhere
/// (Go's duration syntax, as in `timeadd()` and hashicorp/time): a sequence of
/// decimal numbers with units, such as `90s`, `30m`, `1h30m`, `1.5h`, `500ms`.
/// Units: `ns`, `us` (or `µs`), `ms`, `s`, `m`, `h`.
public struct TokenDuration: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The exact length in nanoseconds.
    public let nanoseconds: Int64

    public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }

    public static func seconds(_ value: Int64) -> TokenDuration { TokenDuration(nanoseconds: value * 1_000_000_000) }
    public static func minutes(_ value: Int64) -> TokenDuration { .seconds(value * 60) }
    public static func hours(_ value: Int64) -> TokenDuration { .seconds(value * 3600) }
    public static let zero = TokenDuration(nanoseconds: 0)

    public static func < (lhs: TokenDuration, rhs: TokenDuration) -> Bool { lhs.nanoseconds < rhs.nanoseconds }

    /// Whole seconds, rounded down: expiry is kept to the second, and
    /// rounding down makes a token expire early rather than late.
    public var wholeSeconds: Int64 { nanoseconds / 1_000_000_000 }

    /// Parses Go's duration syntax. Returns a message fit for a diagnostic
    /// detail when the text is not a duration.
    public static func parse(_ text: String) -> Result<TokenDuration, DurationSyntaxError> {
        var rest = Substring(text)
        guard !rest.isEmpty else { return .failure(DurationSyntaxError(text: text, reason: "it is empty")) }
        var negative = false
        if let sign = rest.first, sign == "-" || sign == "+" {
            negative = sign == "-"
            rest = rest.dropFirst()
        }
        if rest == "0" { return .success(.zero) }
        guard !rest.isEmpty else { return .failure(DurationSyntaxError(text: text, reason: "it has a sign but no number")) }

        var total: Double = 0
        var exact: Int64 = 0
        var exactOverflow = false
        while !rest.isEmpty {
            let numberText = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !numberText.isEmpty, numberText != ".", numberText.filter({ $0 == "." }).count <= 1 else {
                return .failure(DurationSyntaxError(text: text, reason: "expected a number at \"\(rest)\""))
            }
            rest = rest.dropFirst(numberText.count)
            let unitText = rest.prefix { $0.isLetter }
            rest = rest.dropFirst(unitText.count)
            if let next = rest.first, !(next.isASCII && (next.isNumber || next == ".")) {
                let reason = next == " " ? "it contains a space (write 1h30m, not 1h 30m)" : "\"\(next)\" is not allowed in a duration"
                return .failure(DurationSyntaxError(text: text, reason: reason))
            }
            guard let unit = unitNanoseconds[String(unitText)] else {
                let reason = unitText.isEmpty
                    ? "the number \(numberText) has no unit (use h, m, s, ms, us or ns, as in \"\(numberText)s\")"
                    : "\"\(unitText)\" is not a unit (use h, m, s, ms, us or ns)"
                return .failure(DurationSyntaxError(text: text, reason: reason))
            }
            guard let value = Double(numberText) else {
                return .failure(DurationSyntaxError(text: text, reason: "\"\(numberText)\" is not a number"))
            }
            total += value * Double(unit)
            // Integers are summed exactly so that whole durations keep every
            // nanosecond; fractions go through Double, as Go's parser rounds too.
            if !numberText.contains("."), let integer = Int64(numberText) {
                let (product, o1) = integer.multipliedReportingOverflow(by: unit)
                let (sum, o2) = exact.addingReportingOverflow(product)
                exactOverflow = exactOverflow || o1 || o2
                exact = sum
            } else {
                exactOverflow = true
            }
        }
        guard total < 9.2e18 else {
            return .failure(DurationSyntaxError(text: text, reason: "it is longer than about 292 years"))
        }
        let nanoseconds = exactOverflow ? Int64(total.rounded()) : exact
        return .success(TokenDuration(nanoseconds: negative ? -nanoseconds : nanoseconds))
    }

    private static let unitNanoseconds: [String: Int64] = [
        "ns": 1, "us": 1_000, "µs": 1_000, "μs": 1_000, "ms": 1_000_000,
        "s": 1_000_000_000, "m": 60_000_000_000, "h": 3_600_000_000_000,
    ]

    /// Go's canonical form: `1h30m0s`, `5s`, `1.5s`, `0s`.
    public var description: String {
        if nanoseconds == 0 { return "0s" }
        var remaining = nanoseconds.magnitude
        var text = nanoseconds < 0 ? "-" : ""
        if remaining < 1_000_000_000 {
            for (unit, size) in [("ms", UInt64(1_000_000)), ("us", 1_000), ("ns", 1)] where remaining >= size {
                return text + Self.decimal(remaining, size) + unit
            }
        }
        let hours = remaining / 3_600_000_000_000
        remaining %= 3_600_000_000_000
        let minutes = remaining / 60_000_000_000
        remaining %= 60_000_000_000
        if hours > 0 { text += "\(hours)h" }
        if hours > 0 || minutes > 0 { text += "\(minutes)m" }
        return text + Self.decimal(remaining, 1_000_000_000) + "s"
    }

    private static func decimal(_ value: UInt64, _ unit: UInt64) -> String {
        let whole = value / unit
        var fraction = value % unit
        guard fraction > 0 else { return "\(whole)" }
        var digits = String(fraction)
        digits = String(repeating: "0", count: String(unit).count - 1 - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast(); fraction /= 10 }
        return "\(whole).\(digits)"
    }
}

public struct DurationSyntaxError: Error, Hashable, Sendable {
    public var text: String
    public var reason: String
}
