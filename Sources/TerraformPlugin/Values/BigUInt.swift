/// An unsigned integer of any size, with just the arithmetic that exact
/// conversions between binary floating point and decimal need: multiplying
/// and dividing by small factors, shifts, and decimal digits.
///
/// Sizes stay small in practice: the largest value ever built is about 2500
/// bits (5^1074 times a 53-bit significand, for the smallest subnormal
/// Double), so the quadratic algorithms here are the right trade-off.
struct BigUInt: Equatable {
    /// Little-endian base-2^32 limbs; no most-significant zero limb, so zero
    /// has no limbs.
    private(set) var limbs: [UInt32]

    init(_ value: UInt64) {
        limbs = []
        if value != 0 {
            limbs.append(UInt32(truncatingIfNeeded: value))
            if value >> 32 != 0 { limbs.append(UInt32(truncatingIfNeeded: value >> 32)) }
        }
    }

    /// The integer written by `digits` (each 0...9, most significant first).
    init(decimalDigits digits: some Collection<UInt8>) {
        self.init(0)
        limbs.reserveCapacity(digits.count / 9 + 1)
        // Nine decimal digits at a time: 10^9 fits a limb, so one pass of
        // multiply-and-add per chunk instead of per digit.
        var chunk: UInt32 = 0
        var chunkLength = 0
        for digit in digits {
            chunk = chunk * 10 + UInt32(digit)
            chunkLength += 1
            if chunkLength == 9 {
                multiply(by: 1_000_000_000, adding: chunk)
                chunk = 0
                chunkLength = 0
            }
        }
        if chunkLength > 0 { multiply(by: BigUInt.powersOfTen[chunkLength], adding: chunk) }
    }

    private static let powersOfTen: [UInt32] = [1, 10, 100, 1000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000]

    var isZero: Bool { limbs.isEmpty }

    /// The value, when it fits 64 bits.
    var uint64Value: UInt64? {
        switch limbs.count {
        case 0: return 0
        case 1: return UInt64(limbs[0])
        case 2: return UInt64(limbs[1]) << 32 | UInt64(limbs[0])
        default: return nil
        }
    }

    /// The number of significant bits (0 for zero).
    var bitWidth: Int {
        guard let top = limbs.last else { return 0 }
        return limbs.count * 32 - top.leadingZeroBitCount
    }

    /// The number of zero bits below the lowest one bit (0 for zero).
    var trailingZeroBitCount: Int {
        for (index, limb) in limbs.enumerated() where limb != 0 {
            return index * 32 + limb.trailingZeroBitCount
        }
        return 0
    }

    /// self = self × factor + addend.
    mutating func multiply(by factor: UInt32, adding addend: UInt32 = 0) {
        // A limb times a factor plus a carry stays below 2^64:
        // (2^32-1)^2 + (2^32-1) = 2^64 - 2^32.
        var carry = UInt64(addend)
        for index in limbs.indices {
            let product = UInt64(limbs[index]) * UInt64(factor) + carry
            limbs[index] = UInt32(truncatingIfNeeded: product)
            carry = product >> 32
        }
        if carry != 0 { limbs.append(UInt32(truncatingIfNeeded: carry)) }
        trimZeroLimbs()
    }

    /// Divides in place by a non-zero divisor; returns the remainder.
    mutating func divide(by divisor: UInt32) -> UInt32 {
        precondition(divisor != 0, "division by zero")
        var remainder: UInt64 = 0
        for index in limbs.indices.reversed() {
            let current = remainder << 32 | UInt64(limbs[index])
            limbs[index] = UInt32(truncatingIfNeeded: current / UInt64(divisor))
            remainder = current % UInt64(divisor)
        }
        trimZeroLimbs()
        return UInt32(truncatingIfNeeded: remainder)
    }

    /// 5^13, the largest power of five below 2^32.
    private static let fiveToThe13: UInt32 = 1_220_703_125

    /// self = self × 5^count.
    mutating func multiplyByPowerOfFive(_ count: Int) {
        var remaining = count
        while remaining >= 13 {
            multiply(by: BigUInt.fiveToThe13)
            remaining -= 13
        }
        var factor: UInt32 = 1
        for _ in 0..<remaining { factor *= 5 }
        if factor != 1 { multiply(by: factor) }
    }

    /// Divides by 5^count when that divides self exactly, and returns true;
    /// otherwise returns false, leaving self in an unspecified state.
    mutating func divideExactlyByPowerOfFive(_ count: Int) -> Bool {
        var remaining = count
        while remaining >= 13 {
            if divide(by: BigUInt.fiveToThe13) != 0 { return false }
            remaining -= 13
        }
        var divisor: UInt32 = 1
        for _ in 0..<remaining { divisor *= 5 }
        return divisor == 1 || divide(by: divisor) == 0
    }

    mutating func shiftLeft(by bits: Int) {
        guard bits > 0, !isZero else { return }
        let limbShift = bits / 32
        let bitShift = bits % 32
        if bitShift != 0 {
            var carry: UInt32 = 0
            for index in limbs.indices {
                let limb = limbs[index]
                limbs[index] = limb << bitShift | carry
                carry = limb >> (32 - bitShift)
            }
            if carry != 0 { limbs.append(carry) }
        }
        if limbShift > 0 { limbs.insert(contentsOf: repeatElement(0, count: limbShift), at: 0) }
    }

    mutating func shiftRight(by bits: Int) {
        guard bits > 0 else { return }
        let limbShift = bits / 32
        guard limbShift < limbs.count else {
            limbs.removeAll()
            return
        }
        limbs.removeFirst(limbShift)
        let bitShift = bits % 32
        if bitShift != 0 {
            for index in limbs.indices {
                let high = index + 1 < limbs.count ? limbs[index + 1] << (32 - bitShift) : 0
                limbs[index] = limbs[index] >> bitShift | high
            }
        }
        trimZeroLimbs()
    }

    /// Decimal digits, most significant first; none for zero.
    var decimalDigits: [UInt8] {
        var value = self
        // Nine digits per division, least significant chunk first.
        var chunks: [UInt32] = []
        chunks.reserveCapacity(limbs.count * 32 / 29 + 1)
        while !value.isZero { chunks.append(value.divide(by: 1_000_000_000)) }
        var digits: [UInt8] = []
        digits.reserveCapacity(chunks.count * 9)
        for chunk in chunks.reversed() {
            // Every chunk but the first stands for exactly nine digits.
            let start = digits.count
            digits.append(contentsOf: repeatElement(0, count: 9))
            var rest = chunk
            var index = digits.count - 1
            while index >= start {
                digits[index] = UInt8(truncatingIfNeeded: rest % 10)
                rest /= 10
                index -= 1
            }
        }
        let leadingZeros = digits.firstIndex { $0 != 0 } ?? digits.count
        digits.removeFirst(leadingZeros)
        return digits
    }

    private mutating func trimZeroLimbs() {
        while limbs.last == 0 { limbs.removeLast() }
    }
}
