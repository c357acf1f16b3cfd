import TerraformPlugin

// Identity (Terraform 1.12+) of `turso_api_token`: its name. Turso keeps
// token names unique per user, and every call the provider makes acts as the
// one user of its API token, so within a provider configuration the name
// names exactly one token. The id is not part of it: a user importing a
// token knows its name, and Turso has no endpoint that finds a token by id.
extension APITokenResource: ResourceWithIdentity {
    static let identitySchema = ResourceIdentitySchema(attributes: [
        IdentityAttribute(
            name: "name", type: .string,
            description: "The token's name in Turso, unique among the tokens of the provider's API token's user.",
            requiredForImport: true
        ),
    ])

    var identitySchema: ResourceIdentitySchema { Self.identitySchema }

    /// The identity object.
    struct IdentityModel: ObjectModel {
        enum Key: String, ModelKey { case name }

        var name: Field<String>

        init(reading object: ModelReader<Key>) { name = object[.name] }

        func write(to object: inout ModelWriter<Key>) { object.set(.name, name) }
    }

    func identity(of state: CtyValue) -> CtyValue? {
        Self.identity(of: state)
    }

    /// None while the name is not known: with `name_prefix` the name is
    /// chosen at apply, and Terraform cannot store a plan whose identity
    /// holds an unknown ("Failed to marshal plan to json: value is not known").
    static func identity(of state: CtyValue) -> CtyValue? {
        if state.isNull || !state.isKnown { return nil }
        guard let name = Model(state).name.value else { return nil }
        return identity(name: name)
    }

    static func identity(name: String) -> CtyValue {
        var identity = IdentityModel.allNull
        identity.name = .known(name)
        return identity.value(of: identitySchema.impliedType)
    }

    /// `import { to = turso_api_token.ci  identity = { name = "ci" } }`: the
    /// same as importing by the id `ci`.
    func importState(identity: CtyValue) async -> ImportResourceStateResponse {
        guard let name = IdentityModel(identity).name.value else {
            return ImportResourceStateResponse(diagnostics: [APITokenDiagnostics.identityWithoutName])
        }
        return await importState(ImportResourceStateRequest(typeName: typeName, id: name))
    }

    /// The state of a token found in Turso's listing, as import and list
    /// resources produce it: Turso never shows a value again, so `token` is
    /// null, and `created_at` is midnight UTC of the day Turso reports.
    static func state(importedFrom remote: APIToken) -> CtyValue {
        var state = Model.allNull
        state.name = .known(remote.name)
        state.id = .known(remote.id)
        state.organization = Field(remote.organization)
        state.group = Field(remote.group)
        state.scopes = remote.scopes.map { .set(of: .string, $0.map(CtyValue.string)) } ?? .null(.set(.string))
        state.triggers = .null(.map(.string))
        state.createdAt = createdAt(tursoDate: remote.createdAt)
        return value(withTokenVersion(state))
    }
}

extension APITokenDiagnostics {
    static let identityWithoutName = Diagnostic.error(
        "Import identity without a name",
        "Import an API token by its name: `import { to = turso_api_token.ci  identity = { name = \"ci\" } }`."
    )
}
