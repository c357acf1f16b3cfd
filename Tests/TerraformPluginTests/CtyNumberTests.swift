import Testing
@testable import TerraformPlugin

@Suite("CtyNumber: exact conversions between Double and decimal")
struct CtyNumberTests {
    @Test("0.1 as a Double is its exact binary value, not 0.1")
    func pointOneIsExact() throws {
        let number = try #require(CtyNumber(exactly: 0.1))
        #expect(number.description == "0.1000000000000000055511151231257827021181583404541015625")
        #expect(number != ValuesFixtures.number("0.1"))
        #expect(number.exactDoubleValue == 0.1)
    }

    @Test("The smallest subnormal Double converts to all 751 of its significant digits and back")
    func smallestSubnormal() throws {
        let number = try #require(CtyNumber(exactly: .leastNonzeroMagnitude))
        #expect(number.digits.count == 751)
        #expect(number.exponent == -1074)
        #expect(number.description.hasPrefix("4.940656458412465441765687928682213723650598026143247644255856825006755072702087518652998363616359923797965646954457177309266567103559397963987747960107818781263007131903114045278458171678489821036887186360569987307230500063874091535649843873124733972731696151400317153853980741262385655911710266585566867681870395603106249319452715914924553293054565444011274801297099995419319894090804165633245247571478690147267801593552386115501348035264934720193790268107107491703332226844753335720832431936092382893458368060106011506169809753078342277318329247904982524730776375927247874656084778203734469699533647017972677717585125660551199131504891101451037862738167250955837389733598993664809941164205702637090279242767544565229087538682506419718265533447265625e-"))
        #expect(number.exactDoubleValue == .leastNonzeroMagnitude)
        #expect(number.exactDoubleValue?.bitPattern == 1)
    }

    @Test("The largest finite Double converts to its 309-digit integer and back")
    func largestFinite() throws {
        let number = try #require(CtyNumber(exactly: 1.7976931348623157e308))
        let expected = "179769313486231570814527423731704356798070567525844996598917476803157260780028538760589558632766878171540458953514382464234321326889464182768467546703537516986049910576551282076245490090389328944075868508455133942304583236903222948165808559332123348274797826204144723168738177180919299881250404026184124858368"
        #expect(number == ValuesFixtures.number(expected))
        #expect(number.isInteger)
        #expect(number.exactDoubleValue == .greatestFiniteMagnitude)
        #expect(number.exactDoubleValue?.bitPattern == Double.greatestFiniteMagnitude.bitPattern)
    }

    @Test("The smallest normal Double round-trips exactly")
    func smallestNormal() throws {
        let number = try #require(CtyNumber(exactly: 2.2250738585072014e-308))
        #expect(number.exactDoubleValue == .leastNormalMagnitude)
        #expect(number.digits.count == 715)
    }

    @Test("Assorted Doubles have the exact decimal values Python's Decimal gives")
    func assortedDoubles() throws {
        let cases: [(Double, String)] = [
            (1.0 / 3.0, "0.333333333333333314829616256247390992939472198486328125"),
            (-2.5, "-2.5"),
            (1e23, "99999999999999991611392"),
            (1180591620717411303424.0, "1180591620717411303424"),
            (123.456, "123.4560000000000030695446184836328029632568359375"),
            (Double(Float(0.1)), "0.100000001490116119384765625"),
            (1.0, "1"),
            (-1024.0, "-1024"),
            (9007199254740992.0, "9007199254740992"),
        ]
        for (double, text) in cases {
            let number = try #require(CtyNumber(exactly: double))
            #expect(number == ValuesFixtures.number(text), "\(double)")
            #expect(number.exactDoubleValue?.bitPattern == double.bitPattern, "\(double)")
        }
    }

    @Test("Negative zero is plain zero, and NaN is no number")
    func signedZeroAndNaN() throws {
        let negativeZero = try #require(CtyNumber(exactly: -0.0))
        #expect(negativeZero == .zero)
        #expect(!negativeZero.isNegative)
        #expect(negativeZero.exactDoubleValue?.bitPattern == (0.0).bitPattern)
        #expect(CtyNumber(exactly: .nan) == nil)
        #expect(CtyNumber(exactly: .signalingNaN) == nil)
    }

    @Test("Infinities convert both ways")
    func infinities() {
        #expect(CtyNumber(exactly: .infinity) == .positiveInfinity)
        #expect(CtyNumber(exactly: -.infinity) == .negativeInfinity)
        #expect(CtyNumber.positiveInfinity.exactDoubleValue == .infinity)
        #expect(CtyNumber.negativeInfinity.exactDoubleValue == -.infinity)
    }

    @Test("2^53+1 and 0.1 have no exact Double; 2^53, 0.5 and 2^64 do")
    func exactDoubleRepresentability() {
        #expect(ValuesFixtures.number("9007199254740993").exactDoubleValue == nil)
        #expect(ValuesFixtures.number("0.1").exactDoubleValue == nil)
        #expect(ValuesFixtures.number("1e400").exactDoubleValue == nil)
        #expect(ValuesFixtures.number("1e-400").exactDoubleValue == nil)
        #expect(ValuesFixtures.number("5e-324").exactDoubleValue == nil)  // the decimal 5e-324, not the Double
        #expect(ValuesFixtures.number("9007199254740992").exactDoubleValue == 9007199254740992)
        #expect(ValuesFixtures.number("0.5").exactDoubleValue == 0.5)
        #expect(ValuesFixtures.number("-0.375").exactDoubleValue == -0.375)
        #expect(ValuesFixtures.number("18446744073709551616").exactDoubleValue == 18446744073709551616.0)
        #expect(ValuesFixtures.number("1e22").exactDoubleValue == 1e22)  // 5^22 still fits 53 bits
        #expect(ValuesFixtures.number("1e23").exactDoubleValue == nil)
        // Just above the largest finite Double: 2^1024 is out of range.
        #expect(ValuesFixtures.number("179769313486231590772930519078902473361797697894230657273430081157732675805500963132708477322407536021120113879871393357658789768814416622492847430639474124377767893424865485276302219601246094119453082952085005768838150682342462881473913110540827237163350510684586298239947245938479716304835356329624224137216").exactDoubleValue == nil)
    }

    @Test("Integer accessors: Int64 and UInt64 ranges, with their edges")
    func integerAccessors() {
        #expect(CtyNumber(Int64.min).int64Value == .min)
        #expect(CtyNumber(Int64.max).int64Value == .max)
        #expect(CtyNumber(UInt64.max).uint64Value == .max)
        #expect(CtyNumber(UInt64.max).int64Value == nil)
        #expect(ValuesFixtures.number("18446744073709551616").uint64Value == nil)
        #expect(CtyNumber(-1).uint64Value == nil)
        #expect(ValuesFixtures.number("1.5").int64Value == nil)
        #expect(ValuesFixtures.number("1e3").uint64Value == 1000)
        #expect(CtyNumber(0).uint64Value == 0)
        #expect(CtyNumber(1_000_000).digits == [1])
        #expect(CtyNumber(1_000_000).exponent == 6)
        #expect(CtyNumber(-120).description == "-120")
    }

    @Test("Number text from the wire: decimals and Go's spellings of infinity; never NaN")
    func wireText() {
        #expect(CtyNumber(wireText: "12345678901234567890123") == ValuesFixtures.number("12345678901234567890123"))
        #expect(CtyNumber(wireText: "+Inf") == .positiveInfinity)
        #expect(CtyNumber(wireText: "inf") == .positiveInfinity)
        #expect(CtyNumber(wireText: "-Inf") == .negativeInfinity)
        #expect(CtyNumber(wireText: "NaN") == nil)
        #expect(CtyNumber(wireText: "") == nil)
        #expect(CtyNumber(wireText: "1x") == nil)
        #expect(CtyNumber(decimal: "+Inf") == nil)
    }

    @Test("Generated Doubles survive Double -> decimal -> Double bit for bit")
    func generatedDoubles() throws {
        var random = SeededRandom(seed: 0xC0FFEE)
        for _ in 0..<2000 {
            let double = Double(bitPattern: random.next())
            guard !double.isNaN else { continue }
            let number = try #require(CtyNumber(exactly: double))
            let back = try #require(number.exactDoubleValue, "\(double)")
            #expect(back.bitPattern == (double == 0 ? 0 : double.bitPattern), "\(double)")
            // The decimal text parses to the same number again.
            #expect(CtyNumber(wireText: number.description) == number, "\(double)")
        }
    }
}

@Suite("BigUInt: the arithmetic under exact number conversion")
struct CtyNumberBigUIntTests {
    @Test("Decimal digits survive a round trip through binary limbs")
    func decimalRoundTrip() {
        let digits: [UInt8] = Array("340282366920938463463374607431768211457".utf8).map { $0 - 48 }
        let integer = BigUInt(decimalDigits: digits)
        #expect(integer.decimalDigits == digits)
        #expect(integer.bitWidth == 129)
        #expect(BigUInt(0).decimalDigits == [])
        #expect(BigUInt(decimalDigits: [0, 0, 7]).decimalDigits == [7])
        #expect(BigUInt(1_000_000_000).decimalDigits == [1, 0, 0, 0, 0, 0, 0, 0, 0, 0])
    }

    @Test("Shifts, powers of five and exact division agree with each other")
    func arithmetic() {
        var integer = BigUInt(3)
        integer.shiftLeft(by: 100)
        #expect(integer.trailingZeroBitCount == 100)
        #expect(integer.bitWidth == 102)
        integer.shiftRight(by: 99)
        #expect(integer.uint64Value == 6)
        var powers = BigUInt(7)
        powers.multiplyByPowerOfFive(40)
        var divided = powers
        let dividesExactly = divided.divideExactlyByPowerOfFive(40)
        #expect(dividesExactly)
        #expect(divided.uint64Value == 7)
        var notDivisible = powers
        let dividesTooFar = notDivisible.divideExactlyByPowerOfFive(41)
        #expect(!dividesTooFar)
        var small = BigUInt(10)
        let remainder = small.divide(by: 3)
        #expect(remainder == 1)
        #expect(small.uint64Value == 3)
        var gone = BigUInt(5)
        gone.shiftRight(by: 64)
        #expect(gone.isZero)
    }
}
