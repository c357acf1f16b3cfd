/// A list resource (Terraform 1.14+, `list "type" "name" { ... }` in a
/// `.tfquery.hcl` file, run by `terraform query`): finds existing objects of
/// the managed resource type of the same name, so they can be imported.
/// That managed resource must have an identity: each result carries one.
public protocol ListResource: Sendable {
    /// The managed resource type listed.
    var typeName: String { get }
    /// The schema of the list block's `config` block.
    var schema: Schema { get }

    /// Checks the `config` block (may hold unknowns) before listing.
    func validateConfig(_ request: ValidateListResourceConfigRequest) async -> [Diagnostic]

    /// Finds the objects. Results past `request.limit` are dropped by the
    /// protocol layer; a provider that pages may stop early on its own.
    func list(_ request: ListResourceRequest) async -> ListResourceResponse
}

extension ListResource {
    public func validateConfig(_ request: ValidateListResourceConfigRequest) async -> [Diagnostic] { [] }
}

public struct ValidateListResourceConfigRequest: Sendable {
    public var typeName: String
    /// Of `schema`'s type; null when the list block has no `config` block.
    public var config: CtyValue

    public init(typeName: String, config: CtyValue) {
        self.typeName = typeName
        self.config = config
    }
}

public struct ListResourceRequest: Sendable {
    public var typeName: String
    /// Of `schema`'s type; null when the list block has no `config` block.
    public var config: CtyValue
    /// Whether each result should carry the full resource object
    /// (`include_resource = true`).
    public var includeResourceObject: Bool
    /// The most results Terraform wants.
    public var limit: Int64

    public init(typeName: String, config: CtyValue, includeResourceObject: Bool, limit: Int64) {
        self.typeName = typeName
        self.config = config
        self.includeResourceObject = includeResourceObject
        self.limit = limit
    }
}

/// One object found.
public struct ListResourceResult: Sendable {
    /// Of the managed resource's identity type.
    public var identity: CtyValue
    /// Shown to humans.
    public var displayName: String
    /// The full state, of the managed resource's schema type; only when the
    /// request asked for it.
    public var resourceObject: CtyValue?
    /// Warnings about this object.
    public var diagnostics: [Diagnostic]

    public init(identity: CtyValue, displayName: String, resourceObject: CtyValue? = nil, diagnostics: [Diagnostic] = []) {
        self.identity = identity
        self.displayName = displayName
        self.resourceObject = resourceObject
        self.diagnostics = diagnostics
    }
}

public struct ListResourceResponse: Sendable {
    public var results: [ListResourceResult]
    /// About the listing as a whole (an error when it could not be done).
    public var diagnostics: [Diagnostic]

    public init(results: [ListResourceResult] = [], diagnostics: [Diagnostic] = []) {
        self.results = results
        self.diagnostics = diagnostics
    }
}
