// The router's own messages to the user, in one place: what happened, what
// to do. Problems inside values come from ValueCodingError, with their path.
extension Diagnostic {
    static func unknownResourceType(_ typeName: String) -> Diagnostic {
        .error(
            "Unknown resource type",
            "This provider has no resource type named \"\(typeName)\". Check the spelling in the configuration, or use a provider version that has this resource type."
        )
    }

    static func unknownDataSourceType(_ typeName: String) -> Diagnostic {
        .error(
            "Unknown data source type",
            "This provider has no data source type named \"\(typeName)\". Check the spelling in the configuration, or use a provider version that has this data source type."
        )
    }

    /// A value Terraform sent that does not decode against the schema.
    static func invalidRequestValue(_ error: ValueCodingError, _ what: String) -> Diagnostic {
        error.diagnostic(summary: "Invalid \(what)")
    }

    /// A value the provider returned that does not conform to its schema.
    /// The user cannot fix this; the provider's developers can.
    static func providerProducedInvalidValue(_ error: ValueCodingError, _ what: String, typeName: String) -> Diagnostic {
        .error(
            "Provider produced an invalid value",
            "The provider returned a \(what) for \(typeName) that does not conform to the type's schema: \(error). This is a bug in the provider; please report it to its developers."
        )
    }

    static func providerProducedNoUpgradedState(typeName: String) -> Diagnostic {
        .error(
            "Provider produced no upgraded state",
            "The provider returned neither an upgraded state for \(typeName) nor an error. This is a bug in the provider; please report it to its developers."
        )
    }
}
