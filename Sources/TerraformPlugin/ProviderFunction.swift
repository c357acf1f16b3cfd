/// A provider-defined function (Terraform 1.8+), called in configuration as
/// `provider::<provider>::<name>(...)`. Functions are pure: the same
/// arguments give the same result, with no remote calls.
public protocol ProviderFunction: Sendable {
    var name: String { get }
    var definition: FunctionDefinition { get }

    /// Called with one value per parameter, each decoded against its
    /// parameter's type and known (Terraform does not call a function with
    /// unknown arguments; it takes the result as unknown). A failure names
    /// the argument at fault when there is one.
    func call(_ arguments: [CtyValue]) async -> Result<CtyValue, FunctionError>
}

public struct FunctionDefinition: Sendable {
    /// Positional; no variadic parameter (no function here needs one).
    public var parameters: [FunctionParameter]
    public var returnType: CtyType
    /// One line, shown in listings.
    public var summary: String
    /// User documentation (Markdown).
    public var description: String
    /// Non-empty when the function is deprecated: what to use instead.
    public var deprecationMessage: String

    public init(
        parameters: [FunctionParameter], returnType: CtyType,
        summary: String, description: String, deprecationMessage: String = ""
    ) {
        self.parameters = parameters
        self.returnType = returnType
        self.summary = summary
        self.description = description
        self.deprecationMessage = deprecationMessage
    }
}

public struct FunctionParameter: Sendable {
    public var name: String
    public var type: CtyType
    public var description: String
    /// When false, Terraform refuses a null argument before calling.
    public var allowNullValue: Bool

    public init(name: String, type: CtyType, description: String, allowNullValue: Bool = false) {
        self.name = name
        self.type = type
        self.description = description
        self.allowNullValue = allowNullValue
    }
}

/// Why a function call failed. Terraform shows `text` and, with
/// `argument`, points at that argument (0-based) in the configuration.
public struct FunctionError: Error, Hashable, Sendable {
    public var text: String
    public var argument: Int64?

    public init(_ text: String, argument: Int64? = nil) {
        self.text = text
        self.argument = argument
    }
}
