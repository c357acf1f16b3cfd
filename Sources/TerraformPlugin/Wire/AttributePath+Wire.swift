import CTFPlugin6

extension AttributePath {
    /// Reads an `AttributePath`. A step with no selector set carries no
    /// meaning and is skipped.
    init(wire: UnsafePointer<Tfplugin6__AttributePath>) {
        var steps: [Step] = []
        for step in wireElements(wire.pointee.n_steps, wire.pointee.steps) {
            switch step.pointee.selector_case {
            case TFPLUGIN6__ATTRIBUTE_PATH__STEP__SELECTOR_ATTRIBUTE_NAME:
                steps.append(.attribute(String(wire: step.pointee.attribute_name)))
            case TFPLUGIN6__ATTRIBUTE_PATH__STEP__SELECTOR_ELEMENT_KEY_STRING:
                steps.append(.key(String(wire: step.pointee.element_key_string)))
            case TFPLUGIN6__ATTRIBUTE_PATH__STEP__SELECTOR_ELEMENT_KEY_INT:
                steps.append(.index(step.pointee.element_key_int))
            default:
                continue
            }
        }
        self.init(steps)
    }

    func wire(in arena: WireArena) -> UnsafeMutablePointer<Tfplugin6__AttributePath> {
        let message = arena.message(Tfplugin6__AttributePath.self)
        let steps = steps.map { step in
            let wireStep = arena.message(Tfplugin6__AttributePath__Step.self)
            switch step {
            case .attribute(let name):
                wireStep.pointee.selector_case = TFPLUGIN6__ATTRIBUTE_PATH__STEP__SELECTOR_ATTRIBUTE_NAME
                wireStep.pointee.attribute_name = arena.string(name)
            case .key(let key):
                wireStep.pointee.selector_case = TFPLUGIN6__ATTRIBUTE_PATH__STEP__SELECTOR_ELEMENT_KEY_STRING
                wireStep.pointee.element_key_string = arena.string(key)
            case .index(let index):
                wireStep.pointee.selector_case = TFPLUGIN6__ATTRIBUTE_PATH__STEP__SELECTOR_ELEMENT_KEY_INT
                wireStep.pointee.element_key_int = index
            }
            return wireStep
        }
        (message.pointee.n_steps, message.pointee.steps) = arena.repeated(steps)
        return message
    }
}

extension Array where Element == AttributePath {
    /// A repeated `AttributePath` field, such as `requires_replace`.
    func wire(in arena: WireArena) -> (Int, UnsafeMutablePointer<UnsafeMutablePointer<Tfplugin6__AttributePath>?>?) {
        arena.repeated(map { $0.wire(in: arena) })
    }
}
