import Testing
@testable import TursoProvider

@Suite("Durations are parsed like Go's time.ParseDuration")
struct TokenDurationTests {
    @Test("Common forms parse to the exact number of nanoseconds", arguments: [
        ("90s", Int64(90_000_000_000)),
        ("30m", 1_800_000_000_000),
        ("1h30m", 5_400_000_000_000),
        ("1h", 3_600_000_000_000),
        ("1.5h", 5_400_000_000_000),
        ("500ms", 500_000_000),
        ("2h45m30.5s", 9_930_500_000_000),
        ("0", 0),
        ("0s", 0),
        ("-5m", -300_000_000_000),
        ("1us", 1_000),
        ("1µs", 1_000),
        ("3ns", 3),
    ])
    func parses(text: String, nanoseconds: Int64) throws {
        #expect(try TokenDuration.parse(text).get().nanoseconds == nanoseconds)
    }

    @Test("Malformed durations are rejected with a reason a user can act on", arguments: [
        ("", "empty"),
        ("10", "no unit"),
        ("1d", "\"d\" is not a unit"),
        ("h", "expected a number"),
        ("1..5s", "expected a number"),
        ("1h 30m", "contains a space"),
        ("5m!", "\"!\" is not allowed"),
        ("-", "no number"),
        ("300000000h", "longer than about 292 years"),
    ])
    func rejects(text: String, reasonFragment: String) {
        switch TokenDuration.parse(text) {
        case .success(let duration): Issue.record("\"\(text)\" parsed as \(duration)")
        case .failure(let error): #expect(error.reason.contains(reasonFragment), "\(error.reason)")
        }
    }

    @Test("Durations print in Go's canonical form", arguments: [
        (Int64(0), "0s"), (90_000_000_000, "1m30s"), (3_600_000_000_000, "1h0m0s"),
        (5_400_500_000_000, "1h30m0.5s"), (500_000_000, "500ms"), (1_500, "1.5us"), (-60_000_000_000, "-1m0s"),
    ])
    func prints(nanoseconds: Int64, text: String) {
        #expect(TokenDuration(nanoseconds: nanoseconds).description == text)
    }

    @Test("Whole seconds round down, so a token never outlives its ttl")
    func wholeSecondsRoundDown() throws {
        #expect(try TokenDuration.parse("1.9s").get().wholeSeconds == 1)
    }
}

@Suite("RFC 3339 timestamps")
struct RFC3339Tests {
    @Test("Known instants format in UTC", arguments: [
        (Int64(0), "1970-01-01T00:00:00Z"),
        (1_700_000_000, "2023-11-14T22:13:20Z"),
        (951_782_400, "2000-02-29T00:00:00Z"),
        (-1, "1969-12-31T23:59:59Z"),
        (253_402_300_799, "9999-12-31T23:59:59Z"),
    ])
    func formats(seconds: Int64, text: String) {
        #expect(RFC3339.format(UnixTime(seconds: seconds)) == text)
        #expect(RFC3339.parse(text) == UnixTime(seconds: seconds))
    }

    @Test("Offsets and fractions are understood")
    func offsets() {
        #expect(RFC3339.parse("2023-11-14T23:13:20+01:00") == UnixTime(seconds: 1_700_000_000))
        #expect(RFC3339.parse("2023-11-14T22:13:20.999Z") == UnixTime(seconds: 1_700_000_000))
        #expect(RFC3339.parse("2023-11-14t22:13:20z") == UnixTime(seconds: 1_700_000_000))
    }

    @Test("Malformed timestamps are rejected", arguments: [
        "", "2023-11-14", "2023-11-14T22:13:20", "2023-13-01T00:00:00Z", "2023-02-29T00:00:00Z",
        "2023-11-14T24:00:00Z", "2023-11-14T22:13:20Zjunk", "2023-11-14T22:13:20+0100", "abcd-11-14T22:13:20Z",
    ])
    func rejects(text: String) {
        #expect(RFC3339.parse(text) == nil)
    }
}

@Suite("UUIDs for minted tokens")
struct UUIDTests {
    @Test("A version 4 UUID has the canonical lowercase form")
    func canonicalForm() {
        let uuid = SystemRandomSource().uuid4()
        let parts = uuid.split(separator: "-").map(String.init)
        #expect(parts.map(\.count) == [8, 4, 4, 4, 12])
        #expect(uuid.allSatisfy { "0123456789abcdef-".contains($0) })
        #expect(parts[2].first == "4")
        #expect("89ab".contains(parts[3].first!))
    }

    @Test("Fixed bytes give the expected text, with version and variant bits set")
    func fixedBytes() {
        let uuid = FixedRandomSource(byte: 0xFF).uuid4()
        #expect(uuid == "ffffffff-ffff-4fff-bfff-ffffffffffff")
    }

    @Test("Two system UUIDs differ")
    func differ() {
        #expect(SystemRandomSource().uuid4() != SystemRandomSource().uuid4())
    }
}

/// Returns the same byte every time: deterministic UUIDs in tests.
struct FixedRandomSource: RandomSource {
    var byte: UInt8
    func bytes(_ count: Int) -> [UInt8] { Array(repeating: byte, count: count) }
}
