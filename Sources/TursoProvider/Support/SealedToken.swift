import TerraformPlugin

/// The `sealed_token` attribute (`seal_token = true`): a token sealed under
/// the provider's private-state key with the same envelope as private state
/// (`SodiumVault`: XChaCha20-Poly1305, key id in the header), so the state
/// file holds the token in no readable form.
///
/// Text form: `<resource type>:<resource id>:<envelope in base64url>`. The
/// type and id are the binding, authenticated with the envelope: a sealed
/// token opens only as what it says it is, and an edited type or id fails
/// like an edited envelope. They are written out so that
/// `terraform-provider-turso unseal` needs nothing but the text and the key.
/// The binding differs from the resource's private state's, so neither
/// can stand in for the other.
enum SealedToken {
    static let resourceTypes = ["turso_api_token", "turso_timed_token"]

    static func binding(resourceType: String, id: String) -> PrivateStateBinding {
        PrivateStateBinding(resourceType: resourceType + ".sealed_token", resourceID: id)
    }

    static func seal(
        _ token: String, resourceType: String, id: String, vault: any PrivateStateVault
    ) throws(PrivateStateSealError) -> String {
        let envelope = try vault.seal(PrivateStateFields(["token": token]), for: binding(resourceType: resourceType, id: id))
        return "\(resourceType):\(id):\(Base64URL.encode(envelope))"
    }

    struct OpenError: Error, Hashable, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    /// The token inside `text`, or why it cannot be had: the message names
    /// the key id for a wrong key or a failed authentication.
    static func open(_ text: String, vault: any PrivateStateVault) -> Result<String, OpenError> {
        openDetailed(text, vault: vault).map(\.token)
    }

    struct Opened {
        var token: String
        var resourceType: String
        var id: String
        /// Sealed with a previous key (or an older envelope format).
        var needsReseal: Bool
    }

    /// Read's part: `text` sealed with the current key when it opened only
    /// with a previous one, so the previous key can be retired; nil when
    /// nothing needs doing (or nothing can be done: Read leaves a text it
    /// cannot open as it is, and `unseal` explains why).
    static func resealed(_ text: String, vault: any PrivateStateVault) -> String? {
        guard case .success(let opened) = openDetailed(text, vault: vault), opened.needsReseal else { return nil }
        return try? seal(opened.token, resourceType: opened.resourceType, id: opened.id, vault: vault)
    }

    static func openDetailed(_ text: String, vault: any PrivateStateVault) -> Result<Opened, OpenError> {
        let malformed = OpenError(message: "This is not a sealed_token: expected <resource type>:<id>:<sealed value>, as turso_api_token and turso_timed_token write it.")
        guard let first = text.firstIndex(of: ":"), let last = text.lastIndex(of: ":"), first < last else { return .failure(malformed) }
        let resourceType = String(text[..<first])
        let id = String(text[text.index(after: first)..<last])
        guard resourceTypes.contains(resourceType), !id.isEmpty, let envelope = Base64URL.decode(text[text.index(after: last)...]) else {
            return .failure(malformed)
        }
        switch vault.open(envelope, for: binding(resourceType: resourceType, id: id)) {
        case .sealed(let fields, let needsReseal):
            guard let token = fields["token"] else { return .failure(malformed) }
            return .success(Opened(token: token, resourceType: resourceType, id: id, needsReseal: needsReseal))
        case .unreadable(let problem):
            // Worded for a sealed_token (the vault's wording speaks of private state).
            let reason = switch problem.kind {
            case .unknownKey: problem.message
            case .authenticationFailed(let keyID):
                "It (key id \(keyID)) failed authentication: it was altered or damaged, or it belongs to another resource."
            case .unsupportedVersion(let version) where version > 1:
                "It uses envelope format \(version), which this provider version does not know; it was probably written by a newer provider."
            case .unsupportedVersion, .malformed: "It is truncated or not an envelope this provider writes."
            }
            return .failure(OpenError(message: "The sealed_token of \(resourceType) \(id) cannot be opened. \(reason)"))
        case .empty, .plain:
            // Plain JSON opens without a key: never accepted as sealed.
            return .failure(malformed)
        }
    }
}
