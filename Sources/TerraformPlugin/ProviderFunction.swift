/// A provider-defined function (Terraform 1.8+), called in configuration as
/// `provider::<provider>::<name>(...)`. Functions are pure: the same
/// arguments give the same result, with no remote calls.
public protocol ProviderFunction: Sendable {
    var name: String { get }
    var definition: FunctionDefinition { get }

    /// Called with one value per parameter (then the variadic arguments),
    /// each already decoded against its parameter's type. A failure names
    /// the argument at fault when there is one.
    func call(_ arguments: [CtyValue]) async -> Result<CtyValue, FunctionError>
}

public struct FunctionDefinition: Sendable {
    public var parameters: [FunctionParameter]
    public var variadicParameter: FunctionParameter?
    public var returnType: CtyType
    /// One line, shown in listings.
    public var summary: String
    /// User documentation (Markdown).
    public var description: String
    /// Non-empty when the function is deprecated: what to use instead.
    public var deprecationMessage: String

    public init(
        parameters: [FunctionParameter], variadicParameter: FunctionParameter? = nil, returnType: CtyType,
        summary: String, description: String, deprecationMessage: String = ""
    ) {
        self.parameters = parameters
        self.variadicParameter = variadicParameter
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
    /// When false, Terraform does not call the function with an unknown
    /// argument and takes the result as unknown.
    public var allowUnknownValues: Bool

    public init(name: String, type: CtyType, description: String, allowNullValue: Bool = false, allowUnknownValues: Bool = false) {
        self.name = name
        self.type = type
        self.description = description
        self.allowNullValue = allowNullValue
        self.allowUnknownValues = allowUnknownValues
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
