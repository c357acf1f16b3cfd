// Shared by the libFuzzer targets in Fuzz/ (see Fuzz/README.md).
import Dispatch
@testable import TerraformPlugin

/// Stops the run as a crash, so libFuzzer saves the input: for a property
/// that does not hold (a value that does not survive its own round trip).
/// Reached only in fuzz targets, never in the provider.
public func fuzzFailure(_ message: String, file: StaticString = #file, line: UInt = #line) -> Never {
    fatalError("fuzz property violated: \(message)", file: file, line: line)
}

/// Runs `body` to completion on the concurrency runtime and waits for it:
/// libFuzzer calls the target synchronously.
public func runBlocking<Result: Sendable>(_ body: @escaping @Sendable () async -> Result) -> Result {
    let done = DispatchSemaphore(value: 0)
    let box = ResultBox<Result>()
    Task.detached {
        box.value = await body()
        done.signal()
    }
    done.wait()
    return box.value!
}

private final class ResultBox<Value>: @unchecked Sendable {
    // Written by the task before the semaphore is signalled, read after.
    var value: Value?
}

/// An input split into a selector byte and the rest.
public struct FuzzInput {
    public let selector: UInt8
    public let payload: [UInt8]

    public init(_ data: UnsafePointer<UInt8>?, _ size: Int) {
        let bytes = size > 0 && data != nil ? Array(UnsafeBufferPointer(start: data, count: size)) : []
        selector = bytes.first ?? 0
        payload = Array(bytes.dropFirst())
    }
}

/// The types a value target decodes against, picked by the low seven bits
/// of the input's first byte (modulo the count; targets may use the eighth): the provider's schema types and every kind of
/// type cty has. The last entry means "the payload starts with the type as
/// JSON, then a newline, then the value", so the fuzzer explores types too.
/// Append only: committed seeds name their type by position.
public enum FuzzTypes {
    public static let fixed: [CtyType] = [
        .string, .number, .bool, .dynamic,
        .list(.string), .set(.string), .map(.string),
        .tuple([.string, .number, .bool]),
        .list(.dynamic), .map(.dynamic), .set(.number),
        .object(["a": .string, "b": .number, "c": .list(.bool)]),
        .object(["n": .set(.object(["k": .string, "v": .dynamic]))]),
        // turso_timed_token
        .object([
            "name": .string, "ttl": .string, "renew_before": .string, "triggers": .map(.string),
            "id": .string, "token": .string, "expires_at": .string,
        ]),
        // turso_api_token
        .object([
            "name": .string, "organization": .string, "group": .string, "scopes": .set(.string), "rotation_period": .string,
            "triggers": .map(.string), "id": .string, "token": .string, "created_at": .string,
        ]),
        // turso_api_tokens
        .object(["organization": .string, "tokens": .list(.object([
            "name": .string, "id": .string, "organization": .string, "group": .string, "scopes": .list(.string), "created_at": .string,
        ]))]),
        // provider configuration
        .object(["api_token": .string, "base_url": .string, "private_state_key": .string, "private_state_previous_keys": .list(.string)]),
    ]

    /// The type and the value bytes the input means, or nil when the input
    /// asks for a type given as JSON that does not parse.
    public static func split(_ input: FuzzInput) -> (CtyType, [UInt8])? {
        let index = Int(input.selector & 0x7F) % (fixed.count + 1)
        if index < fixed.count { return (fixed[index], input.payload) }
        guard let newline = input.payload.firstIndex(of: 0x0A) else { return nil }
        guard let type = try? CtyType(typeJSON: Array(input.payload[..<newline])) else { return nil }
        return (type, Array(input.payload[(newline + 1)...]))
    }
}
