/// A managed resource that can take over the state of another resource type,
/// possibly of another provider (`moved { from = other_type.x  to = this_type.x }`,
/// Terraform 1.8+). The source's schema is not known to this provider: its
/// state arrives as raw JSON.
public protocol ResourceWithMoveState: ManagedResource {
    /// Returns the moved state, or nil when this resource does not know the
    /// source (the protocol layer then answers with a diagnostic naming it).
    func moveState(_ request: MoveResourceStateRequest) async -> MoveResourceStateResponse?
}

public struct MoveResourceStateRequest: Sendable {
    /// For example `registry.terraform.io/provide-io/pyvider`.
    public var sourceProviderAddress: String
    public var sourceTypeName: String
    public var sourceSchemaVersion: Int64
    /// The source's stored state as JSON; nil when Terraform sent none.
    public var sourceStateJSON: [UInt8]?
    /// The source provider's private state: opaque, and usually sealed with
    /// that provider's own key.
    public var sourcePrivate: [UInt8]
    public var targetTypeName: String

    public init(
        sourceProviderAddress: String, sourceTypeName: String, sourceSchemaVersion: Int64, sourceStateJSON: [UInt8]?,
        sourcePrivate: [UInt8], targetTypeName: String
    ) {
        self.sourceProviderAddress = sourceProviderAddress
        self.sourceTypeName = sourceTypeName
        self.sourceSchemaVersion = sourceSchemaVersion
        self.sourceStateJSON = sourceStateJSON
        self.sourcePrivate = sourcePrivate
        self.targetTypeName = targetTypeName
    }
}

public struct MoveResourceStateResponse: Sendable {
    /// The state under the target schema; nil with error diagnostics.
    public var targetState: CtyValue?
    public var targetPrivate: [UInt8]
    public var diagnostics: [Diagnostic]

    public init(targetState: CtyValue? = nil, targetPrivate: [UInt8] = [], diagnostics: [Diagnostic] = []) {
        self.targetState = targetState
        self.targetPrivate = targetPrivate
        self.diagnostics = diagnostics
    }
}
