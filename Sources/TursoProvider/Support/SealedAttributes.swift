import TerraformPlugin

/// Secret attributes a resource keeps twice: in its state, where
/// configurations read them, and sealed in its private state, which is the
/// authoritative copy (see DESIGN.md, "Private state"). Every resource with
/// secrets goes through this one type, so they all repair, re-seal and
/// preserve private state the same way.
///
/// Attributes are named by the resource model's keys; each is sealed under
/// its attribute name, which is part of the stored format.
struct SealedAttributes<Key: ModelKey>: Sendable {
    /// Bound into every blob, with the resource's id: a blob copied to
    /// another resource does not open.
    let resourceType: String
    /// String attributes of the state, sealed together.
    let names: [Key]
    /// The attribute holding a `SealedToken` (`sealed_token`), when sealed
    /// in place of the token: re-sealed by `resealingSealedToken`.
    var sealedTokenKey: Key? = nil

    func binding(id: String) -> PrivateStateBinding {
        PrivateStateBinding(resourceType: resourceType, resourceID: id)
    }

    /// The state's values of `names`; nil unless every one is a known string.
    func fields(of state: CtyValue) -> PrivateStateFields? {
        var values: [String: String] = [:]
        for name in names {
            guard let value = state[name].stringValue else { return nil }
            values[name.rawValue] = value
        }
        return PrivateStateFields(values)
    }

    /// The private state to store after apply.
    func seal(_ state: CtyValue, id: String, with vault: any PrivateStateVault) throws(PrivateStateSealError) -> [UInt8] {
        guard let fields = fields(of: state) else { throw PrivateStateSealError("\(resourceType) \(id) has no value to seal") }
        return try vault.seal(fields, for: binding(id: id))
    }

    struct Reconciled {
        var state: CtyValue
        var `private`: [UInt8]
        var diagnostics: [Diagnostic]
        /// The private state opened as this resource's own sealed envelope:
        /// the state now holds its sealed values, and its id is confirmed.
        var verified: Bool
    }

    /// Read's part, under one rule: only a sealed envelope that opens for
    /// this resource (type and id) is trusted. Then state values that
    /// differ from the sealed ones (an edited or damaged state file) are
    /// restored, and a previous key's envelope is re-sealed with the
    /// current key. Anything else in private state (plain JSON, bytes of no
    /// known format, an envelope of another resource or key) is never
    /// believed over the state: it is kept byte for byte (a later run with
    /// the right key may still open it) and reported. Empty private state
    /// (a resource from before sealing, or whose seal failed) gets the
    /// state's values sealed, with a warning that they were taken unchecked.
    /// Without a vault (the key is not known yet) everything passes
    /// through untouched.
    ///
    /// - label: names the resource in warnings, e.g. `turso_api_token "ci" (id …)`.
    func reconcile(
        _ state: CtyValue, private blob: [UInt8], id: String, label: String, vault: (any PrivateStateVault)?
    ) -> Reconciled {
        var result = Reconciled(state: state, private: blob, diagnostics: [], verified: false)
        guard let vault else { return result }
        let binding = binding(id: id)
        switch vault.open(blob, for: binding) {
        case .sealed(let fields, let needsReseal):
            result.verified = true
            restore(fields, into: &result, label: label)
            if needsReseal, let resealed = try? vault.seal(fields, for: binding) { result.private = resealed }
        case .plain:
            result.diagnostics.append(ProviderDiagnostics.privateStateNotSealed(resource: label))
        case .empty:
            if let fields = fields(of: state), let sealed = try? vault.seal(fields, for: binding) {
                result.private = sealed
                result.diagnostics.append(ProviderDiagnostics.privateStateSealedUnchecked(resource: label, attributes: names.map(\.rawValue)))
            }
        case .unreadable(let problem):
            result.diagnostics.append(ProviderDiagnostics.privateStateUnreadable(resource: label, problem: problem))
        }
        return result
    }

    /// With `seal_token`: a `sealed_token` that opened only with a previous
    /// key is sealed again with the current one, in state and in private
    /// state alike, so that the previous key can be retired.
    func resealingSealedToken(_ result: Reconciled, id: String, vault: (any PrivateStateVault)?) -> Reconciled {
        guard let key = sealedTokenKey, let vault,
              let text = result.state[key].stringValue,
              let resealed = SealedToken.resealed(text, vault: vault)
        else { return result }
        var updated = result
        updated.state = result.state.setting(key, to: .string(resealed))
        if let blob = try? seal(updated.state, id: id, with: vault) { updated.private = blob }
        return updated
    }

    /// The fields of `blob` when it is a sealed envelope of this resource
    /// type for `id`: Read tries the id Turso lists, to tell a state whose
    /// id was edited from a token replaced outside Terraform.
    func open(_ blob: [UInt8], id: String, vault: any PrivateStateVault) -> PrivateStateFields? {
        if case .sealed(let fields, _) = vault.open(blob, for: binding(id: id)) { return fields }
        return nil
    }

    func restore(_ fields: PrivateStateFields, into result: inout Reconciled, label: String) {
        var changed: [String] = []
        for name in names {
            guard let sealed = fields[name.rawValue], result.state[name].stringValue.map({ Array($0.utf8) }) != Array(sealed.utf8) else { continue }
            result.state = result.state.setting(name, to: .string(sealed))
            changed.append(name.rawValue)
        }
        if !changed.isEmpty { result.diagnostics.append(ProviderDiagnostics.stateRepaired(resource: label, attributes: changed)) }
    }
}
