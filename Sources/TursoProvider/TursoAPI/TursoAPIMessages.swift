/// Every user-facing text of the Turso API client, in one place. Each says
/// what happened, what to do, then the original error. None may include a
/// token value: Turso's error texts are passed through `TursoClient`'s
/// redaction first.
extension TursoAPIError {
    static func authentication(_ operation: TursoOperation, apiMessage: String?) -> TursoAPIError {
        TursoAPIError(
            kind: .authentication,
            summary: "Turso rejected the API token",
            detail: "Turso answered 401 Unauthorized while \(operation): the provider's API token is missing, invalid, "
                + "expired or revoked. Set a valid Turso Platform API token in the TURSO_API_TOKEN environment variable "
                + "or the provider's api_token argument (create one with `turso auth api-tokens mint --org <org> <name>`)."
                + said(apiMessage),
            statusCode: 401, apiMessage: apiMessage
        )
    }

    static func forbidden(_ operation: TursoOperation, apiMessage: String?) -> TursoAPIError {
        TursoAPIError(
            kind: .forbidden,
            summary: "Turso refused the operation",
            detail: "Turso answered 403 Forbidden while \(operation): the API token is valid but may not do this. "
                + "Tokens restricted to one organization cannot act on others, group-scoped tokens cannot manage API "
                + "tokens, and only admins and owners of an organization may mint group-scoped tokens or manage other "
                + "members' tokens. Use an API token with the access this needs." + said(apiMessage),
            statusCode: 403, apiMessage: apiMessage
        )
    }

    static func notFound(_ operation: TursoOperation, apiMessage: String?) -> TursoAPIError {
        let advice = switch operation {
        case .createToken:
            "Check the organization and group: they must exist in Turso (`turso org list`, `turso group list`)."
        case .listTokens:
            "Check the organization's slug (`turso org list`)."
        case .revokeToken(let name):
            "The token \"\(name)\" does not exist, or was already revoked (`turso auth api-tokens list`)."
        case .revokeOrganizationToken:
            "The token does not exist in that organization, or was already revoked."
        case .validateToken:
            "Check the provider's base_url."
        }
        return TursoAPIError(
            kind: .notFound,
            summary: "Not found in Turso",
            detail: "Turso answered 404 Not Found while \(operation). \(advice)" + said(apiMessage),
            statusCode: 404, apiMessage: apiMessage
        )
    }

    /// Only for creates, which name the token (see `conflict` for the rest).
    static func alreadyExists(_ operation: TursoOperation, status: Int, apiMessage: String?) -> TursoAPIError {
        let name = if case .createToken(let name) = operation { DisplayText.escaped(name) } else { "" }
        return TursoAPIError(
            kind: .alreadyExists,
            summary: "An API token named \"\(name)\" already exists",
            detail: "Turso answered \(status) while \(operation): token names are unique per user. Choose another "
                + "name, revoke the existing token (`turso auth api-tokens revoke \(name)`), or bring it under "
                + "Terraform with `terraform import`." + said(apiMessage),
            statusCode: status, apiMessage: apiMessage
        )
    }

    /// A 409 to anything but a create: nothing the API documents.
    static func conflict(_ operation: TursoOperation, apiMessage: String?) -> TursoAPIError {
        TursoAPIError(
            kind: .invalidResponse,
            summary: "Turso reported a conflict",
            detail: "Turso answered 409 Conflict while \(operation), which the API documents only for creating a token "
                + "whose name is taken. Run Terraform again; if it persists, check the provider's base_url and any proxy "
                + "in between." + said(apiMessage),
            statusCode: 409, apiMessage: apiMessage
        )
    }

    /// A listing with two tokens of one name: the provider will not guess which is meant.
    static func duplicateName(_ operation: TursoOperation, name: String, ids: [String]) -> TursoAPIError {
        let shown = DisplayText.escaped(name)
        return TursoAPIError(
            kind: .invalidResponse,
            summary: "Turso lists \(ids.count) API tokens named \"\(shown)\"",
            detail: "While \(operation), Turso listed more than one token named \"\(shown)\" (ids "
                + ids.map { DisplayText.escaped($0, limit: 100) }.joined(separator: ", ")
                + "), although token names are unique per user. The provider does not pick one: revoke the extra "
                + "tokens (`turso auth api-tokens list`, `turso auth api-tokens revoke`), or check the provider's "
                + "base_url and any proxy in between."
        )
    }

    static func invalidRequest(_ operation: TursoOperation, status: Int, apiMessage: String?) -> TursoAPIError {
        TursoAPIError(
            kind: .invalidRequest,
            summary: "Turso rejected the request",
            detail: "Turso answered \(status) while \(operation). Check the token's name (letters, digits, '-', '_'), "
                + "organization, group and scopes (a group needs an organization and at least one scope)."
                + said(apiMessage),
            statusCode: status, apiMessage: apiMessage
        )
    }

    static func invalidArgument(_ operation: TursoOperation, problem: String) -> TursoAPIError {
        TursoAPIError(
            kind: .invalidRequest,
            summary: "Invalid Turso API request",
            detail: "Nothing was sent to Turso while \(operation): \(problem). Set it in the configuration."
        )
    }

    static func rateLimited(_ operation: TursoOperation, attempts: Int, apiMessage: String?) -> TursoAPIError {
        TursoAPIError(
            kind: .rateLimited,
            summary: "Turso is limiting the rate of requests",
            detail: "Turso answered 429 Too Many Requests while \(operation), \(attempts) time(s), waiting as asked "
                + "between attempts. Run Terraform again later, or with a lower -parallelism." + said(apiMessage),
            statusCode: 429, apiMessage: apiMessage
        )
    }

    static func server(_ operation: TursoOperation, status: Int, attempts: Int, apiMessage: String?) -> TursoAPIError {
        TursoAPIError(
            kind: .server,
            summary: "The Turso API failed",
            detail: "Turso answered \(status) while \(operation)"
                + (attempts > 1 ? ", after \(attempts) attempts" : "")
                + ". This is usually temporary: run Terraform again later, and see https://status.turso.tech if it persists."
                + said(apiMessage),
            statusCode: status, apiMessage: apiMessage
        )
    }

    static func unexpectedStatus(_ operation: TursoOperation, status: Int, apiMessage: String?) -> TursoAPIError {
        TursoAPIError(
            kind: .invalidResponse,
            summary: "Unexpected answer from the Turso API",
            detail: "Turso answered HTTP \(status) while \(operation), which the API does not document. Check the "
                + "provider's base_url and any proxy in between." + said(apiMessage),
            statusCode: status, apiMessage: apiMessage
        )
    }

    static func invalidResponse(_ operation: TursoOperation, status: Int, problem: String) -> TursoAPIError {
        TursoAPIError(
            kind: .invalidResponse,
            summary: "Unexpected answer from the Turso API",
            detail: "Turso answered \(status) while \(operation), but the answer is not what the API documents "
                + "(\(problem)). Check the provider's base_url and any proxy in between.",
            statusCode: status
        )
    }

    /// - baseURL: as shown to the user (credentials redacted: see `TursoClient.displayBaseURL`).
    static func transport(_ operation: TursoOperation, failure: TransportFailure, attempts: Int, baseURL: String) -> TursoAPIError {
        let advice = switch failure.kind {
        case .resolve:
            "The host name could not be resolved: check base_url and DNS."
        case .connect:
            "Nothing answered at \(baseURL): check base_url, the network, and the proxy variables (HTTPS_PROXY, NO_PROXY)."
        case .tls:
            "The TLS connection failed: check the system CA certificates (Debian: ca-certificates) and any "
                + "TLS-intercepting proxy (SSL_CERT_FILE names the CA bundle to trust)."
        case .timeout:
            "Turso did not answer in time: check the network and proxies, then run Terraform again."
        case .connectionLost:
            "The connection closed before Turso answered: run Terraform again."
        case .responseTooLarge:
            "The answer was larger than any the API sends: check base_url and any proxy in between."
        case .cancelled, .other:
            "Check base_url (\(baseURL)), the network and the proxy variables (HTTPS_PROXY, NO_PROXY)."
        }
        return TursoAPIError(
            kind: .transport,
            summary: "Could not reach the Turso API",
            detail: "No answer from Turso while \(operation)" + (attempts > 1 ? " (\(attempts) attempts)" : "")
                + ". \(advice) Error: \(DisplayText.escaped(failure.message))"
        )
    }

    static func cancelled(_ operation: TursoOperation) -> TursoAPIError {
        TursoAPIError(
            kind: .cancelled,
            summary: "Turso API call cancelled",
            detail: "Terraform asked the provider to stop while \(operation); the request was abandoned. Run "
                + "Terraform again to finish; a create that was cut off may have to be checked with "
                + "`turso auth api-tokens list`."
        )
    }

    /// The create request failed after Turso got it, and the token now exists.
    /// What becomes of the token is the caller's to say (turso_api_token
    /// keeps it in state, to be replaced).
    static func createdButValueLost(name: String, cause: String, token: APIToken) -> TursoAPIError {
        let shown = DisplayText.escaped(name)
        return TursoAPIError(
            kind: .createdButValueLost,
            summary: "API token \"\(shown)\" was created but its value was lost",
            detail: "The request creating API token \"\(shown)\" failed after it reached Turso (\(cause)), and Turso "
                + "now lists the token (id \(DisplayText.escaped(token.id, limit: 100))). Turso shows a token's value only "
                + "in the answer to its creation, so the value cannot be recovered.",
            lostToken: token
        )
    }

    /// The create request failed after Turso may have got it, and checking failed too.
    static func createOutcomeUnknown(name: String, cause: String, check: TursoAPIError) -> TursoAPIError {
        let shown = DisplayText.escaped(name)
        return TursoAPIError(
            kind: .createOutcomeUnknown,
            summary: "API token \"\(shown)\" may have been created, with its value lost",
            detail: "The request creating API token \"\(shown)\" failed after it may have reached Turso (\(cause)), "
                + "and listing the tokens to check failed as well (\(check.summary)"
                + (check.apiMessage.map { ": \($0)" } ?? "") + "). If Turso created it, its value "
                + "is lost: Turso shows a value only in the answer to its creation."
        )
    }

    private static func said(_ apiMessage: String?) -> String {
        guard let apiMessage, !apiMessage.isEmpty else { return "" }
        return " Turso said: \(apiMessage)"
    }
}
