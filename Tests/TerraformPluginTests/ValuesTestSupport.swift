import TerraformPlugin

/// Helpers for the value codec tests, in a namespace so they cannot clash
/// with helpers of other suites in this target.
enum ValuesFixtures {
    /// Bytes from hex text; spaces and newlines are ignored.
    static func bytes(_ hex: String) -> [UInt8] {
        let digits = hex.unicodeScalars.filter { !$0.properties.isWhitespace }.map { Character($0) }
        precondition(digits.count % 2 == 0, "odd number of hex digits in \(hex)")
        return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(digits[$0...$0 + 1]), radix: 16)! }
    }

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { byte in
            let text = String(byte, radix: 16)
            return text.count == 1 ? "0" + text : text
        }.joined(separator: " ")
    }

    /// The hex of a MessagePack str of `text` (fixstr or str8), for building
    /// expectations readably.
    static func str(_ text: String) -> String {
        let utf8 = Array(text.utf8)
        let header = utf8.count < 32 ? [0xA0 | UInt8(utf8.count)] : [0xD9, UInt8(utf8.count)]
        return hex(header + utf8)
    }

    /// The hex of a MessagePack bin8 of `text`.
    static func bin(_ text: String) -> String {
        let utf8 = Array(text.utf8)
        return hex([0xC4, UInt8(utf8.count)] + utf8)
    }

    static func number(_ text: String) -> CtyNumber { CtyNumber(decimal: text)! }
}

/// A small deterministic generator (SplitMix64), so a failing generated or
/// mutated case can be reproduced from its seed.
struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random types and values for round-trip tests.
enum ValuesGenerator {
    /// Names that exercise escaping and UTF-8 in keys and attribute names.
    static let names = ["a", "id", "name", "é", "with space", "quote\"", "back\\slash", "😀", "line\nbreak", "", "B", "b"]
    static let strings = ["", "x", "hello world", "€uro", "\u{0}nul", "tab\tnew\nline", "\"quoted\"", "e\u{301}", "😀🇫🇷", String(repeating: "long ", count: 20)]
    static let numbers = [
        "0", "1", "-1", "127", "128", "-33", "255", "65536", "-2147483649", "9223372036854775807", "-9223372036854775808",
        "18446744073709551615", "18446744073709551616", "0.5", "-2.25", "0.1", "1e400", "-1.5e-300",
        "123456789012345678901234567890.123456789",
    ]

    /// A random type; `dynamicInCollections` allows `dynamic` below lists,
    /// sets and maps, where decoding may give a less concrete type than the
    /// value had (an empty `list(dynamic)` says nothing of its elements).
    static func type(depth: Int, dynamic: Bool = true, dynamicInCollections: Bool = true, using random: inout SeededRandom) -> CtyType {
        let primitives: [CtyType] = dynamic ? [.bool, .number, .string, .dynamic] : [.bool, .number, .string]
        guard depth > 0, random.next() % 3 != 0 else { return primitives[Int(random.next() % UInt64(primitives.count))] }
        let inner = { (random: inout SeededRandom, inCollection: Bool) -> CtyType in
            type(depth: depth - 1, dynamic: dynamic && (!inCollection || dynamicInCollections),
                 dynamicInCollections: dynamicInCollections, using: &random)
        }
        switch random.next() % 5 {
        case 0: return .list(inner(&random, true))
        case 1: return .set(inner(&random, true))
        case 2: return .map(inner(&random, true))
        case 3: return .tuple((0..<Int(random.next() % 4)).map { _ in inner(&random, false) })
        default:
            var attributes: [String: CtyType] = [:]
            for _ in 0..<Int(random.next() % 5) { attributes[names[Int(random.next() % UInt64(names.count))]] = inner(&random, false) }
            var optional = Set<String>()
            for name in attributes.keys where random.next() % 4 == 0 { optional.insert(name) }
            return .object(attributes, optional: optional)
        }
    }

    static func refinements(for type: CtyType, using random: inout SeededRandom) -> CtyRefinements {
        var refinements = CtyRefinements()
        if type.isDynamicType { return refinements }
        if random.next() % 2 == 0 { refinements.notNull = random.next() % 4 != 0 }
        switch type {
        case .string:
            if random.next() % 2 == 0 { refinements.stringPrefix = ["a", "tok-", "é"][Int(random.next() % 3)] }
        case .number:
            if random.next() % 2 == 0 { refinements.numberLowerBound = (ValuesFixtures.number(numbers[Int(random.next() % UInt64(numbers.count))]), random.next() % 2 == 0) }
            if random.next() % 2 == 0 { refinements.numberUpperBound = (CtyNumber(Int(random.next() % 1000)), random.next() % 2 == 0) }
        case .list, .set, .map:
            if random.next() % 2 == 0 { refinements.lengthLowerBound = Int64(random.next() % 4) }
            if random.next() % 2 == 0 { refinements.lengthUpperBound = Int64(4 + random.next() % 100) }
        default:
            break
        }
        return refinements
    }

    /// A random value of `type`. At `dynamic` positions the value gets a
    /// random concrete type; the elements of one collection share one.
    static func value(of type: CtyType, depth: Int, unknowns: Bool, using random: inout SeededRandom) -> CtyValue {
        switch random.next() % 10 {
        case 0: return .null(type.isDynamicType ? (random.next() % 2 == 0 ? .dynamic : concrete(type, depth: depth, using: &random)) : type)
        case 1 where unknowns:
            let unknownType = type.isDynamicType && random.next() % 2 == 0 ? concrete(type, depth: depth, using: &random) : type
            return .unknown(unknownType, refinements: refinements(for: unknownType, using: &random))
        default: break
        }
        switch type {
        case .bool: return .bool(random.next() % 2 == 0)
        case .number:
            if random.next() % 3 == 0 { return .number(CtyNumber(exactly: Double(bitPattern: random.next())) ?? .positiveInfinity) }
            return .number(ValuesFixtures.number(numbers[Int(random.next() % UInt64(numbers.count))]))
        case .string: return .string(strings[Int(random.next() % UInt64(strings.count))])
        case .dynamic:
            let concreteType = concrete(type, depth: depth, using: &random)
            return value(of: concreteType, depth: depth - 1, unknowns: unknowns, using: &random)
        case .list(let elementType), .set(let elementType):
            let count = Int(random.next() % 4)
            let realised = elementType.hasDynamicTypes && count > 0 ? concrete(elementType, depth: depth, using: &random) : elementType
            let elements = (0..<count).map { _ in value(of: realised, depth: depth - 1, unknowns: unknowns, using: &random) }
            if case .set = type { return .set(of: realised, elements) }
            return .list(of: realised, elements)
        case .map(let elementType):
            let count = Int(random.next() % 4)
            let realised = elementType.hasDynamicTypes && count > 0 ? concrete(elementType, depth: depth, using: &random) : elementType
            var elements: [String: CtyValue] = [:]
            for _ in 0..<count {
                elements[names[Int(random.next() % UInt64(names.count))]] = value(of: realised, depth: depth - 1, unknowns: unknowns, using: &random)
            }
            return .map(of: elements.isEmpty ? elementType : realised, elements)
        case .tuple(let elementTypes):
            return .tuple(elementTypes.map { value(of: $0, depth: depth - 1, unknowns: unknowns, using: &random) })
        case .object(let attributeTypes, let optional):
            var attributes: [String: CtyValue] = [:]
            for (name, attributeType) in attributeTypes {
                attributes[name] = value(of: attributeType, depth: depth - 1, unknowns: unknowns, using: &random)
            }
            let valueType = CtyType.object(attributes.mapValues(\.type), optional: optional)
            return CtyValue(uncheckedType: valueType, storage: .attributes(attributes))
        }
    }

    /// `type` with every `dynamic` replaced by a random concrete type.
    static func concrete(_ type: CtyType, depth: Int, using random: inout SeededRandom) -> CtyType {
        switch type {
        case .dynamic: return self.type(depth: max(0, min(depth, 2)), dynamic: false, using: &random)
        case .bool, .number, .string: return type
        case .list(let element): return .list(concrete(element, depth: depth, using: &random))
        case .set(let element): return .set(concrete(element, depth: depth, using: &random))
        case .map(let element): return .map(concrete(element, depth: depth, using: &random))
        case .tuple(let elements): return .tuple(elements.map { concrete($0, depth: depth, using: &random) })
        case .object(let attributes, let optional):
            return .object(attributes.mapValues { concrete($0, depth: depth, using: &random) }, optional: optional)
        }
    }
}

extension CtyType {
    var isDynamicType: Bool {
        if case .dynamic = self { return true }
        return false
    }
}
