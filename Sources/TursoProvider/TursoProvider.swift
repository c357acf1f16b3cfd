import CTursoVersion
import Synchronization
import TerraformPlugin

/// The `turso` provider: its configuration, resources and data sources.
public struct TursoProvider: Provider {
    /// The top-level VERSION file, compiled in (the one source of the
    /// version; see Sources/CTursoVersion). Released versions follow semantic
    /// versioning; `--version` prints it and the User-Agent carries it.
    public static let version: String = String(
        String(cString: CTursoVersion_text()).filter { !$0.isWhitespace }
    )

    /// Where Terraform finds it (`source = "turso-swift/turso"`).
    public var address: String { "registry.terraform.io/turso-swift/turso" }

    let context: ProviderContext

    /// - Parameters:
    ///   - environment: where `TURSO_*` fallbacks are read (the process
    ///     environment in production).
    ///   - clock, random: injected so that expiry and minting are testable.
    ///   - apiOptions: timeouts, retries and list caching of the Turso API client.
    public init(
        environment: [String: String] = ProcessEnvironment.current(),
        clock: any Clock = SystemClock(),
        random: any RandomSource = SystemRandomSource(),
        apiOptions: TursoClient.Options = TursoClient.Options()
    ) {
        context = ProviderContext(environment: environment, clock: clock, random: random, apiOptions: apiOptions)
    }

    public var schema: Schema { ProviderConfiguration.schema }

    public var resources: [any ManagedResource] {
        [TimedTokenResource(context: context), APITokenResource(context: context)]
    }

    public var dataSources: [any DataSource] {
        [APITokensDataSource(context: context), APITokenValidationDataSource(context: context)]
    }

    public var ephemeralResources: [any EphemeralResource] {
        [
            EphemeralAPITokenResource(context: context), EphemeralTimedTokenResource(context: context),
            EphemeralUnsealedTokenResource(context: context),
        ]
    }

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

    /// `terraform-provider-turso/0.1.0 terraform/1.0.3`: tells Turso which
    /// software is calling, never who.
    static func userAgent(terraformVersion: String) -> String {
        "terraform-provider-turso/\(version) terraform/\(terraformVersion.isEmpty ? "unknown" : terraformVersion)"
    }
}

/// What resources share within one provider process: injected clock and
/// randomness, and what `ConfigureProvider` set up: the configuration, the
/// private-state vault and the Turso API client.
final class ProviderContext: Sendable {
    let environment: [String: String]
    let clock: any Clock
    let random: any RandomSource
    let apiOptions: TursoClient.Options
    /// Creates sent but not yet seen in a state (see CreateJournal); nil
    /// without a place to keep them.
    let createJournal: CreateJournal?
    /// Ephemeral API tokens opened and not yet closed (see
    /// OpenEphemeralJournal); nil without a place to keep them.
    let openEphemeralJournal: OpenEphemeralJournal?
    private let configured = Mutex<Configured?>(nil)
    /// Whether this configuration's sweep of that journal has started: one
    /// per ConfigureProvider, so that a run opening many tokens sweeps once.
    private let swept = Mutex(false)

    private struct Configured {
        var configuration: ProviderConfiguration
        var vault: SodiumVault?
        /// Built once per configuration, so every resource and data source
        /// of the process shares its connections and token listings. Nil
        /// while base_url is unknown.
        var client: TursoClient?
    }

    init(
        environment: [String: String], clock: any Clock, random: any RandomSource, apiOptions: TursoClient.Options = .init(),
        processes: any ProcessTable = ProcFSProcessTable()
    ) {
        self.environment = environment
        self.clock = clock
        self.random = random
        self.apiOptions = apiOptions
        self.createJournal = CreateJournal(environment: environment)
        self.openEphemeralJournal = OpenEphemeralJournal(environment: environment, processes: processes)
    }

    /// True the first time it is asked after each ConfigureProvider.
    func claimEphemeralSweep() -> Bool {
        swept.withLock { started in
            defer { started = true }
            return !started
        }
    }

    func configure(_ configuration: ProviderConfiguration, vault: SodiumVault?) {
        // Built without an API token too: validating a token given in a
        // data source needs no token of the provider's own.
        let client = configuration.baseURL.value.map { baseURL in
            TursoClient(
                baseURL: baseURL, apiToken: configuration.apiToken.value ?? "",
                userAgent: TursoProvider.userAgent(terraformVersion: configuration.terraformVersion), options: apiOptions
            )
        }
        configured.withLock { $0 = Configured(configuration: configuration, vault: vault, client: client) }
        swept.withLock { $0 = false }
    }

    /// The configuration, or nil before `ConfigureProvider`.
    var configuration: ProviderConfiguration? { configured.withLock { $0?.configuration } }

    /// Seals and opens secrets kept in private state. Nil before
    /// `ConfigureProvider`, or while the key depends on values not yet
    /// known (during plan): then private state is passed on untouched.
    func privateStateVault() -> (any PrivateStateVault)? {
        #if TURSO_BENCHMARK_PLAIN_PRIVATE_STATE
        // Benchmark-only (scripts/benchmark builds it into .build-bench-plain
        // with -DTURSO_BENCHMARK_PLAIN_PRIVATE_STATE) to measure what sealing
        // costs: plain JSON private state, as before sealing existed. Never
        // set for a shipped binary, and deliberately no runtime switch.
        configured.withLock { $0?.vault == nil ? nil : PlainPrivateStateVault() }
        #else
        configured.withLock { $0?.vault }
        #endif
    }

    /// The Turso API client, authenticated with the provider's API token,
    /// or why there is none.
    func api() -> Result<TursoClient, APIUnavailable> {
        configured.withLock { configured in
            guard let configured else { return .failure(.notConfigured) }
            guard let client = configured.client else { return .failure(.settingsUnknown) }
            switch configured.configuration.apiToken {
            case .value(let token) where !token.isEmpty: return .success(client)
            case .unknown: return .failure(.settingsUnknown)
            case .value, .unset: return .failure(.tokenMissing)
            }
        }
    }

    /// The client for calls that bring their own bearer token.
    func apiWithoutToken() -> Result<TursoClient, APIUnavailable> {
        configured.withLock { configured in
            guard let configured else { return .failure(.notConfigured) }
            guard let client = configured.client else { return .failure(.settingsUnknown) }
            return .success(client)
        }
    }

    /// The provider's own API token, when it is set and known.
    var apiToken: String? {
        configured.withLock { configured in configured?.configuration.apiToken.value.flatMap { $0.isEmpty ? nil : $0 } }
    }
}

/// Why the Turso API cannot be called.
enum APIUnavailable: Error, Hashable {
    /// Neither `api_token` nor `TURSO_API_TOKEN` is set.
    case tokenMissing
    /// `api_token` or `base_url` depends on a value known only after apply.
    case settingsUnknown
    /// `ConfigureProvider` has not run (a bug in Terraform or the provider).
    case notConfigured

    var diagnostic: Diagnostic {
        switch self {
        case .tokenMissing: ProviderDiagnostics.apiTokenMissing
        case .settingsUnknown: ProviderDiagnostics.apiSettingsUnknown
        case .notConfigured: ProviderDiagnostics.providerNotConfigured
        }
    }
}
