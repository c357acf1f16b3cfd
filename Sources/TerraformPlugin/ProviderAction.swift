/// An action (Terraform 1.14+, `action "type" "name" { config { ... } }`): an
/// operation run on demand, `terraform apply -invoke=action.type.name`, or
/// from a resource's lifecycle triggers. It has no state.
public protocol ProviderAction: Sendable {
    var typeName: String { get }
    /// The schema of the action's `config` block.
    var schema: Schema { get }

    /// Checks the configuration (may hold unknowns).
    func validateConfig(_ request: ValidateActionConfigRequest) async -> [Diagnostic]

    /// Runs before the invocation is proposed: errors stop the run before
    /// anything happens. Must change nothing.
    func plan(_ request: PlanActionRequest) async -> [Diagnostic]

    /// Carries the action out. `progress` shows a line to the user as the
    /// work goes; the returned diagnostics end the invocation (an error
    /// fails it).
    func invoke(_ request: InvokeActionRequest, progress: @Sendable (String) async -> Void) async -> [Diagnostic]
}

extension ProviderAction {
    public func validateConfig(_ request: ValidateActionConfigRequest) async -> [Diagnostic] { [] }
    public func plan(_ request: PlanActionRequest) async -> [Diagnostic] { [] }
}

public struct ValidateActionConfigRequest: Sendable {
    public var typeName: String
    public var config: CtyValue
    public init(typeName: String, config: CtyValue) {
        self.typeName = typeName
        self.config = config
    }
}

public struct PlanActionRequest: Sendable {
    public var typeName: String
    public var config: CtyValue
    public init(typeName: String, config: CtyValue) {
        self.typeName = typeName
        self.config = config
    }
}

public struct InvokeActionRequest: Sendable {
    public var typeName: String
    /// Wholly known.
    public var config: CtyValue
    public init(typeName: String, config: CtyValue) {
        self.typeName = typeName
        self.config = config
    }
}
