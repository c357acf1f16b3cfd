/// An arbitrary-precision number, as cty keeps numbers: exact decimal values
/// (plus the two infinities), never rounded through a Double.
///
/// A finite value is `±significand × 10^exponent`, normalised so that the
/// significand has no leading or trailing zero digits (zero has no digits).
/// Normalisation makes structural equality numeric equality.
public struct CtyNumber: Hashable, Sendable {
    public enum Kind: Hashable, Sendable { case finite, positiveInfinity, negativeInfinity }

    public let kind: Kind
    public let isNegative: Bool
    /// Decimal digits of the significand, most significant first, each 0...9.
    public let digits: [UInt8]
    public let exponent: Int

    public static let zero = CtyNumber(kind: .finite, isNegative: false, digits: [], exponent: 0)
    public static let positiveInfinity = CtyNumber(kind: .positiveInfinity, isNegative: false, digits: [], exponent: 0)
    public static let negativeInfinity = CtyNumber(kind: .negativeInfinity, isNegative: true, digits: [], exponent: 0)

    private init(kind: Kind, isNegative: Bool, digits: [UInt8], exponent: Int) {
        self.kind = kind
        self.isNegative = isNegative
        self.digits = digits
        self.exponent = exponent
    }

    /// A finite number from raw parts; normalises them.
    public init(isNegative: Bool, digits: [UInt8], exponent: Int) {
        var digits = digits[...]
        while digits.first == 0 { digits = digits.dropFirst() }
        var exponent = exponent
        while digits.last == 0 { digits = digits.dropLast(); exponent += 1 }
        if digits.isEmpty {
            self = .zero
        } else {
            self.init(kind: .finite, isNegative: isNegative, digits: Array(digits), exponent: exponent)
        }
    }

    public init(_ value: Int64) {
        let magnitude = value.magnitude
        self.init(isNegative: value < 0, digits: String(magnitude).utf8.map { $0 - 48 }, exponent: 0)
    }

    public init(_ value: Int) { self.init(Int64(value)) }

    public init(_ value: UInt64) {
        self.init(isNegative: false, digits: String(value).utf8.map { $0 - 48 }, exponent: 0)
    }

    /// Parses decimal text as Terraform writes numbers: an optional sign,
    /// digits with an optional fraction, an optional exponent (`1`, `-2.50`,
    /// `6.02e23`, `1E-7`). Returns nil for anything else (including "NaN").
    public init?(decimal text: some StringProtocol) {
        var bytes = Array(text.utf8)[...]
        guard !bytes.isEmpty else { return nil }
        var negative = false
        if bytes.first == UInt8(ascii: "-") || bytes.first == UInt8(ascii: "+") {
            negative = bytes.first == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        }
        var digits: [UInt8] = []
        var exponent = 0
        var sawDigit = false
        var sawPoint = false
        while let byte = bytes.first {
            if byte >= 48 && byte <= 57 {
                digits.append(byte - 48)
                if sawPoint { exponent -= 1 }
                sawDigit = true
            } else if byte == UInt8(ascii: "."), !sawPoint {
                sawPoint = true
            } else {
                break
            }
            bytes = bytes.dropFirst()
        }
        guard sawDigit else { return nil }
        if let byte = bytes.first, byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            var exponentNegative = false
            if bytes.first == UInt8(ascii: "-") || bytes.first == UInt8(ascii: "+") {
                exponentNegative = bytes.first == UInt8(ascii: "-")
                bytes = bytes.dropFirst()
            }
            guard !bytes.isEmpty, bytes.allSatisfy({ $0 >= 48 && $0 <= 57 }), bytes.count <= 9 else { return nil }
            let value = bytes.reduce(0) { $0 * 10 + Int($1 - 48) }
            exponent += exponentNegative ? -value : value
            bytes = bytes[bytes.endIndex...]
        }
        guard bytes.isEmpty else { return nil }
        self.init(isNegative: negative, digits: digits, exponent: exponent)
    }

    public var isZero: Bool { kind == .finite && digits.isEmpty }

    public var isInteger: Bool { kind == .finite && exponent >= 0 }

    /// The value as an Int64, when it is an integer in range.
    public var int64Value: Int64? {
        guard isInteger, digits.count + exponent <= 19 else { return nil }
        var magnitude: UInt64 = 0
        for digit in digits {
            let (m, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(UInt64(digit))
            guard !o1, !o2 else { return nil }
            magnitude = s
        }
        for _ in 0..<exponent {
            let (m, o) = magnitude.multipliedReportingOverflow(by: 10)
            guard !o else { return nil }
            magnitude = m
        }
        if isNegative {
            guard magnitude <= UInt64(Int64.max) + 1 else { return nil }
            return magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else { return nil }
        return Int64(magnitude)
    }

    /// The nearest Double (may round).
    public var doubleValue: Double {
        switch kind {
        case .positiveInfinity: return .infinity
        case .negativeInfinity: return -.infinity
        case .finite: return Double(description) ?? (isNegative ? -.infinity : .infinity)
        }
    }
}

extension CtyNumber: CustomStringConvertible {
    /// Canonical decimal text: plain notation when the exponent is moderate
    /// (`123`, `-0.5`, `1000000`), scientific beyond that (`1.5e+400`).
    public var description: String {
        switch kind {
        case .positiveInfinity: return "+Inf"
        case .negativeInfinity: return "-Inf"
        case .finite: break
        }
        if digits.isEmpty { return "0" }
        let sign = isNegative ? "-" : ""
        let text = String(decoding: digits.map { $0 + 48 }, as: UTF8.self)
        let pointPosition = digits.count + exponent  // digits before the decimal point
        if exponent >= 0 && pointPosition <= 40 {
            return sign + text + String(repeating: "0", count: exponent)
        }
        if exponent < 0 && pointPosition > 0 {
            let index = text.index(text.startIndex, offsetBy: pointPosition)
            return sign + text[..<index] + "." + text[index...]
        }
        if exponent < 0 && pointPosition > -20 {
            return sign + "0." + String(repeating: "0", count: -pointPosition) + text
        }
        let mantissa = digits.count == 1 ? text : String(text.prefix(1)) + "." + text.dropFirst()
        let scientificExponent = pointPosition - 1
        return sign + mantissa + "e" + (scientificExponent >= 0 ? "+" : "-") + String(scientificExponent.magnitude)
    }
}

extension CtyNumber: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int64) { self.init(value) }
}
