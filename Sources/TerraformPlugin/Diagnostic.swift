/// A problem or advice reported to the user, as Terraform displays it:
/// severity, a one-line summary, a detail paragraph, and optionally the
/// attribute it concerns (Terraform then points at the configuration line).
public struct Diagnostic: Hashable, Sendable {
    public enum Severity: Hashable, Sendable { case error, warning }

    public var severity: Severity
    public var summary: String
    public var detail: String
    public var attribute: AttributePath?

    public init(severity: Severity, summary: String, detail: String = "", attribute: AttributePath? = nil) {
        self.severity = severity
        self.summary = summary
        self.detail = detail
        self.attribute = attribute
    }

    public static func error(_ summary: String, _ detail: String = "", at attribute: AttributePath? = nil) -> Diagnostic {
        Diagnostic(severity: .error, summary: summary, detail: detail, attribute: attribute)
    }

    public static func warning(_ summary: String, _ detail: String = "", at attribute: AttributePath? = nil) -> Diagnostic {
        Diagnostic(severity: .warning, summary: summary, detail: detail, attribute: attribute)
    }
}

extension Array where Element == Diagnostic {
    public var hasErrors: Bool { contains { $0.severity == .error } }
}
