/// A data source type (`data "x_y" "name" { ... }`): reads, never changes.
public protocol DataSource: Sendable {
    var typeName: String { get }
    var schema: Schema { get }

    func validateConfig(_ request: ValidateDataSourceConfigRequest) async -> [Diagnostic]

    /// Returns the full state: configuration plus computed attributes.
    func read(_ request: ReadDataSourceRequest) async -> ReadDataSourceResponse
}

extension DataSource {
    public func validateConfig(_ request: ValidateDataSourceConfigRequest) async -> [Diagnostic] { [] }
}

public struct ValidateDataSourceConfigRequest: Sendable {
    public var typeName: String
    public var config: CtyValue
    public init(typeName: String, config: CtyValue) {
        self.typeName = typeName
        self.config = config
    }
}

public struct ReadDataSourceRequest: Sendable {
    public var typeName: String
    public var config: CtyValue
    public var providerMeta: CtyValue?
    public init(typeName: String, config: CtyValue, providerMeta: CtyValue? = nil) {
        self.typeName = typeName
        self.config = config
        self.providerMeta = providerMeta
    }
}

public struct ReadDataSourceResponse: Sendable {
    public var state: CtyValue
    public var diagnostics: [Diagnostic]
    public init(state: CtyValue, diagnostics: [Diagnostic] = []) {
        self.state = state
        self.diagnostics = diagnostics
    }
}
