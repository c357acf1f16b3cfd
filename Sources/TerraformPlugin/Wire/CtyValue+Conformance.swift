extension CtyValue {
    /// Why this value cannot be sent as a value of `type`, or nil when it can.
    ///
    /// Values are built with unchecked types, so a provider can return one
    /// that its schema does not allow (a missing attribute, a number where a
    /// string belongs). Terraform would reject such a response with a
    /// confusing message, or worse, store it; the router checks first and
    /// reports a provider bug instead.
    func conformanceError(to type: CtyType, at path: AttributePath = AttributePath()) -> ValueCodingError? {
        if case .dynamic = type {
            // A dynamic position carries its own type, which must describe
            // the value; only a null or unknown may leave it undecided.
            if case .dynamic = self.type {
                switch storage {
                case .null, .unknown: return nil
                default: return ValueCodingError("a known value has no type", at: path)
                }
            }
            return conformanceError(to: self.type, at: path)
        }
        switch (storage, type) {
        case (.null, _), (.unknown, _), (.bool, .bool), (.number, .number), (.string, .string):
            return typeError(type, at: path)
        case (.elements(let elements), .list(let elementType)), (.elements(let elements), .set(let elementType)):
            for (index, element) in elements.enumerated() {
                if let problem = element.conformanceError(to: elementType, at: path.appending(index: Int64(index))) { return problem }
            }
            return typeError(type, at: path)
        case (.elements(let elements), .tuple(let elementTypes)):
            guard elements.count == elementTypes.count else {
                return ValueCodingError("expected \(elementTypes.count) tuple elements, got \(elements.count)", at: path)
            }
            for (index, (element, elementType)) in zip(elements, elementTypes).enumerated() {
                if let problem = element.conformanceError(to: elementType, at: path.appending(index: Int64(index))) { return problem }
            }
            return typeError(type, at: path)
        case (.attributes(let elements), .map(let elementType)):
            for key in elements.keys.sorted() {
                if let problem = elements[key]!.conformanceError(to: elementType, at: path.appending(key: key)) { return problem }
            }
            return typeError(type, at: path)
        case (.attributes(let attributes), .object(let attributeTypes, _)):
            for name in attributeTypes.keys.sorted() {
                guard let attribute = attributes[name] else {
                    return ValueCodingError("attribute \"\(name)\" is missing", at: path)
                }
                if let problem = attribute.conformanceError(to: attributeTypes[name]!, at: path.appending(attribute: name)) {
                    return problem
                }
            }
            if let extra = attributes.keys.sorted().first(where: { attributeTypes[$0] == nil }) {
                return ValueCodingError("unexpected attribute \"\(extra)\"", at: path)
            }
            return typeError(type, at: path)
        default:
            return ValueCodingError("expected \(type.friendlyName), got \(storage.kindName)", at: path)
        }
    }

    /// Contents can fit while the declared type does not (an empty list of
    /// numbers where strings belong): checked after the contents, whose
    /// messages point closer to the problem.
    private func typeError(_ type: CtyType, at path: AttributePath) -> ValueCodingError? {
        guard !self.type.conforms(to: type) else { return nil }
        if self.type.friendlyName == type.friendlyName {
            return ValueCodingError("the value's type does not match the schema's \(type.friendlyName) type", at: path)
        }
        return ValueCodingError("expected \(type.friendlyName), got \(self.type.friendlyName)", at: path)
    }
}

extension CtyValue.Storage {
    fileprivate var kindName: String {
        switch self {
        case .null: "null"
        case .unknown: "an unknown value"
        case .bool: "bool"
        case .number: "number"
        case .string: "string"
        case .elements: "a sequence of elements"
        case .attributes: "a set of attributes"
        }
    }
}

extension CtyType {
    /// Whether a value of this type may stand where `other` is expected:
    /// the same type, with any type allowed where `other` is dynamic.
    /// Optional-attribute marks are constraint syntax and do not count.
    func conforms(to other: CtyType) -> Bool {
        switch (self, other) {
        case (_, .dynamic): true
        case (.bool, .bool), (.number, .number), (.string, .string): true
        case (.list(let a), .list(let b)), (.set(let a), .set(let b)), (.map(let a), .map(let b)): a.conforms(to: b)
        case (.tuple(let a), .tuple(let b)): a.count == b.count && zip(a, b).allSatisfy { $0.conforms(to: $1) }
        case (.object(let a, _), .object(let b, _)):
            a.count == b.count && a.allSatisfy { name, type in b[name].map { type.conforms(to: $0) } ?? false }
        default: false
        }
    }
}
