import CTFPlugin6

// Provider-defined functions (Terraform 1.8+).

struct FunctionDefinitions: RPCAnswer {
    var functions: [(name: String, definition: FunctionDefinition)]
    var diagnostics: [Diagnostic] { [] }
}

extension FunctionDefinitions {
    func wire(in arena: WireArena) -> [(key: UnsafeMutablePointer<CChar>, value: UnsafeMutablePointer<Tfplugin6__Function>)] {
        functions.map { (arena.string($0.name), $0.definition.wire(in: arena)) }
    }
}

enum GetFunctionsRPC: RPC {
    typealias WireRequest = Tfplugin6__GetFunctions__Request
    typealias WireResponse = Tfplugin6__GetFunctions__Response
    typealias Target = RouterCore
    static let name = "GetFunctions"
    static var diagnosticsField: DiagnosticsField<WireResponse>? { DiagnosticsField(count: \.n_diagnostics, elements: \.diagnostics) }
    static var tracked: Bool { false }

    static func fromWire(_ message: WireRequest, _ values: RequestValues) -> Void {}

    static func call(_ core: RouterCore, _ request: Void) async -> FunctionDefinitions {
        FunctionDefinitions(functions: core.abilities.functionList)
    }

    static func toWire(_ response: FunctionDefinitions, _ request: Void, _ writer: inout ResponseWriter, _ message: UnsafeMutablePointer<WireResponse>) {
        (message.pointee.n_functions, message.pointee.functions) = writer.repeated(response.wire(in: writer.arena).map { key, value in
            let entry = writer.message(Tfplugin6__GetFunctions__Response__FunctionsEntry.self)
            entry.pointee.key = key
            entry.pointee.value = value
            return entry
        })
    }
}

struct CallFunctionRequest: Sendable {
    var name: String
    var arguments: [CtyValue]
}

struct CallFunctionAnswer: RPCAnswer {
    var result: Result<CtyValue, FunctionError>
    var diagnostics: [Diagnostic] { [] }
}

/// CallFunction has no diagnostics: every problem, a refused request
/// included, is its one `FunctionError`.
enum CallFunctionRPC: RPC {
    typealias WireRequest = Tfplugin6__CallFunction__Request
    typealias WireResponse = Tfplugin6__CallFunction__Response
    typealias Target = any ProviderFunction
    static let name = "CallFunction"
    static var diagnosticsField: DiagnosticsField<WireResponse>? { nil }
    static func typeName(_ message: WireRequest) -> String { String(wire: message.name) }

    /// Arguments decode against the function's parameter types (the
    /// found value type is their tuple); a count that differs is refused.
    static func fromWire(_ message: WireRequest, _ values: RequestValues) throws(RejectedRequest) -> CallFunctionRequest {
        let types = values.valueType.tupleElementTypes ?? []
        guard message.n_arguments == types.count else {
            throw values.reject("arguments", "number \(message.n_arguments), where the function takes \(types.count)")
        }
        var arguments: [CtyValue] = []
        for (index, type) in types.enumerated() {
            do {
                arguments.append(try values.decode(message.arguments?[index].map { UnsafePointer($0) }, .functionArgument(index), as: type))
            } catch {
                // The argument's position in the call, which `refusal` turns
                // into the FunctionError's argument index.
                var diagnostic = error.diagnostic
                diagnostic.attribute = AttributePath([.index(Int64(index))])
                throw RejectedRequest(diagnostic: diagnostic)
            }
        }
        return CallFunctionRequest(name: values.typeName, arguments: arguments)
    }

    static func call(_ function: any ProviderFunction, _ request: CallFunctionRequest) async -> CallFunctionAnswer {
        CallFunctionAnswer(result: await function.call(request.arguments))
    }

    static func toWire(_ response: CallFunctionAnswer, _ request: CallFunctionRequest, _ writer: inout ResponseWriter, _ message: UnsafeMutablePointer<WireResponse>) {
        switch response.result {
        case .success(let value):
            guard let definition = writer.context.core.abilities.functionList.first(where: { $0.name == request.name })?.definition,
                  let result = writer.value(value, "function result", as: definition.returnType, typeName: request.name)
            else {
                message.pointee.error = FunctionError(writer.diagnostics.first ?? .unknownFunction(request.name, rpc: name)).wire(in: writer.arena)
                return
            }
            message.pointee.result = result
        case .failure(let error):
            message.pointee.error = error.wire(in: writer.arena)
        }
    }

    static func refusal(_ diagnostic: Diagnostic, echoing echoed: [UInt8]?) -> [UInt8] {
        var argument: Int64?
        if case .index(let index)? = diagnostic.attribute?.steps.first { argument = index }
        return WireArena.pack(WireResponse.self) { arena, message in
            message.pointee.error = FunctionError(diagnostic, argument: argument).wire(in: arena)
        }
    }
}

extension CtyType {
    var tupleElementTypes: [CtyType]? {
        if case .tuple(let types) = self { return types }
        return nil
    }
}
