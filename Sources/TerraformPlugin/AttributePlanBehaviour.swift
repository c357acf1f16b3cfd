/// Plan behaviour declared on a schema attribute, as terraform-plugin-framework's
/// plan modifiers and defaults declare it. Only `ModelResource`'s default
/// plan reads it; a resource that plans by hand ignores it.
public struct AttributePlanBehaviour: Sendable {
    /// When set, a change of the attribute in an update replaces the
    /// resource: the rule says whether the planned value differs from the
    /// prior one in a way that needs a new object.
    public var replaceRule: ReplaceRule?
    /// On an in-place update, the prior value is planned rather than
    /// unknown: the attribute does not change unless the object is replaced.
    public var useStateForUnknown = false
    /// Planned when the configuration leaves the attribute null (optional
    /// and computed attributes only), at create and update alike, before
    /// requires-replace is decided.
    public var defaultValue: CtyValue?

    public init() {}
}

/// Decides whether an attribute's change forces a replacement.
public struct ReplaceRule: Sendable {
    /// `prior` is the stored state's value, `planned` the value planned so
    /// far (configuration, defaults applied); either may be null, `planned`
    /// may be unknown.
    public let differs: @Sendable (_ prior: CtyValue, _ planned: CtyValue) -> Bool

    public init(differs: @escaping @Sendable (_ prior: CtyValue, _ planned: CtyValue) -> Bool) {
        self.differs = differs
    }

    /// Any change, an unknown planned value included (it may turn out different).
    public static let anyChange = ReplaceRule { $0 != $1 }
}

extension SchemaAttribute {
    /// Changing the attribute replaces the resource.
    public func requiresReplace() -> SchemaAttribute {
        with { $0.planBehaviour.replaceRule = .anyChange }
    }

    /// Changing the attribute replaces the resource when `differs` says the
    /// change matters (e.g. two spellings of one duration do not).
    public func requiresReplace(if differs: @escaping @Sendable (_ prior: CtyValue, _ planned: CtyValue) -> Bool) -> SchemaAttribute {
        with { $0.planBehaviour.replaceRule = ReplaceRule(differs: differs) }
    }

    /// A computed value that stays as it is until the resource is replaced.
    public func useStateForUnknown() -> SchemaAttribute {
        with { $0.planBehaviour.useStateForUnknown = true }
    }

    /// The value planned when the configuration leaves the attribute null.
    public func defaultValue(_ value: CtyValue) -> SchemaAttribute {
        with { $0.planBehaviour.defaultValue = value }
    }

    private func with(_ change: (inout SchemaAttribute) -> Void) -> SchemaAttribute {
        var copy = self
        change(&copy)
        return copy
    }
}
