import CTFPlugin6

/// What a request value is for, and so what it may be. The router checks
/// every value against its role before a provider, resource or data source
/// sees it: whatever a host sends, resource code receives only values whose
/// shape the protocol promises (an object, or a null where Terraform sends
/// one), never a wholly unknown value where an object is due.
struct ValueRole: Sendable {
    /// How diagnostics name the value, e.g. "prior state".
    var name: String
    /// When the protocol sends a null here (e.g. "at create"); nil: never.
    var nullWhen: String?
    /// Configurations and plans may hold unknowns inside; stored states never do.
    var unknownsInside: Bool

    /// A configuration that is always there (validation, data source read).
    static func config(_ name: String) -> ValueRole { ValueRole(name: name, nullWhen: nil, unknownsInside: true) }
    /// A resource configuration in a plan or apply: null when destroying.
    static let resourceConfig = ValueRole(name: "resource configuration", nullWhen: "when the resource is destroyed", unknownsInside: true)
    static let priorState = ValueRole(name: "prior state", nullWhen: "when the resource is created", unknownsInside: false)
    static let proposedNewState = ValueRole(name: "proposed new state", nullWhen: "when the resource is destroyed", unknownsInside: true)
    static let plannedState = ValueRole(name: "planned state", nullWhen: "when the resource is destroyed", unknownsInside: true)
    static let currentState = ValueRole(name: "current state", nullWhen: nil, unknownsInside: false)
    /// Terraform sends a null when the module has no provider_meta block.
    static let providerMeta = ValueRole(name: "provider_meta value", nullWhen: "when the module has no provider_meta block", unknownsInside: true)
}

/// Decodes a request's values against the served type's schema and checks
/// each against its role. Handed to `fromWire`.
struct RequestValues {
    let rpc: String
    let typeName: String
    let valueType: CtyType
    let providerMetaType: CtyType?

    /// The value of `wire` in `role`, or a refusal naming the RPC and the value.
    func decode(_ wire: UnsafePointer<Tfplugin6__DynamicValue>?, _ role: ValueRole) throws(RejectedRequest) -> CtyValue {
        try decode(wire, role, as: valueType)
    }

    /// `provider_meta`: only when the provider declares a schema for it
    /// (Terraform sends it only then).
    func providerMeta(_ wire: UnsafePointer<Tfplugin6__DynamicValue>?) throws(RejectedRequest) -> CtyValue? {
        guard let wire, let providerMetaType else { return nil }
        return try decode(wire, .providerMeta, as: providerMetaType)
    }

    private func decode(_ wire: UnsafePointer<Tfplugin6__DynamicValue>?, _ role: ValueRole, as type: CtyType) throws(RejectedRequest) -> CtyValue {
        let value: CtyValue
        do {
            value = try DynamicValueWire.decode(wire, as: type)
        } catch {
            throw RejectedRequest(diagnostic: .invalidRequestValue(error, role.name, rpc: rpc))
        }
        try check(value, role)
        return value
    }

    /// The one rule: a known object, or a null where the role allows one;
    /// unknowns inside only where the role allows them.
    func check(_ value: CtyValue, _ role: ValueRole) throws(RejectedRequest) {
        if value.isNull {
            guard role.nullWhen != nil else { throw reject(role, "is null, where the protocol always sends an object") }
            return
        }
        guard value.isKnown else { throw reject(role, "is wholly unknown, where the protocol always sends a known object") }
        guard role.unknownsInside || value.isWhollyKnown else {
            throw reject(role, "holds unknown values, which a stored state never does")
        }
    }

    /// A refusal for values that are each fine but not together (e.g. a
    /// plan with neither a prior nor a proposed state).
    func reject(_ summaryValue: String, _ problem: String) -> RejectedRequest {
        RejectedRequest(diagnostic: .invalidRequestValue(summaryValue, rpc: rpc, typeName: typeName, problem))
    }

    private func reject(_ role: ValueRole, _ problem: String) -> RejectedRequest {
        var problem = problem
        if let nullWhen = role.nullWhen { problem += " (or a null \(nullWhen))" }
        return reject(role.name, problem)
    }
}
