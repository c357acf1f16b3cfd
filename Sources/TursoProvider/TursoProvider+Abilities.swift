import TerraformPlugin

// What the provider serves beyond resources and data sources (Terraform 1.8+:
// functions; 1.14+: list resources and actions). Identity and moves are
// abilities of the resources themselves (APITokenResource+Identity,
// TimedTokenResource+Move).
extension TursoProvider: ProviderWithFunctions, ProviderWithListResources, ProviderWithActions {
    public var functions: [any ProviderFunction] {
        [TokenClaimsFunction(), ParseDurationFunction()]
    }

    public var listResources: [any ListResource] {
        [APITokenListResource(context: context)]
    }

    public var actions: [any ProviderAction] {
        [RevokeAPITokenAction(context: context)]
    }
}
