// Optional abilities of a provider beyond resources and data sources, as
// separate protocols (as terraform-plugin-framework's ProviderWithFunctions,
// ProviderWithListResources, ProviderWithActions): a provider adopts only
// those it has, and the protocol layer serves and advertises exactly those.

public protocol ProviderWithFunctions: Provider {
    var functions: [any ProviderFunction] { get }
}

public protocol ProviderWithListResources: Provider {
    var listResources: [any ListResource] { get }
}

public protocol ProviderWithActions: Provider {
    var actions: [any ProviderAction] { get }
}

extension Provider {
    /// The provider's functions; empty unless it adopts `ProviderWithFunctions`.
    var servedFunctions: [any ProviderFunction] { (self as? any ProviderWithFunctions)?.functions ?? [] }
    var servedListResources: [any ListResource] { (self as? any ProviderWithListResources)?.listResources ?? [] }
    var servedActions: [any ProviderAction] { (self as? any ProviderWithActions)?.actions ?? [] }
}
