// The router's own messages to the user, in one place: what happened, what
// to do. Problems inside values come from ValueCodingError, with their path.
// Names a host sent are shown escaped: they are whatever bytes it chose.
extension Diagnostic {
    static func unknownResourceType(_ typeName: String, rpc: String) -> Diagnostic {
        .error(
            "Unknown resource type",
            "This provider has no resource type named \(PluginLog.jsonString(typeName)) (in \(rpc)). Check the spelling in the configuration, or use a provider version that has this resource type."
        )
    }

    static func unknownDataSourceType(_ typeName: String, rpc: String) -> Diagnostic {
        .error(
            "Unknown data source type",
            "This provider has no data source type named \(PluginLog.jsonString(typeName)) (in \(rpc)). Check the spelling in the configuration, or use a provider version that has this data source type."
        )
    }

    /// A value Terraform sent that does not decode against the schema.
    static func invalidRequestValue(_ error: ValueCodingError, _ what: String, rpc: String) -> Diagnostic {
        var diagnostic = error.diagnostic(summary: "Invalid \(what)")
        diagnostic.detail += " (in the \(what) of \(rpc))"
        return diagnostic
    }

    /// A value Terraform sent that decodes but is not what its place in the
    /// RPC allows (e.g. a wholly unknown prior state). No Terraform sends
    /// these; the host is broken or hostile, and the provider refuses.
    static func invalidRequestValue(_ what: String, rpc: String, typeName: String, _ problem: String) -> Diagnostic {
        let subject = typeName.isEmpty ? "" : " for \(PluginLog.jsonString(typeName))"
        return .error(
            "Invalid \(what)",
            "The \(what) the host sent in \(rpc)\(subject) \(problem). The request was refused before the provider saw it; this is a bug in the host (Terraform or OpenTofu) or in a tool speaking for it."
        )
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
