/// What a provider built on this package implements. The protocol layer
/// decodes each RPC into these Swift types, calls the provider, and encodes
/// the answer: providers never see protobuf or gRPC.
public protocol Provider: Sendable {
    /// The provider's registry address, e.g.
    /// `registry.terraform.io/example/example`: every log line names it
    /// (`tf_provider_addr`), and its type name picks the provider's own log
    /// level variable (`TF_LOG_PROVIDER_EXAMPLE`).
    var address: String { get }
    /// The provider's own configuration block (`provider "x" { ... }`).
    var schema: Schema { get }
    /// The schema of `provider_meta` blocks in modules, if the provider reads them.
    var providerMetaSchema: Schema? { get }
    var resources: [any ManagedResource] { get }
    var dataSources: [any DataSource] { get }

    /// Checks the provider configuration before anything is planned. The
    /// configuration may contain unknown values (they depend on resources not
    /// yet created).
    func validateConfig(_ request: ValidateProviderConfigRequest) async -> [Diagnostic]

    /// Receives the configuration once per provider process, before any
    /// resource or data source call that needs it. Values may still be
    /// unknown during plan.
    func configure(_ request: ConfigureProviderRequest) async -> [Diagnostic]

    /// Terraform asks the provider to stop (Ctrl-C): in-flight work should
    /// end promptly. The protocol layer also cancels the Swift tasks serving
    /// in-flight calls.
    func stop() async
}

extension Provider {
    public var providerMetaSchema: Schema? { nil }
    public func validateConfig(_ request: ValidateProviderConfigRequest) async -> [Diagnostic] { [] }
    public func stop() async {}
}

public struct ValidateProviderConfigRequest: Sendable {
    public var config: CtyValue
    public init(config: CtyValue) { self.config = config }
}

public struct ConfigureProviderRequest: Sendable {
    public var terraformVersion: String
    public var config: CtyValue
    public init(terraformVersion: String, config: CtyValue) {
        self.terraformVersion = terraformVersion
        self.config = config
    }
}
