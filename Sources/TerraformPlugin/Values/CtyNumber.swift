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
        self.init(isNegative: value < 0, magnitude: value.magnitude)
    }

    public init(_ value: Int) { self.init(Int64(value)) }

    public init(_ value: UInt64) {
        self.init(isNegative: false, magnitude: value)
    }

    /// Integers are decoded by the thousand, so this avoids formatting
    /// through a String.
    private init(isNegative: Bool, magnitude: UInt64) {
        if magnitude == 0 {
            self = .zero
            return
        }
        var rest = magnitude
        var trailingZeros = 0
        while rest % 10 == 0 {
            rest /= 10
            trailingZeros += 1
        }
        var digits: [UInt8] = []
        digits.reserveCapacity(20)
        while rest != 0 {
            digits.append(UInt8(truncatingIfNeeded: rest % 10))
            rest /= 10
        }
        digits.reverse()
        self.init(kind: .finite, isNegative: isNegative, digits: digits, exponent: trailingZeros)
    }

    /// The exact value of a Double: every finite Double is a decimal
    /// fraction with at most 767 significant digits (0.1 is
    /// 0.1000000000000000055511151231257827021181583404541015625). Negative
    /// zero is zero, as cty has no signed zero. Nil for NaN, which is not a
    /// number cty can hold.
    public init?(exactly value: Double) {
        if value.isNaN { return nil }
        if value.isInfinite {
            self = value < 0 ? .negativeInfinity : .positiveInfinity
            return
        }
        if value == 0 {
            self = .zero
            return
        }
        // value = significand × 2^binaryExponent, exactly.
        let bits = value.bitPattern
        let biasedExponent = Int((bits >> 52) & 0x7FF)
        let fraction = bits & (1 << 52 - 1)
        var significand = biasedExponent == 0 ? fraction : fraction | 1 << 52
        var binaryExponent = (biasedExponent == 0 ? 1 : biasedExponent) - 1075
        let zeroBits = significand.trailingZeroBitCount
        significand >>= UInt64(zeroBits)
        binaryExponent += zeroBits
        if binaryExponent >= 0 && binaryExponent + (64 - significand.leadingZeroBitCount) <= 64 {
            self.init(isNegative: value < 0, magnitude: significand << UInt64(binaryExponent))
            return
        }
        var integer = BigUInt(significand)
        if binaryExponent >= 0 {
            integer.shiftLeft(by: binaryExponent)
            self.init(isNegative: value < 0, digits: integer.decimalDigits, exponent: 0)
        } else {
            // m / 2^k = m × 5^k / 10^k: the decimal digits of m × 5^k.
            integer.multiplyByPowerOfFive(-binaryExponent)
            self.init(isNegative: value < 0, digits: integer.decimalDigits, exponent: binaryExponent)
        }
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
        guard isInteger, digits.count + exponent <= 19, let magnitude = integerMagnitude else { return nil }
        if isNegative {
            guard magnitude <= UInt64(Int64.max) + 1 else { return nil }
            return magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else { return nil }
        return Int64(magnitude)
    }

    /// The value as a UInt64, when it is a non-negative integer in range.
    public var uint64Value: UInt64? {
        guard isInteger, !isNegative, digits.count + exponent <= 20 else { return nil }
        return integerMagnitude
    }

    /// |value| of an integer, or nil when it does not fit a UInt64.
    private var integerMagnitude: UInt64? {
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
        return magnitude
    }

    /// The Double equal to this number, when one exists (no rounding): what
    /// the MessagePack encoder may write as a float64. 0.5, 1e300 and
    /// 2^-1074 have one; 0.1 and 2^53+1 have none.
    public var exactDoubleValue: Double? {
        switch kind {
        case .positiveInfinity: return .infinity
        case .negativeInfinity: return -.infinity
        case .finite: break
        }
        if digits.isEmpty { return 0 }
        // Cheap bounds first: every finite non-zero Double lies in
        // [4.9e-324, 1.8e308] and has at most 767 significant digits.
        let pointPosition = digits.count + exponent
        guard digits.count <= 767, pointPosition <= 309, pointPosition >= -323 else { return nil }
        var integer = BigUInt(decimalDigits: digits)
        // value = integer × 10^exponent = integer × 5^exponent × 2^exponent.
        if exponent >= 0 {
            integer.multiplyByPowerOfFive(exponent)
        } else if !integer.divideExactlyByPowerOfFive(-exponent) {
            return nil  // a factor of 1/5 remains: not a binary fraction
        }
        let zeroBits = integer.trailingZeroBitCount
        integer.shiftRight(by: zeroBits)
        let binaryExponent = exponent + zeroBits
        // Now value = odd × 2^binaryExponent, which a Double holds exactly
        // when odd fits 53 bits and the exponents stay in range.
        let width = integer.bitWidth
        guard width <= 53, let odd = integer.uint64Value,
              binaryExponent >= -1074, width + binaryExponent <= 1024 else { return nil }
        // Built from bits, so no floating-point operation can round.
        let shift = 53 - width
        let significand = odd << UInt64(shift)  // in [2^52, 2^53)
        let lowestBitExponent = binaryExponent - shift
        let bits: UInt64
        if lowestBitExponent + 52 >= -1022 {
            let biased = UInt64(lowestBitExponent + 52 + 1023)
            bits = biased << 52 | (significand & (1 << 52 - 1))
        } else {
            // Subnormal: the shifted-out bits are the zeros added above.
            bits = significand >> UInt64(-1074 - lowestBitExponent)
        }
        let magnitude = Double(bitPattern: bits)
        return isNegative ? -magnitude : magnitude
    }

    /// Number text as cty accepts it where a number arrives as a string:
    /// decimal text, or an infinity (`+Inf`, `-Inf`, `Inf`, any case) as Go's
    /// big.Float prints and parses them.
    init?(wireText text: some StringProtocol) {
        if let number = CtyNumber(decimal: text) {
            self = number
            return
        }
        switch text.lowercased() {
        case "inf", "+inf": self = .positiveInfinity
        case "-inf": self = .negativeInfinity
        default: return nil
        }
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
