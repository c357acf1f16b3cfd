import CTFPlugin6

extension ResourceIdentitySchema {
    func wire(in arena: WireArena) -> UnsafeMutablePointer<Tfplugin6__ResourceIdentitySchema> {
        let message = arena.message(Tfplugin6__ResourceIdentitySchema.self)
        message.pointee.version = version
        (message.pointee.n_identity_attributes, message.pointee.identity_attributes) = arena.repeated(attributes.map { attribute in
            let element = arena.message(Tfplugin6__ResourceIdentitySchema__IdentityAttribute.self)
            element.pointee.name = arena.string(attribute.name)
            element.pointee.type = arena.bytes(attribute.type.typeJSON)
            element.pointee.required_for_import = attribute.requiredForImport ? 1 : 0
            element.pointee.optional_for_import = attribute.optionalForImport ? 1 : 0
            element.pointee.description = arena.string(attribute.description)
            return element
        })
        return message
    }
}

extension ResponseWriter {
    /// The identity of the object `state` describes, for a resource type
    /// with an identity; nil (no identity sent) otherwise, and for a null
    /// state. An identity that does not conform to its schema is a
    /// diagnostic, like any value the provider produces.
    mutating func identity(of state: CtyValue, typeName: String? = nil) -> UnsafeMutablePointer<Tfplugin6__ResourceIdentityData>? {
        let typeName = typeName ?? context.typeName
        guard let entry = context.core.abilities.identities[typeName], let identity = entry.resource.identity(of: state) else { return nil }
        return identityData(identity, typeName: typeName, entry: entry)
    }

    mutating func identityData(
        _ identity: CtyValue, typeName: String, entry: RouterAbilities.IdentityEntry
    ) -> UnsafeMutablePointer<Tfplugin6__ResourceIdentityData>? {
        guard let value = value(identity, "resource identity", as: entry.valueType, typeName: typeName) else { return nil }
        let data = message(Tfplugin6__ResourceIdentityData.self)
        data.pointee.identity_data = value
        return data
    }
}

extension RequestValues {
    /// A `ResourceIdentityData` the host sent (import by identity), decoded
    /// against `type`; nil when absent.
    func identity(_ wire: UnsafePointer<Tfplugin6__ResourceIdentityData>?, as type: CtyType?) throws(RejectedRequest) -> CtyValue? {
        guard let wire, let data = wire.pointee.identity_data else { return nil }
        guard let type else {
            throw RejectedRequest(diagnostic: .resourceWithoutIdentity(typeName, rpc: rpc))
        }
        return try decode(UnsafePointer(data), .identity, as: type)
    }
}
