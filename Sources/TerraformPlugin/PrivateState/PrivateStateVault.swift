/// The secrets a resource keeps in Terraform's private state, by name
/// (for example `token` and `expires_at`).
public struct PrivateStateFields: Hashable, Sendable {
    public var values: [String: String]

    public init(_ values: [String: String]) { self.values = values }

    public subscript(name: String) -> String? { values[name] }
}

/// What a private-state blob belongs to. Sealing binds the blob to it, so a
/// blob copied from another resource does not open.
public struct PrivateStateBinding: Hashable, Sendable {
    public var resourceType: String
    public var resourceID: String

    public init(resourceType: String, resourceID: String) {
        self.resourceType = resourceType
        self.resourceID = resourceID
    }
}

/// What was found in a resource's private state.
public enum PrivateStateContents: Sendable {
    /// Nothing stored (a resource created by an older provider, or imported).
    case empty
    /// Stored in the clear, as before sealing existed: re-seal it on Read.
    case plain(PrivateStateFields)
    /// Opened and authenticated. `needsReseal` when it was sealed with a
    /// previous key or an older envelope format.
    case sealed(PrivateStateFields, needsReseal: Bool)
    /// Present but not readable here (sealed with a key that is not
    /// configured, or damaged). Keep the blob byte for byte: a later run with
    /// the right key may still open it.
    case unreadable(PrivateStateProblem)
}

public struct PrivateStateProblem: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: Hashable, Sendable {
        /// Sealed with a key whose id is not among the configured keys.
        case unknownKey(keyID: String)
        /// The key id matches but authentication failed: edited, corrupted,
        /// or copied from another resource.
        case authenticationFailed(keyID: String)
        /// Too short or not one of our formats.
        case malformed
        /// A newer envelope version than this provider understands.
        case unsupportedVersion(UInt8)
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}

/// Turns private-state fields into the bytes Terraform stores, and back.
public protocol PrivateStateVault: Sendable {
    func seal(_ fields: PrivateStateFields, for binding: PrivateStateBinding) throws(PrivateStateSealError) -> [UInt8]
    func open(_ blob: [UInt8], for binding: PrivateStateBinding) -> PrivateStateContents
}

public struct PrivateStateSealError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Private state as plain JSON (`{"token":"…","expires_at":"…"}`): the
/// format before sealing, still read so old states can be upgraded.
public enum PlainPrivateState {
    static let fieldsType = CtyType.map(.string)

    public static func encode(_ fields: PrivateStateFields) -> [UInt8] {
        let value = CtyValue.map(of: .string, fields.values.mapValues { CtyValue.string($0) })
        // A map of known strings always encodes; a failure here is a bug in the codec.
        guard let bytes = try? JSONValueCodec.encode(value, as: fieldsType) else {
            preconditionFailure("a map of strings failed to encode as JSON")
        }
        return bytes
    }

    /// Nil when the bytes are not a plain JSON object of strings.
    public static func decode(_ bytes: [UInt8]) -> PrivateStateFields? {
        guard bytes.first == UInt8(ascii: "{"),
              let value = try? JSONValueCodec.decode(bytes, as: fieldsType),
              let attributes = value.attributes
        else { return nil }
        var values: [String: String] = [:]
        for (name, element) in attributes {
            guard let text = element.stringValue else { return nil }
            values[name] = text
        }
        return PrivateStateFields(values)
    }
}

/// A vault that stores fields in the clear. Used until sealing is configured.
public struct PlainPrivateStateVault: PrivateStateVault {
    public init() {}

    public func seal(_ fields: PrivateStateFields, for binding: PrivateStateBinding) throws(PrivateStateSealError) -> [UInt8] {
        PlainPrivateState.encode(fields)
    }

    public func open(_ blob: [UInt8], for binding: PrivateStateBinding) -> PrivateStateContents {
        if blob.isEmpty { return .empty }
        if let fields = PlainPrivateState.decode(blob) { return .plain(fields) }
        return .unreadable(PrivateStateProblem(.malformed, "The private state is not in a format this provider understands."))
    }
}
