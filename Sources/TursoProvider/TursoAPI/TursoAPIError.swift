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
        /// A create may have succeeded without its answer arriving: the value is lost.
        case createdButValueLost
        /// libcurl could not be loaded.
        case libcurlUnavailable
        /// An answer that is not what the API documents.
        case invalidResponse
    }

    public let kind: Kind
    public let summary: String
    public let detail: String
    /// The HTTP status, when Turso answered.
    public let statusCode: Int?
    /// Turso's own `error` text, when it gave one.
    public let apiMessage: String?

    init(kind: Kind, summary: String, detail: String, statusCode: Int? = nil, apiMessage: String? = nil) {
        self.kind = kind
        self.summary = summary
        self.detail = detail
        self.statusCode = statusCode
        self.apiMessage = apiMessage
    }

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

    var description: String {
        switch self {
        case .createToken(let name): "creating API token \"\(name)\""
        case .listTokens(nil): "listing API tokens"
        case .listTokens(let organization?): "listing the API tokens of organization \"\(organization)\""
        case .revokeToken(let name): "revoking API token \"\(name)\""
        case .revokeOrganizationToken(let organization, let id): "revoking token \(id) of organization \"\(organization)\""
        case .validateToken: "validating an API token"
        }
    }
}
