import TerraformPlugin

/// `provider::turso::parse_duration("1h30m")` = 5400: a duration written as
/// `ttl`, `renew_before` and `rotation_period` take it, in seconds, for
/// arithmetic in configuration (`timeadd`, comparisons, outputs).
struct ParseDurationFunction: ProviderFunction {
    var name: String { "parse_duration" }

    var definition: FunctionDefinition {
        FunctionDefinition(
            parameters: [
                FunctionParameter(name: "duration", type: .string, description: "A duration such as `90s`, `30m` or `1h30m`."),
            ],
            returnType: .number,
            summary: "The length of a duration, in seconds",
            description: """
                Parses a duration exactly as the provider parses `ttl`, `renew_before` and \
                `rotation_period` (a sequence of numbers with units `h`, `m`, `s`, `ms`, `us`, `ns`, \
                as in `1h30m` or `1.5h`) and returns its length in seconds, with a fraction when it is \
                not whole: `parse_duration("1h30m")` is `5400`, `parse_duration("1500ms")` is `1.5`.
                """
        )
    }

    func call(_ arguments: [CtyValue]) async -> Result<CtyValue, FunctionError> {
        guard arguments.count == 1, let text = arguments[0].stringValue else {
            return .failure(FunctionError("parse_duration takes one string, the duration", argument: 0))
        }
        switch TokenDuration.parse(text) {
        case .success(let duration):
            return .success(.number(Self.seconds(duration)))
        case .failure(let error):
            return .failure(FunctionError("Invalid duration \"\(text)\": \(error.reason)", argument: 0))
        }
    }

    /// Nanoseconds as an exact decimal number of seconds.
    static func seconds(_ duration: TokenDuration) -> CtyNumber {
        let nanoseconds = duration.nanoseconds
        let digits = Array(String(nanoseconds.magnitude).utf8).map { $0 - UInt8(ascii: "0") }
        return CtyNumber(isNegative: nanoseconds < 0, digits: digits, exponent: -9)
    }
}
