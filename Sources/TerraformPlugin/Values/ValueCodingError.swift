/// A value that could not be decoded or encoded: malformed bytes, or a value
/// that does not match the schema's type. Carries the attribute path where it
/// went wrong so the user is pointed at the right attribute.
public struct ValueCodingError: Error, Hashable, Sendable, CustomStringConvertible {
    public var path: AttributePath
    public var message: String

    public init(_ message: String, at path: AttributePath = AttributePath()) {
        self.message = message
        self.path = path
    }

    public var description: String { path.isEmpty ? message : "\(path): \(message)" }

    /// An error diagnostic naming the attribute.
    public func diagnostic(summary: String) -> Diagnostic {
        .error(summary, path.isEmpty ? message : "At \(path): \(message)", at: path.isEmpty ? nil : path)
    }
}
