import CTFPlugin6

extension FunctionDefinition {
    func wire(in arena: WireArena) -> UnsafeMutablePointer<Tfplugin6__Function> {
        let message = arena.message(Tfplugin6__Function.self)
        (message.pointee.n_parameters, message.pointee.parameters) = arena.repeated(parameters.map { parameter in
            let element = arena.message(Tfplugin6__Function__Parameter.self)
            element.pointee.name = arena.string(parameter.name)
            element.pointee.type = arena.bytes(parameter.type.typeJSON)
            element.pointee.allow_null_value = parameter.allowNullValue ? 1 : 0
            element.pointee.allow_unknown_values = 0
            element.pointee.description = arena.string(parameter.description)
            element.pointee.description_kind = DescriptionKind.markdown.wire
            return element
        })
        let returns = arena.message(Tfplugin6__Function__Return.self)
        returns.pointee.type = arena.bytes(returnType.typeJSON)
        message.pointee.return_ = returns
        message.pointee.summary = arena.string(summary)
        message.pointee.description = arena.string(description)
        message.pointee.description_kind = DescriptionKind.markdown.wire
        message.pointee.deprecation_message = arena.string(deprecationMessage)
        return message
    }
}

extension FunctionError {
    func wire(in arena: WireArena) -> UnsafeMutablePointer<Tfplugin6__FunctionError> {
        let message = arena.message(Tfplugin6__FunctionError.self)
        message.pointee.text = arena.string(text)
        if let argument {
            message.pointee._function_argument_case = TFPLUGIN6__FUNCTION_ERROR___FUNCTION_ARGUMENT_FUNCTION_ARGUMENT
            message.pointee.function_argument = argument
        }
        return message
    }

    /// A refused call or an unusable result, as the one error CallFunction
    /// can carry.
    init(_ diagnostic: Diagnostic, argument: Int64? = nil) {
        self.init(diagnostic.detail.isEmpty ? diagnostic.summary : "\(diagnostic.summary): \(diagnostic.detail)", argument: argument)
    }
}
