import CTFPlugin6

extension Diagnostic {
    /// Reads a diagnostic message (the router only sends them; tools and
    /// tests read them back).
    init(wire: UnsafePointer<Tfplugin6__Diagnostic>) {
        let message = wire.pointee
        self.init(
            severity: message.severity == TFPLUGIN6__DIAGNOSTIC__SEVERITY__WARNING ? .warning : .error,
            summary: String(wire: message.summary),
            detail: String(wire: message.detail),
            attribute: message.attribute.map { AttributePath(wire: $0) }
        )
    }

    /// Strings are valid UTF-8 by construction (Swift strings cannot hold
    /// anything else); the arena replaces NULs, which C strings cannot carry.
    func wire(in arena: WireArena) -> UnsafeMutablePointer<Tfplugin6__Diagnostic> {
        let message = arena.message(Tfplugin6__Diagnostic.self)
        message.pointee.severity = switch severity {
        case .error: TFPLUGIN6__DIAGNOSTIC__SEVERITY__ERROR
        case .warning: TFPLUGIN6__DIAGNOSTIC__SEVERITY__WARNING
        }
        message.pointee.summary = arena.string(summary)
        message.pointee.detail = arena.string(detail)
        // An empty path would point Terraform at the whole resource block;
        // leaving it out says the same without an empty message.
        if let attribute, !attribute.isEmpty {
            message.pointee.attribute = attribute.wire(in: arena)
        }
        return message
    }
}

extension Array where Element == Diagnostic {
    /// A repeated `Diagnostic` field, as `(n_diagnostics, diagnostics)`.
    func wire(in arena: WireArena) -> (Int, UnsafeMutablePointer<UnsafeMutablePointer<Tfplugin6__Diagnostic>?>?) {
        arena.repeated(map { $0.wire(in: arena) })
    }

    init(wire count: Int, _ pointer: UnsafeMutablePointer<UnsafeMutablePointer<Tfplugin6__Diagnostic>?>?) {
        self = wireElements(count, pointer).map { Diagnostic(wire: $0) }
    }
}
