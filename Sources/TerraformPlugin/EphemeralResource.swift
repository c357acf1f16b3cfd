/// An ephemeral resource type (`ephemeral "x_y" "name" { ... }`, Terraform
/// 1.10 and later): something opened for the length of one Terraform run,
/// in plan and in apply alike, whose result Terraform keeps in neither state
/// nor plan files, and closed when the run no longer needs it.
///
/// Terraform opens it only once its configuration is wholly known (the
/// router refuses an Open whose configuration holds unknowns); it calls
/// Renew only if Open or a previous Renew asked for it with `renewAt`, and
/// Close with the private bytes Open (or the last Renew) returned. Those
/// bytes pass through Terraform, so a resource that acts on them at Close
/// must not trust them blindly.
public protocol EphemeralResource: Sendable {
    var typeName: String { get }
    var schema: Schema { get }

    /// Checks the configuration, which may hold unknown values.
    func validateConfig(_ request: ValidateEphemeralResourceConfigRequest) async -> [Diagnostic]

    /// Opens the resource: the result (configuration plus computed
    /// attributes) and what Renew and Close need, as private bytes.
    func open(_ request: OpenEphemeralResourceRequest) async -> OpenEphemeralResourceResponse

    /// Extends what Open made, when Open asked for it with `renewAt`.
    func renew(_ request: RenewEphemeralResourceRequest) async -> RenewEphemeralResourceResponse

    /// Releases what Open made.
    func close(_ request: CloseEphemeralResourceRequest) async -> [Diagnostic]
}

extension EphemeralResource {
    public func validateConfig(_ request: ValidateEphemeralResourceConfigRequest) async -> [Diagnostic] { [] }

    /// Nothing to renew: the private bytes stay as they were, and no
    /// further renewal is asked for.
    public func renew(_ request: RenewEphemeralResourceRequest) async -> RenewEphemeralResourceResponse {
        RenewEphemeralResourceResponse(private: request.private)
    }

    /// Nothing to release.
    public func close(_ request: CloseEphemeralResourceRequest) async -> [Diagnostic] { [] }
}

public struct ValidateEphemeralResourceConfigRequest: Sendable {
    public var typeName: String
    public var config: CtyValue
    public init(typeName: String, config: CtyValue) {
        self.typeName = typeName
        self.config = config
    }
}

public struct OpenEphemeralResourceRequest: Sendable {
    public var typeName: String
    /// A known object; never holds unknown values.
    public var config: CtyValue
    /// Terraform would accept a deferred answer. This package never defers
    /// an ephemeral resource: it is passed on for information only.
    public var deferralAllowed: Bool
    public init(typeName: String, config: CtyValue, deferralAllowed: Bool = false) {
        self.typeName = typeName
        self.config = config
        self.deferralAllowed = deferralAllowed
    }
}

public struct OpenEphemeralResourceResponse: Sendable {
    /// The configuration plus computed attributes; ignored by Terraform
    /// when `diagnostics` hold an error.
    public var result: CtyValue
    /// Unix seconds at which Terraform should call Renew; nil: never.
    public var renewAt: Int64?
    /// Handed back, unchanged, to Renew and Close.
    public var `private`: [UInt8]
    public var diagnostics: [Diagnostic]
    public init(result: CtyValue, renewAt: Int64? = nil, private: [UInt8] = [], diagnostics: [Diagnostic] = []) {
        self.result = result
        self.renewAt = renewAt
        self.private = `private`
        self.diagnostics = diagnostics
    }
}

public struct RenewEphemeralResourceRequest: Sendable {
    public var typeName: String
    public var `private`: [UInt8]
    public init(typeName: String, private: [UInt8]) {
        self.typeName = typeName
        self.private = `private`
    }
}

public struct RenewEphemeralResourceResponse: Sendable {
    /// Unix seconds of the next renewal; nil: no further renewal.
    public var renewAt: Int64?
    public var `private`: [UInt8]
    public var diagnostics: [Diagnostic]
    public init(renewAt: Int64? = nil, private: [UInt8] = [], diagnostics: [Diagnostic] = []) {
        self.renewAt = renewAt
        self.private = `private`
        self.diagnostics = diagnostics
    }
}

public struct CloseEphemeralResourceRequest: Sendable {
    public var typeName: String
    /// What Open (or the last Renew) returned, as Terraform hands it back:
    /// possibly empty, possibly not what the provider wrote.
    public var `private`: [UInt8]
    public init(typeName: String, private: [UInt8]) {
        self.typeName = typeName
        self.private = `private`
    }
}
