import TerraformPlugin

/// `provider::turso::token_claims(token)`: the claims in a Turso token's
/// payload, for example to read when it expires or which database it is for.
///
/// Turso tokens are JWTs (`header.payload.signature`, each base64url). The
/// payload is decoded only: its signature is NOT checked (that needs Turso's
/// key), so the claims say what the token states, not that Turso issued it.
/// To ask Turso whether a token is valid, use the
/// `turso_api_token_validation` data source.
struct TokenClaimsFunction: ProviderFunction {
    var name: String { "token_claims" }

    var definition: FunctionDefinition {
        FunctionDefinition(
            parameters: [
                FunctionParameter(name: "token", type: .string, description: "A Turso token: a JWT, `header.payload.signature`."),
            ],
            returnType: .dynamic,
            summary: "The claims of a Turso token's payload, without checking its signature",
            description: """
                Decodes the payload of a Turso token (a JWT: `header.payload.signature`, each part \
                base64url) and returns its claims as an object, for example \
                `provider::turso::token_claims(turso_api_token.ci.token).iat`. JSON numbers become \
                numbers, objects objects, arrays tuples. **The signature is not checked**: the claims \
                say what the token states, not that Turso issued it or that it is still valid (use the \
                `turso_api_token_validation` data source for that). A value that is not a JWT with a \
                JSON object as its payload is an error; the error never repeats the value.
                """
        )
    }

    func call(_ arguments: [CtyValue]) async -> Result<CtyValue, FunctionError> {
        guard arguments.count == 1, let token = arguments[0].stringValue else {
            return .failure(FunctionError("token_claims takes one string, the token", argument: 0))
        }
        return Self.claims(of: token).mapError { FunctionError("Not a Turso token: \($0)", argument: 0) }
    }

    /// The reason is worded without the token: it is a secret.
    static func claims(of token: String) -> Result<CtyValue, TokenShapeError> {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else {
            return .failure(TokenShapeError("a JWT has three parts separated by dots (header.payload.signature); this value has \(parts.count)"))
        }
        guard let payload = Base64URL.decode(parts[1]) else {
            return .failure(TokenShapeError("its payload (the second part) is not base64url"))
        }
        guard let json = try? TursoJSON.parse(payload), case .object = json else {
            return .failure(TokenShapeError("its payload (the second part) is not a JSON object"))
        }
        return .success(value(of: json))
    }

    struct TokenShapeError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// JSON as cty infers it: objects, tuples, and null of no particular type.
    static func value(of json: TursoJSON) -> CtyValue {
        switch json {
        case .null: .null(.dynamic)
        case .bool(let value): .bool(value)
        // The parser admits only RFC 8259 numbers, which CtyNumber reads.
        case .number(let text): CtyNumber(decimal: text).map(CtyValue.number) ?? .string(text)
        case .string(let text): .string(text)
        case .array(let elements): .tuple(elements.map(value(of:)))
        case .object(let members): .object(members.mapValues(value(of:)))
        }
    }
}
