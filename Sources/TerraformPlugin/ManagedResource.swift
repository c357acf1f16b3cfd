/// A managed resource type (`resource "x_y" "name" { ... }`).
///
/// Values arrive decoded against `schema` and checked against their role
/// (see `ValueRole`): a configuration, proposed or planned state is a known
/// object, a prior or current state a wholly known object, and each may be
/// null only where its request's documentation says so. Responses carry
/// values of the same type. Private state is opaque bytes that Terraform
/// stores beside the resource's state and hands back on every call.
public protocol ManagedResource: Sendable {
    var typeName: String { get }
    var schema: Schema { get }

    /// Checks a configuration (may hold unknowns) before planning.
    func validateConfig(_ request: ValidateResourceConfigRequest) async -> [Diagnostic]

    /// Brings a state stored by an older schema version (or by this one, as
    /// JSON) to the current schema. The default decodes the JSON against the
    /// current schema and refuses states from a newer schema version.
    func upgradeState(_ request: UpgradeResourceStateRequest) async -> UpgradeResourceStateResponse

    /// Proposes the new state: create (prior state null), update, or destroy
    /// (proposed state null). Must never create anything remotely nor mint
    /// secrets: Terraform may plan more than once for one apply.
    func plan(_ request: PlanResourceChangeRequest) async -> PlanResourceChangeResponse

    /// Carries out a planned change and returns the new state.
    func apply(_ request: ApplyResourceChangeRequest) async -> ApplyResourceChangeResponse

    /// Refreshes the state from the remote object. A null new state tells
    /// Terraform the object is gone.
    func read(_ request: ReadResourceRequest) async -> ReadResourceResponse

    /// Adopts an existing remote object by the id given to `terraform import`.
    func importState(_ request: ImportResourceStateRequest) async -> ImportResourceStateResponse
}

extension ManagedResource {
    public func validateConfig(_ request: ValidateResourceConfigRequest) async -> [Diagnostic] { [] }

    public func upgradeState(_ request: UpgradeResourceStateRequest) async -> UpgradeResourceStateResponse {
        defaultUpgradeState(request)
    }

    public func importState(_ request: ImportResourceStateRequest) async -> ImportResourceStateResponse {
        ImportResourceStateResponse(diagnostics: [
            .error(
                "Import not supported",
                "The resource type \(typeName) cannot be imported. Declare it in configuration and let Terraform create it."
            ),
        ])
    }

    /// Decodes a stored JSON state against the current schema; attributes the
    /// schema no longer has are dropped, missing ones become null.
    public func defaultUpgradeState(_ request: UpgradeResourceStateRequest) -> UpgradeResourceStateResponse {
        guard request.version <= schema.version else {
            return UpgradeResourceStateResponse(diagnostics: [
                .error(
                    "Resource state from a newer provider",
                    "The state of this \(typeName) was written with schema version \(request.version), but this provider only knows versions up to \(schema.version). Upgrade the provider to a version that wrote this state."
                ),
            ])
        }
        guard let json = request.rawStateJSON else {
            return UpgradeResourceStateResponse(diagnostics: [
                .error(
                    "Unsupported state format",
                    "The state of this \(typeName) is in the legacy flatmap format, which this provider never wrote. Remove the resource from state and import or recreate it."
                ),
            ])
        }
        do {
            let value = try JSONValueCodec.decode(json, as: schema.impliedType, ignoringUndefinedAttributes: true)
            // A stored state is an object; a JSON `null` would come back as
            // "no object" and Terraform would forget the resource.
            guard !value.isNull else {
                return UpgradeResourceStateResponse(diagnostics: [
                    .error("Invalid stored state", "The stored state of this \(typeName) is null, not an object. Remove the resource from state and import or recreate it."),
                ])
            }
            return UpgradeResourceStateResponse(upgradedState: value)
        } catch {
            return UpgradeResourceStateResponse(diagnostics: [error.diagnostic(summary: "Invalid stored state")])
        }
    }
}

public struct ValidateResourceConfigRequest: Sendable {
    public var typeName: String
    public var config: CtyValue
    public init(typeName: String, config: CtyValue) {
        self.typeName = typeName
        self.config = config
    }
}

public struct UpgradeResourceStateRequest: Sendable {
    public var typeName: String
    /// The schema version the state was written with.
    public var version: Int64
    /// The stored state as JSON (Terraform 0.12+), or nil for legacy flatmap.
    public var rawStateJSON: [UInt8]?
    public init(typeName: String, version: Int64, rawStateJSON: [UInt8]?) {
        self.typeName = typeName
        self.version = version
        self.rawStateJSON = rawStateJSON
    }
}

public struct UpgradeResourceStateResponse: Sendable {
    public var upgradedState: CtyValue?
    public var diagnostics: [Diagnostic]
    public init(upgradedState: CtyValue? = nil, diagnostics: [Diagnostic] = []) {
        self.upgradedState = upgradedState
        self.diagnostics = diagnostics
    }
}

public struct PlanResourceChangeRequest: Sendable {
    public var typeName: String
    /// Null when the resource is being created.
    public var priorState: CtyValue
    /// Terraform's proposal: configuration merged over prior state. Null when
    /// the resource is being destroyed (never together with a null prior state).
    public var proposedNewState: CtyValue
    /// Null when the resource is being destroyed.
    public var config: CtyValue
    public var priorPrivate: [UInt8]
    public var providerMeta: CtyValue?
    public init(
        typeName: String, priorState: CtyValue, proposedNewState: CtyValue, config: CtyValue,
        priorPrivate: [UInt8], providerMeta: CtyValue? = nil
    ) {
        self.typeName = typeName
        self.priorState = priorState
        self.proposedNewState = proposedNewState
        self.config = config
        self.priorPrivate = priorPrivate
        self.providerMeta = providerMeta
    }
}

public struct PlanResourceChangeResponse: Sendable {
    public var plannedState: CtyValue
    /// Attributes whose change forces the resource to be replaced.
    public var requiresReplace: [AttributePath]
    /// Handed to apply unchanged. Carry the prior private state forward when
    /// there is nothing new to say: apply sees only this.
    public var plannedPrivate: [UInt8]
    public var diagnostics: [Diagnostic]
    public init(
        plannedState: CtyValue, requiresReplace: [AttributePath] = [], plannedPrivate: [UInt8] = [],
        diagnostics: [Diagnostic] = []
    ) {
        self.plannedState = plannedState
        self.requiresReplace = requiresReplace
        self.plannedPrivate = plannedPrivate
        self.diagnostics = diagnostics
    }
}

public struct ApplyResourceChangeRequest: Sendable {
    public var typeName: String
    /// Null when the resource is being created.
    public var priorState: CtyValue
    /// Null when the resource is being destroyed.
    public var plannedState: CtyValue
    /// Null when the resource is being destroyed.
    public var config: CtyValue
    public var plannedPrivate: [UInt8]
    public var providerMeta: CtyValue?
    public init(
        typeName: String, priorState: CtyValue, plannedState: CtyValue, config: CtyValue,
        plannedPrivate: [UInt8], providerMeta: CtyValue? = nil
    ) {
        self.typeName = typeName
        self.priorState = priorState
        self.plannedState = plannedState
        self.config = config
        self.plannedPrivate = plannedPrivate
        self.providerMeta = providerMeta
    }
}

public struct ApplyResourceChangeResponse: Sendable {
    /// Null after a destroy.
    public var newState: CtyValue
    public var `private`: [UInt8]
    public var diagnostics: [Diagnostic]
    public init(newState: CtyValue, private: [UInt8] = [], diagnostics: [Diagnostic] = []) {
        self.newState = newState
        self.private = `private`
        self.diagnostics = diagnostics
    }
}

public struct ReadResourceRequest: Sendable {
    public var typeName: String
    /// Never null, never unknown.
    public var currentState: CtyValue
    public var `private`: [UInt8]
    public var providerMeta: CtyValue?
    public init(typeName: String, currentState: CtyValue, private: [UInt8], providerMeta: CtyValue? = nil) {
        self.typeName = typeName
        self.currentState = currentState
        self.private = `private`
        self.providerMeta = providerMeta
    }
}

public struct ReadResourceResponse: Sendable {
    /// Null when the remote object no longer exists.
    public var newState: CtyValue
    /// Stored as is: return the request's private state when unchanged.
    public var `private`: [UInt8]
    public var diagnostics: [Diagnostic]
    public init(newState: CtyValue, private: [UInt8], diagnostics: [Diagnostic] = []) {
        self.newState = newState
        self.private = `private`
        self.diagnostics = diagnostics
    }
}

public struct ImportResourceStateRequest: Sendable {
    public var typeName: String
    public var id: String
    public init(typeName: String, id: String) {
        self.typeName = typeName
        self.id = id
    }
}

public struct ImportedResource: Sendable {
    public var typeName: String
    public var state: CtyValue
    public var `private`: [UInt8]
    public init(typeName: String, state: CtyValue, private: [UInt8] = []) {
        self.typeName = typeName
        self.state = state
        self.private = `private`
    }
}

public struct ImportResourceStateResponse: Sendable {
    public var importedResources: [ImportedResource]
    public var diagnostics: [Diagnostic]
    public init(importedResources: [ImportedResource] = [], diagnostics: [Diagnostic] = []) {
        self.importedResources = importedResources
        self.diagnostics = diagnostics
    }
}
