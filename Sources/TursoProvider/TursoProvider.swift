import Synchronization
import TerraformPlugin

/// The `turso` provider: its configuration, resources and data sources.
public struct TursoProvider: Provider {
    /// Released versions follow semantic versioning; the User-Agent carries it.
    public static let version = "0.1.0"

    let context: ProviderContext

    /// - Parameters:
    ///   - environment: where `TURSO_*` fallbacks are read (the process
    ///     environment in production).
    ///   - clock, random: injected so that expiry and minting are testable.
    public init(
        environment: [String: String] = ProcessEnvironment.current(),
        clock: any Clock = SystemClock(),
        random: any RandomSource = SystemRandomSource()
    ) {
        context = ProviderContext(environment: environment, clock: clock, random: random)
    }

    public var schema: Schema { ProviderConfiguration.schema }

    public var resources: [any ManagedResource] {
        [TimedTokenResource(context: context)]
    }

    public var dataSources: [any DataSource] { [] }

    public func validateConfig(_ request: ValidateProviderConfigRequest) async -> [Diagnostic] {
        ProviderConfiguration.validate(request.config, environment: context.environment)
    }

    public func configure(_ request: ConfigureProviderRequest) async -> [Diagnostic] {
        let (configuration, diagnostics) = ProviderConfiguration.resolve(
            request.config, environment: context.environment, terraformVersion: request.terraformVersion
        )
        guard let configuration else { return diagnostics }
        let (vault, keyDiagnostics) = PrivateStateKeys.vault(for: configuration, environment: context.environment)
        context.configure(configuration, vault: vault)
        return diagnostics + keyDiagnostics
    }
}

/// What resources share within one provider process: injected clock and
/// randomness, and the configuration once `ConfigureProvider` has run.
final class ProviderContext: Sendable {
    let environment: [String: String]
    let clock: any Clock
    let random: any RandomSource
    private let configured = Mutex<(configuration: ProviderConfiguration, vault: SodiumVault?)?>(nil)

    init(environment: [String: String], clock: any Clock, random: any RandomSource) {
        self.environment = environment
        self.clock = clock
        self.random = random
    }

    func configure(_ configuration: ProviderConfiguration, vault: SodiumVault?) {
        configured.withLock { $0 = (configuration, vault) }
    }

    /// The configuration, or nil before `ConfigureProvider`.
    var configuration: ProviderConfiguration? { configured.withLock { $0?.configuration } }

    /// Seals and opens secrets kept in private state. Nil before
    /// `ConfigureProvider`, or while the key depends on values not yet
    /// known (during plan): then private state is passed on untouched.
    func privateStateVault() -> (any PrivateStateVault)? { configured.withLock { $0?.vault } }
}
