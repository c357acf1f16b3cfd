import TerraformPlugin

/// The JSON the Turso API exchanges: small documents of objects, strings,
/// string lists and integers. Read and written with the protocol layer's
/// JSON parser and writer rather than Foundation, which the provider binary
/// does not link (start-up time and size).
enum TursoJSON: Sendable, Equatable {
    case null
    case bool(Bool)
    /// The number's text as sent.
    case number(String)
    case string(String)
    case array([TursoJSON])
    case object([String: TursoJSON])

    subscript(key: String) -> TursoJSON? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    var arrayValue: [TursoJSON]? {
        if case .array(let value) = self { return value }
        return nil
    }

    var int64Value: Int64? {
        if case .number(let text) = self { return Int64(text) }
        return nil
    }

    struct ParseError: Error, Sendable {
        var message: String
    }

    /// Turso's answers are a few levels deep; anything deeper is refused
    /// rather than walked (the shared parser allows far more, for values).
    static let maxDepth = 32

    /// Parsed by the protocol layer's strict RFC 8259 parser (duplicate keys
    /// refused), then viewed with objects as dictionaries.
    static func parse(_ bytes: [UInt8]) throws(ParseError) -> TursoJSON {
        let document: JSONDocument
        do {
            document = try JSONParser.parse(bytes)
        } catch {
            throw ParseError(message: error.message)
        }
        return try TursoJSON(document, depth: 0)
    }

    private init(_ document: JSONDocument, depth: Int) throws(ParseError) {
        guard depth < Self.maxDepth else { throw ParseError(message: "nested more than \(Self.maxDepth) levels deep") }
        switch document {
        case .null: self = .null
        case .bool(let value): self = .bool(value)
        case .number(let text): self = .number(text)
        case .string(let text): self = .string(text)
        case .array(let elements):
            var converted: [TursoJSON] = []
            converted.reserveCapacity(elements.count)
            for element in elements { converted.append(try TursoJSON(element, depth: depth + 1)) }
            self = .array(converted)
        case .object(let members):
            var converted: [String: TursoJSON] = [:]
            for member in members { converted[member.key] = try TursoJSON(member.value, depth: depth + 1) }
            self = .object(converted)
        }
    }

    /// Compact JSON; object members sorted by key, so output is stable.
    var encoded: [UInt8] {
        var writer = JSONWriter()
        write(into: &writer)
        return writer.bytes
    }

    private func write(into writer: inout JSONWriter) {
        switch self {
        case .null: writer.writeRaw("null")
        case .bool(let value): writer.writeRaw(value ? "true" : "false")
        case .number(let text): writer.writeASCII(text)
        case .string(let text): writer.writeString(text)
        case .array(let elements):
            writer.writeByte(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { writer.writeByte(UInt8(ascii: ",")) }
                element.write(into: &writer)
            }
            writer.writeByte(UInt8(ascii: "]"))
        case .object(let members):
            writer.writeByte(UInt8(ascii: "{"))
            for (index, key) in members.keys.sorted().enumerated() {
                if index > 0 { writer.writeByte(UInt8(ascii: ",")) }
                writer.writeString(key)
                writer.writeByte(UInt8(ascii: ":"))
                members[key]!.write(into: &writer)
            }
            writer.writeByte(UInt8(ascii: "}"))
        }
    }
}
