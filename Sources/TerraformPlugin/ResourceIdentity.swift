/// Resource identity (Terraform 1.12+): a small, permanent object that names
/// the one remote object a resource instance manages. Terraform stores it
/// beside the state, imports by it (`import { identity = { ... } }`), and
/// list resources return it for each object they find.
public struct ResourceIdentitySchema: Sendable {
    /// Bumped when the identity's shape changes; `UpgradeResourceIdentity`
    /// receives identities written with older versions.
    public var version: Int64
    public var attributes: [IdentityAttribute]

    public init(version: Int64 = 0, attributes: [IdentityAttribute]) {
        self.version = version
        self.attributes = attributes
    }

    /// The object type of identity values.
    public var impliedType: CtyType {
        var types: [String: CtyType] = [:]
        for attribute in attributes { types[attribute.name] = attribute.type }
        return .object(types)
    }
}

public struct IdentityAttribute: Sendable {
    public var name: String
    public var type: CtyType
    /// User documentation (Markdown).
    public var description: String
    /// Must be given to import by identity.
    public var requiredForImport: Bool
    /// May be given to import by identity; the provider can work it out.
    public var optionalForImport: Bool

    public init(name: String, type: CtyType, description: String, requiredForImport: Bool = false, optionalForImport: Bool = false) {
        self.name = name
        self.type = type
        self.description = description
        self.requiredForImport = requiredForImport
        self.optionalForImport = optionalForImport
    }
}

/// A managed resource with an identity.
///
/// The identity is derived from the state in one place, `identity(of:)`, and
/// the protocol layer attaches it to every Read, Plan, Apply and Import
/// answer, so it can never disagree with the state it describes.
public protocol ResourceWithIdentity: ManagedResource {
    var identitySchema: ResourceIdentitySchema { get }

    /// The identity of the object `state` describes (of the identity
    /// schema's type), or nil for a null state. During plan the state may
    /// hold unknowns; the identity may then hold unknowns too (Terraform
    /// allows that for creates and replacements only, which is when a name
    /// can be unknown).
    func identity(of state: CtyValue) -> CtyValue?

    /// Brings an identity stored by an older identity schema version to the
    /// current one. The default decodes the JSON against the current schema
    /// and refuses other versions.
    func upgradeIdentity(_ request: UpgradeResourceIdentityRequest) async -> UpgradeResourceIdentityResponse

    /// `import { to = ...  identity = { ... } }`: adopts the object the
    /// identity names. The identity has been decoded against the identity
    /// schema and holds no unknowns; an attribute may still be null (check
    /// those the resource needs).
    func importState(identity: CtyValue) async -> ImportResourceStateResponse
}

extension ResourceWithIdentity {
    public func upgradeIdentity(_ request: UpgradeResourceIdentityRequest) async -> UpgradeResourceIdentityResponse {
        defaultUpgradeIdentity(request)
    }

    public func defaultUpgradeIdentity(_ request: UpgradeResourceIdentityRequest) -> UpgradeResourceIdentityResponse {
        guard request.version == identitySchema.version else {
            return UpgradeResourceIdentityResponse(diagnostics: [
                .error(
                    "Unsupported resource identity version",
                    "The identity of this \(typeName) was written with identity version \(request.version), but this provider writes version \(identitySchema.version) and knows no other. Use the provider version that wrote it, or remove the resource from state and import it again."
                ),
            ])
        }
        guard let json = request.rawIdentityJSON else {
            return UpgradeResourceIdentityResponse(diagnostics: [
                .error("Missing resource identity", "Terraform sent no stored identity for this \(typeName) to upgrade. This is a bug in Terraform; please report it."),
            ])
        }
        do {
            let value = try JSONValueCodec.decode(json, as: identitySchema.impliedType, ignoringUndefinedAttributes: true)
            return UpgradeResourceIdentityResponse(upgradedIdentity: value)
        } catch {
            return UpgradeResourceIdentityResponse(diagnostics: [error.diagnostic(summary: "Invalid stored resource identity")])
        }
    }
}

public struct UpgradeResourceIdentityRequest: Sendable {
    public var typeName: String
    /// The identity schema version the identity was written with.
    public var version: Int64
    /// The stored identity as JSON; nil when Terraform sent none.
    public var rawIdentityJSON: [UInt8]?

    public init(typeName: String, version: Int64, rawIdentityJSON: [UInt8]?) {
        self.typeName = typeName
        self.version = version
        self.rawIdentityJSON = rawIdentityJSON
    }
}

public struct UpgradeResourceIdentityResponse: Sendable {
    public var upgradedIdentity: CtyValue?
    public var diagnostics: [Diagnostic]

    public init(upgradedIdentity: CtyValue? = nil, diagnostics: [Diagnostic] = []) {
        self.upgradedIdentity = upgradedIdentity
        self.diagnostics = diagnostics
    }
}
