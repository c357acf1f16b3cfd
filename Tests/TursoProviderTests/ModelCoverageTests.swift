import Testing
import TerraformPlugin
@testable import TursoProvider

/// Every value the provider reads goes through a model whose attribute names
/// are declared once (its `Key` enum). These tests hold each model to its
/// schema, so a typo, a forgotten attribute or a schema change the model
/// missed fails here rather than reading as null in a plan.
@Suite("Every model declares exactly its schema's attributes and round-trips its values")
struct ModelCoverageTests {
    let provider = TursoProvider(environment: [:])

    /// A model checked against the object type it reads.
    struct Case: CustomStringConvertible {
        var description: String
        var declared: Set<String>
        var type: CtyType
        var roundTrip: @Sendable (CtyValue) -> CtyValue

        init<Model: ObjectModel>(_ description: String, _ model: Model.Type, _ type: CtyType) {
            self.description = description
            declared = Model.attributeNames
            self.type = type
            roundTrip = { Model($0).value(of: type) }
        }
    }

    func check<Backed: ModelBacked>(_ backed: Backed, _ description: String, _ type: CtyType) -> Case {
        Case(description, Backed.Model.self, type)
    }

    /// Every type the provider registers must be model-backed: a new one
    /// without a model fails here.
    func cases() -> [Case] {
        var cases: [Case] = []
        func add(_ kind: String, _ typeName: String, _ type: CtyType, _ backed: (any ModelBacked)?) {
            if let backed {
                cases.append(check(backed, "\(kind) \(typeName)", type))
            } else {
                Issue.record("\(kind) \(typeName) has no model")
            }
        }
        // Resources must use the plan layer, not only a model.
        for resource in provider.resources {
            add("resource", resource.typeName, resource.schema.impliedType, resource as? any ModelResource)
        }
        for dataSource in provider.dataSources {
            add("data source", dataSource.typeName, dataSource.schema.impliedType, dataSource as? any ModelBacked)
        }
        for ephemeral in provider.ephemeralResources {
            add("ephemeral resource", ephemeral.typeName, ephemeral.schema.impliedType, ephemeral as? any ModelBacked)
        }
        for list in provider.listResources {
            add("list resource", list.typeName, list.schema.impliedType, list as? any ModelBacked)
        }
        for action in provider.actions {
            add("action", action.typeName, action.schema.impliedType, action as? any ModelBacked)
        }
        cases.append(Case("provider configuration", ProviderConfiguration.Model.self, provider.schema.impliedType))
        cases.append(Case("turso_api_token identity", APITokenResource.IdentityModel.self, APITokenResource.identitySchema.impliedType))
        cases.append(Case("turso_api_tokens token", APITokensDataSource.Token.self, APITokensDataSource.tokenType))
        return cases
    }

    @Test("Every registered type has a model, and each model's names are its schema's, both ways")
    func namesMatchSchemas() {
        let cases = cases()
        #expect(cases.count == provider.resources.count + provider.dataSources.count + provider.ephemeralResources.count
            + provider.listResources.count + provider.actions.count + 3)
        for model in cases {
            let schemaNames = Set(model.type.attributeTypes?.keys.map { $0 } ?? [])
            #expect(!schemaNames.isEmpty, "\(model)")
            #expect(model.declared.subtracting(schemaNames).isEmpty, "\(model) declares attributes its schema lacks")
            #expect(schemaNames.subtracting(model.declared).isEmpty, "\(model) misses attributes of its schema")
        }
    }

    /// A value with every attribute set to something of its own (strings
    /// named after the attribute), so a field written to the wrong key, or
    /// not written, shows.
    @Test("A value with every attribute set, all null or all unknown comes back unchanged")
    func valuesRoundTrip() {
        for model in cases() {
            // A model whose names are wrong fails above; reading with it
            // would stop at the missing attribute.
            guard let attributes = model.type.attributeTypes, Set(attributes.keys) == model.declared else { continue }
            var index = 0
            let full = CtyValue.object(type: model.type, attributes.mapValues { type in
                index += 1
                return Self.sample(type, index)
            })
            #expect(model.roundTrip(full) == full, "\(model)")
            let null = CtyValue.object(type: model.type, [:])
            #expect(model.roundTrip(null) == null, "\(model)")
            let unknown = CtyValue.object(type: model.type, attributes.mapValues { CtyValue.unknown($0) })
            #expect(model.roundTrip(unknown) == unknown, "\(model)")
        }
    }

    /// A known, non-null value of `type`, distinct for each `index`.
    static func sample(_ type: CtyType, _ index: Int) -> CtyValue {
        switch type {
        case .string: .string("value-\(index)")
        case .number: .number(index)
        case .bool: .bool(index % 2 == 0)
        case .list(let element): .list(of: element, [sample(element, index)])
        case .set(let element): .set(of: element, [sample(element, index)])
        case .map(let element): .map(of: element, ["key": sample(element, index)])
        case .tuple(let elements): .tuple(elements.enumerated().map { sample($0.element, index * 100 + $0.offset) })
        case .object(let attributes, _):
            .object(type: type, Dictionary(uniqueKeysWithValues: attributes.sorted { $0.key < $1.key }.enumerated().map {
                ($0.element.key, sample($0.element.value, index * 100 + $0.offset))
            }))
        case .dynamic: .string("dynamic-\(index)")
        }
    }
}
