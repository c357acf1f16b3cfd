import TerraformPlugin

/// A failed Turso API call. `kind` is for code to branch on (a revoke may
/// treat `.notFound` as done); `summary` and `detail` are written for the
/// user (see TursoAPIMessages.swift) and never contain a token value.
public struct TursoAPIError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// 401: the provider's API token is missing, invalid, expired or revoked.
        case authentication
        /// 403: the token may not do this.
        case forbidden
        /// 404: no such token, organization or group.
        case notFound
        /// 409 (or a 400 saying so): the token name is taken.
        case alreadyExists
        /// 400 and other refusals of the request itself.
        case invalidRequest
        /// 429, still after the retries.
        case rateLimited
        /// 5xx, still after the retries where retrying was safe.
        case server
        /// No answer: DNS, connection, TLS, timeout, dropped connection.
        case transport
        /// The calling task was cancelled (Terraform asked the provider to stop).
        case cancelled
        /// A create reached Turso and the token exists, but its value did not
        /// arrive: the value is lost. `lostToken` names it.
        case createdButValueLost
        /// A create may have reached Turso, and whether the token exists could
        /// not be checked (the check failed, or the provider was told to stop).
        case createOutcomeUnknown
        /// An answer that is not what the API documents.
        case invalidResponse
    }

    public let kind: Kind
    public let summary: String
    public let detail: String
    /// The HTTP status, when Turso answered.
    public let statusCode: Int?
    /// Turso's own `error` text (escaped), when it gave one.
    public let apiMessage: String?
    /// For `.createdButValueLost`: the token as Turso lists it, so the caller
    /// can keep it in state (it exists, and must be revoked some day).
    public let lostToken: APIToken?

    init(kind: Kind, summary: String, detail: String, statusCode: Int? = nil, apiMessage: String? = nil, lostToken: APIToken? = nil) {
        self.kind = kind
        self.summary = summary
        self.detail = detail
        self.statusCode = statusCode
        self.apiMessage = apiMessage
        self.lostToken = lostToken
    }

    /// Whether the token a create was asked for exists, or may exist, in
    /// Turso although no value came back: the caller must keep track of it.
    public var mayHaveCreated: Bool { kind == .createdButValueLost || kind == .createOutcomeUnknown }

    public var description: String { "\(summary): \(detail)" }

    /// The error as Terraform shows it.
    public func diagnostic(at attribute: AttributePath? = nil) -> Diagnostic {
        .error(summary, detail, at: attribute)
    }
}

/// What a call was doing, for messages.
enum TursoOperation: Sendable, CustomStringConvertible {
    case createToken(name: String)
    case listTokens(organization: String?)
    case revokeToken(name: String)
    case revokeOrganizationToken(organization: String, id: String)
    case validateToken

    /// Names and ids are escaped: they may come from a server's listing.
    var description: String {
        switch self {
        case .createToken(let name): "creating API token \"\(DisplayText.escaped(name))\""
        case .listTokens(nil): "listing API tokens"
        case .listTokens(let organization?): "listing the API tokens of organization \"\(DisplayText.escaped(organization))\""
        case .revokeToken(let name): "revoking API token \"\(DisplayText.escaped(name))\""
        case .revokeOrganizationToken(let organization, let id):
            "revoking token \(DisplayText.escaped(id)) of organization \"\(DisplayText.escaped(organization))\""
        case .validateToken: "validating an API token"
        }
    }
}
