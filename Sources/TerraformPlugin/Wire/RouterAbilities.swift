/// What the router serves beyond resources and data sources, indexed once
/// per process: resource identities, moves, functions, list resources and
/// actions. Built from the provider's optional protocols
/// (`ResourceWithIdentity`, `ResourceWithMoveState`, `ProviderWithFunctions`,
/// `ProviderWithListResources`, `ProviderWithActions`).
struct RouterAbilities: Sendable {
    struct IdentityEntry: Sendable {
        let resource: any ResourceWithIdentity
        let schema: ResourceIdentitySchema
        let valueType: CtyType
    }

    /// By managed resource type name, in the provider's order.
    let identities: [String: IdentityEntry]
    let identityList: [(typeName: String, entry: IdentityEntry)]
    /// Whether any resource takes over other resources' states: the
    /// `move_resource_state` server capability.
    let movesState: Bool
    /// By function name; values are parameter tuples.
    let functions: [String: TypeEntry<any ProviderFunction>]
    let functionList: [(name: String, definition: FunctionDefinition)]
    let listResources: [String: TypeEntry<any ListResource>]
    let listResourceList: [TypeEntry<any ListResource>]
    let actions: [String: TypeEntry<any ProviderAction>]
    let actionList: [TypeEntry<any ProviderAction>]

    init(provider: any Provider, resources: [TypeEntry<any ManagedResource>]) {
        var identities: [String: IdentityEntry] = [:]
        var identityList: [(String, IdentityEntry)] = []
        for entry in resources {
            guard let resource = entry.element as? any ResourceWithIdentity else { continue }
            let schema = resource.identitySchema
            let identity = IdentityEntry(resource: resource, schema: schema, valueType: schema.impliedType)
            identities[resource.typeName] = identity
            identityList.append((resource.typeName, identity))
        }
        self.identities = identities
        self.identityList = identityList
        movesState = resources.contains { $0.element is any ResourceWithMoveState }

        var functions: [String: TypeEntry<any ProviderFunction>] = [:]
        var functionList: [(String, FunctionDefinition)] = []
        for function in provider.servedFunctions where functions[function.name] == nil {
            let definition = function.definition
            // A function's "schema" is its parameters: arguments decode as a tuple.
            let parameters = Schema(block: SchemaBlock(attributes: []))
            functions[function.name] = TypeEntry(
                element: function, schema: parameters, valueType: .tuple(definition.parameters.map(\.type))
            )
            functionList.append((function.name, definition))
        }
        self.functions = functions
        self.functionList = functionList
        (listResources, listResourceList) = Self.index(provider.servedListResources, \.typeName, \.schema)
        (actions, actionList) = Self.index(provider.servedActions, \.typeName, \.schema)
    }

    private static func index<Element: Sendable>(
        _ elements: [Element], _ name: (Element) -> String, _ schema: (Element) -> Schema
    ) -> ([String: TypeEntry<Element>], [TypeEntry<Element>]) {
        var byName: [String: TypeEntry<Element>] = [:]
        var list: [TypeEntry<Element>] = []
        for element in elements where byName[name(element)] == nil {
            let schema = schema(element)
            let entry = TypeEntry(element: element, schema: schema, valueType: schema.impliedType)
            byName[name(element)] = entry
            list.append(entry)
        }
        return (byName, list)
    }
}

extension RPC where Target == any ProviderFunction {
    static func find(_ name: String, in core: RouterCore) throws(RejectedRequest) -> Found<Target> {
        guard let entry = core.abilities.functions[name] else { throw RejectedRequest(diagnostic: .unknownFunction(name, rpc: self.name)) }
        return Found(target: entry.element, valueType: entry.valueType)
    }
}

extension RPC where Target == any ListResource {
    static func find(_ typeName: String, in core: RouterCore) throws(RejectedRequest) -> Found<Target> {
        guard let entry = core.abilities.listResources[typeName] else {
            throw RejectedRequest(diagnostic: .unknownListResourceType(typeName, rpc: name))
        }
        return Found(target: entry.element, valueType: entry.valueType)
    }
}

extension RPC where Target == any ProviderAction {
    static func find(_ typeName: String, in core: RouterCore) throws(RejectedRequest) -> Found<Target> {
        guard let entry = core.abilities.actions[typeName] else { throw RejectedRequest(diagnostic: .unknownActionType(typeName, rpc: name)) }
        return Found(target: entry.element, valueType: entry.valueType)
    }
}

extension ValueRole {
    /// A list block's `config` block, which may be left out.
    static let listConfig = ValueRole(name: "list resource configuration", nullWhen: "when the list block has no config block", unknownsInside: true)
    static let actionConfig = ValueRole(name: "action configuration", nullWhen: nil, unknownsInside: true)
    /// An identity Terraform stored or the user wrote: wholly known.
    static let identity = ValueRole(name: "resource identity", nullWhen: nil, unknownsInside: false)

    static func functionArgument(_ index: Int) -> ValueRole {
        ValueRole(name: "argument \(index)", nullWhen: "when the parameter allows null", unknownsInside: false)
    }
}

extension Diagnostic {
    static func unknownFunction(_ name: String, rpc: String) -> Diagnostic {
        .error(
            "Unknown function",
            "This provider has no function named \(PluginLog.jsonString(name)) (in \(rpc)). Check the spelling, or use a provider version that has this function."
        )
    }

    static func unknownListResourceType(_ typeName: String, rpc: String) -> Diagnostic {
        .error(
            "Unknown list resource type",
            "This provider cannot list resources of type \(PluginLog.jsonString(typeName)) (in \(rpc)). Check the spelling in the list block, or use a provider version that can."
        )
    }

    static func unknownActionType(_ typeName: String, rpc: String) -> Diagnostic {
        .error(
            "Unknown action type",
            "This provider has no action type named \(PluginLog.jsonString(typeName)) (in \(rpc)). Check the spelling in the configuration, or use a provider version that has this action."
        )
    }

    static func resourceWithoutIdentity(_ typeName: String, rpc: String) -> Diagnostic {
        .error(
            "Resource type has no identity",
            "The resource type \(PluginLog.jsonString(typeName)) has no identity (in \(rpc)): it cannot be imported or listed by identity. Import it by id instead, if it can be imported."
        )
    }

    static func cannotMoveResource(from sourceType: String, provider: String, to targetType: String) -> Diagnostic {
        .error(
            "Cannot move to \(targetType)",
            "This provider cannot move a resource of type \(PluginLog.jsonString(sourceType)) from provider \(PluginLog.jsonString(provider)) to \(targetType). Remove the moved block, and create or import the \(targetType) instead."
        )
    }
}
