import CGRPCCore
#if canImport(Glibc)
import Glibc
#endif

/// Integer and string channel arguments, lent to gRPC as `grpc_channel_args`
/// for the duration of one call (gRPC copies what it keeps).
package struct ChannelArguments {
    package var integers: [(key: String, value: Int32)] = []
    package var strings: [(key: String, value: String)] = []

    package init() {}

    package func withUnsafeArguments<Result>(_ body: (UnsafePointer<grpc_channel_args>) throws -> Result) rethrows -> Result {
        var copies: [UnsafeMutablePointer<CChar>] = []
        defer { copies.forEach { free($0) } }
        func copy(_ text: String) -> UnsafeMutablePointer<CChar> {
            let pointer = strdup(text)!
            copies.append(pointer)
            return pointer
        }
        var arguments: [grpc_arg] = []
        for (key, value) in integers {
            var argument = grpc_arg()
            argument.type = GRPC_ARG_INTEGER
            argument.key = copy(key)
            argument.value.integer = value
            arguments.append(argument)
        }
        for (key, value) in strings {
            var argument = grpc_arg()
            argument.type = GRPC_ARG_STRING
            argument.key = copy(key)
            argument.value.string = copy(value)
            arguments.append(argument)
        }
        return try arguments.withUnsafeMutableBufferPointer { buffer in
            var channelArguments = grpc_channel_args(num_args: buffer.count, args: buffer.baseAddress)
            return try body(&channelArguments)
        }
    }
}
