/// A parsed JSON document. The value decoder needs the whole of a dynamic
/// value's object before it can decode its "value" (the "type" may come
/// second), so documents are parsed to a tree first, once.
package enum JSONDocument {
    case null
    case bool(Bool)
    /// The number's text, valid per RFC 8259, so no precision is lost before
    /// the decoder knows what the number is for.
    case number(String)
    case string(String)
    case array([JSONDocument])
    /// Members in document order; keys are unique (the parser rejects
    /// duplicates).
    case object([(key: String, value: JSONDocument)])

    /// The document's kind, for messages: "found an array".
    var kindDescription: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

/// A strict RFC 8259 parser over a borrowed buffer: any value at the top,
/// only JSON whitespace around it, no comments, no trailing commas, no
/// leading zeros, no byte order mark; strings must be valid UTF-8, control
/// characters escaped, and `\u` escapes must pair surrogates.
///
/// An object with the same key twice is rejected: which of the two a
/// reader honours differs between parsers, and Terraform never writes one,
/// so refusing is the one answer that cannot be misread.
///
/// Arrays and objects may nest `ValueNesting.maximumDepth` levels deep.
package struct JSONParser {
    private let buffer: UnsafeBufferPointer<UInt8>
    private let start: Int
    private let end: Int
    private var position: Int
    private var depth = 0

    private init(_ buffer: UnsafeBufferPointer<UInt8>, range: Range<Int>) {
        self.buffer = buffer
        self.start = range.lowerBound
        self.end = range.upperBound
        self.position = range.lowerBound
    }

    /// Parses one whole document; errors name the byte offset.
    static func parse(_ buffer: UnsafeBufferPointer<UInt8>, range: Range<Int>? = nil) throws(ValueCodingError) -> JSONDocument {
        var parser = JSONParser(buffer, range: range ?? 0..<buffer.count)
        let document = try parser.parseValue()
        parser.skipWhitespace()
        guard parser.position == parser.end else { throw parser.error("unexpected data after the JSON value") }
        return document
    }

    package static func parse(_ bytes: [UInt8]) throws(ValueCodingError) -> JSONDocument {
        try bytes.withUnsafeBufferPointer { (buffer) throws(ValueCodingError) -> JSONDocument in
            try parse(buffer)
        }
    }

    @inline(never)
    private func error(_ message: String, at offset: Int? = nil) -> ValueCodingError {
        ValueCodingError("invalid JSON at byte \((offset ?? position) - start): \(message)")
    }

    /// What stands at the current position, for messages.
    private var found: String {
        guard position < end else { return "the end of the input" }
        let byte = buffer[position]
        if byte >= 0x21 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        let hex = String(byte, radix: 16)
        return "byte 0x" + (hex.count == 1 ? "0" + hex : hex)
    }

    private mutating func skipWhitespace() {
        while position < end {
            switch buffer[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    /// The recursive step: it only dispatches, and scalars are parsed out of
    /// line, so that a level of nesting costs a small stack frame.
    private mutating func parseValue() throws(ValueCodingError) -> JSONDocument {
        skipWhitespace()
        guard position < end else { throw error("expected a value, found the end of the input") }
        switch buffer[position] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        default: return try parseScalar()
        }
    }

    @inline(never)
    private mutating func parseScalar() throws(ValueCodingError) -> JSONDocument {
        switch buffer[position] {
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw error("expected a value, found \(found)")
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(ValueCodingError) {
        let count = literal.utf8CodeUnitCount
        let matches = end - position >= count
            && literal.withUTF8Buffer { expected in (0..<count).allSatisfy { buffer[position + $0] == expected[$0] } }
        guard matches else { throw error("expected a value, found \(found)") }
        position += count
    }

    private mutating func enterNesting() throws(ValueCodingError) {
        depth += 1
        if depth > ValueNesting.maximumDepth { throw nestingError() }
    }

    @inline(never)
    private func nestingError() -> ValueCodingError {
        error("arrays and objects nested deeper than \(ValueNesting.maximumDepth) levels")
    }

    private mutating func parseArray() throws(ValueCodingError) -> JSONDocument {
        try enterNesting()
        position += 1  // [
        var elements: [JSONDocument] = []
        skipWhitespace()
        if position < end && buffer[position] == UInt8(ascii: "]") {
            position += 1
            depth -= 1
            return .array(elements)
        }
        while true {
            JSONParser.append(try parseValue(), to: &elements)
            skipWhitespace()
            guard position < end else { throw error("expected ',' or ']', found the end of the input") }
            switch buffer[position] {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "]"):
                position += 1
                depth -= 1
                return .array(elements)
            default: throw error("expected ',' or ']', found \(found)")
            }
        }
    }

    @inline(never)
    private static func append(_ element: JSONDocument, to elements: inout [JSONDocument]) {
        elements.append(element)
    }

    private mutating func parseObject() throws(ValueCodingError) -> JSONDocument {
        try enterNesting()
        position += 1  // {
        var members = JSONObjectBuilder()
        skipWhitespace()
        if position < end && buffer[position] == UInt8(ascii: "}") {
            position += 1
            depth -= 1
            return .object([])
        }
        while true {
            let (key, keyOffset) = try parseKey()
            let value = try parseValue()
            guard members.append(key, value) else {
                throw error("duplicate object key \(PluginLog.jsonString(key))", at: keyOffset)
            }
            skipWhitespace()
            guard position < end else { throw error("expected ',' or '}', found the end of the input") }
            switch buffer[position] {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "}"):
                position += 1
                depth -= 1
                return .object(members.members)
            default: throw error("expected ',' or '}', found \(found)")
            }
        }
    }

    /// A member's key and the colon after it; the key's offset is kept for
    /// a duplicate-key message.
    @inline(never)
    private mutating func parseKey() throws(ValueCodingError) -> (String, Int) {
        skipWhitespace()
        guard position < end, buffer[position] == UInt8(ascii: "\"") else {
            throw error("expected a string key, found \(found)")
        }
        let keyOffset = position
        let key = try parseString()
        skipWhitespace()
        guard position < end, buffer[position] == UInt8(ascii: ":") else {
            throw error("expected ':' after an object key, found \(found)")
        }
        position += 1
        return (key, keyOffset)
    }

    /// A number per RFC 8259: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
    private mutating func parseNumber() throws(ValueCodingError) -> String {
        let numberStart = position
        func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        func digits(_ parser: inout JSONParser) -> Int {
            let digitsStart = parser.position
            while parser.position < parser.end && isDigit(parser.buffer[parser.position]) { parser.position += 1 }
            return parser.position - digitsStart
        }
        if buffer[position] == UInt8(ascii: "-") { position += 1 }
        guard position < end, isDigit(buffer[position]) else { throw error("expected a digit, found \(found)") }
        if buffer[position] == UInt8(ascii: "0") {
            position += 1
            if position < end && isDigit(buffer[position]) { throw error("a number may not have leading zeros") }
        } else {
            _ = digits(&self)
        }
        if position < end && buffer[position] == UInt8(ascii: ".") {
            position += 1
            guard digits(&self) > 0 else { throw error("expected a digit after the decimal point, found \(found)") }
        }
        if position < end && (buffer[position] == UInt8(ascii: "e") || buffer[position] == UInt8(ascii: "E")) {
            position += 1
            if position < end && (buffer[position] == UInt8(ascii: "+") || buffer[position] == UInt8(ascii: "-")) { position += 1 }
            guard digits(&self) > 0 else { throw error("expected a digit in the exponent, found \(found)") }
        }
        return String(decoding: UnsafeBufferPointer(rebasing: buffer[numberStart..<position]), as: UTF8.self)
    }

    private mutating func parseString() throws(ValueCodingError) -> String {
        position += 1  // opening quote
        let contentStart = position
        // Fast path: no escapes, which is nearly every string.
        while position < end {
            let byte = buffer[position]
            if byte == UInt8(ascii: "\"") {
                let string = try validated(UnsafeBufferPointer(rebasing: buffer[contentStart..<position]), at: contentStart)
                position += 1
                return string
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw controlCharacterError(byte) }
            position += 1
        }
        guard position < end else { throw error("unterminated string", at: contentStart - 1) }
        var bytes = Array(UnsafeBufferPointer(rebasing: buffer[contentStart..<position]))
        while position < end {
            let byte = buffer[position]
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                // Escapes only ever produce whole UTF-8 sequences, which
                // begin with a lead byte, so validating the result also
                // validates the raw parts between them.
                return try bytes.withUnsafeBufferPointer { (result) throws(ValueCodingError) -> String in
                    try validated(result, at: contentStart)
                }
            case UInt8(ascii: "\\"):
                try parseEscape(into: &bytes)
            case 0x00..<0x20:
                throw controlCharacterError(byte)
            default:
                bytes.append(byte)
                position += 1
            }
        }
        throw error("unterminated string", at: contentStart - 1)
    }

    private func validated(_ utf8: UnsafeBufferPointer<UInt8>, at offset: Int) throws(ValueCodingError) -> String {
        guard let string = UTF8Text.string(utf8) else {
            throw error("the string is not valid UTF-8", at: offset)
        }
        return string
    }

    private func controlCharacterError(_ byte: UInt8) -> ValueCodingError {
        let hex = String(byte, radix: 16, uppercase: true)
        return error("control character U+00\(hex.count == 1 ? "0" + hex : hex) must be escaped in a string")
    }

    private mutating func parseEscape(into bytes: inout [UInt8]) throws(ValueCodingError) {
        let escapeStart = position
        position += 1  // backslash
        guard position < end else { throw error("unterminated string") }
        let letter = buffer[position]
        position += 1
        switch letter {
        case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\"))
        case UInt8(ascii: "/"): bytes.append(UInt8(ascii: "/"))
        case UInt8(ascii: "b"): bytes.append(0x08)
        case UInt8(ascii: "f"): bytes.append(0x0C)
        case UInt8(ascii: "n"): bytes.append(0x0A)
        case UInt8(ascii: "r"): bytes.append(0x0D)
        case UInt8(ascii: "t"): bytes.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = UInt32(try hexQuad())
            if (0xD800...0xDBFF).contains(scalar) {
                // A high surrogate must be followed by an escaped low one.
                guard end - position >= 2, buffer[position] == UInt8(ascii: "\\"), buffer[position + 1] == UInt8(ascii: "u") else {
                    throw error("unpaired surrogate in a \\u escape", at: escapeStart)
                }
                position += 2
                let low = UInt32(try hexQuad())
                guard (0xDC00...0xDFFF).contains(low) else {
                    throw error("unpaired surrogate in a \\u escape", at: escapeStart)
                }
                scalar = 0x10000 + (scalar - 0xD800) << 10 + (low - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(scalar) {
                throw error("unpaired surrogate in a \\u escape", at: escapeStart)
            }
            // Not a surrogate, so always a valid scalar.
            bytes.append(contentsOf: UTF8.encode(Unicode.Scalar(scalar)!)!)
        default:
            throw error("invalid escape sequence in a string", at: escapeStart)
        }
    }

    private mutating func hexQuad() throws(ValueCodingError) -> UInt16 {
        guard end - position >= 4 else { throw error("a \\u escape needs four hexadecimal digits") }
        var value: UInt16 = 0
        for _ in 0..<4 {
            let byte = buffer[position]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw error("a \\u escape needs four hexadecimal digits")
            }
            value = value << 4 | UInt16(digit)
            position += 1
        }
        return value
    }
}

/// An object's members as they are parsed, refusing duplicate keys: a
/// linear scan is cheapest for the few keys of a typical object, a set takes
/// over for large ones.
struct JSONObjectBuilder {
    private(set) var members: [(key: String, value: JSONDocument)] = []
    private var keys: Set<String>?

    /// False, appending nothing, when the key is already there.
    @inline(never)
    mutating func append(_ key: String, _ value: JSONDocument) -> Bool {
        if keys == nil {
            if members.contains(where: { $0.key == key }) { return false }
            if members.count >= 16 { keys = Set(members.map(\.key)) }
        }
        if keys != nil {
            guard keys!.insert(key).inserted else { return false }
        }
        members.append((key, value))
        return true
    }
}

/// Compact JSON output.
package struct JSONWriter {
    package private(set) var bytes: [UInt8]

    package init(capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    package mutating func writeRaw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    package mutating func writeByte(_ byte: UInt8) { bytes.append(byte) }

    package mutating func writeASCII(_ text: String) { bytes.append(contentsOf: text.utf8) }

    /// A string literal. Only what JSON requires is escaped (quote,
    /// backslash, control characters); other characters are written as UTF-8.
    package mutating func writeString(_ string: String) {
        var string = string
        bytes.append(UInt8(ascii: "\""))
        string.withUTF8 { utf8 in
            var runStart = 0
            for (index, byte) in utf8.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                runStart = index + 1
                bytes.append(UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
                case 0x0A: bytes.append(UInt8(ascii: "n"))
                case 0x0D: bytes.append(UInt8(ascii: "r"))
                case 0x09: bytes.append(UInt8(ascii: "t"))
                case 0x08: bytes.append(UInt8(ascii: "b"))
                case 0x0C: bytes.append(UInt8(ascii: "f"))
                default:
                    let hexDigits = Array("0123456789abcdef".utf8)
                    bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0xF)]])
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
