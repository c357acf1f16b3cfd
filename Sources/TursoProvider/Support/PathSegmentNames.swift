/// Names the provider sends as one segment of a URL path: token names
/// (`/v1/auth/api-tokens/{name}`) and organization slugs
/// (`/v1/organizations/{slug}/...`). Every segment is percent-encoded
/// (`TursoClient.pathSegment`), dots included; these rules refuse, before
/// anything is sent, what no encoding makes safe or what Turso cannot hold.
enum PathSegmentNames {
    /// Why `text` cannot be sent as a name, or nil.
    static func problem(_ text: String) -> String? {
        if text.isEmpty { return "it is empty" }
        if text == "." || text == ".." {
            return "\"\(text)\" is not a name: in a URL path it means \(text == "." ? "the current" : "the parent") folder, and servers and proxies resolve it"
        }
        if DisplayText.hasControlCharacters(text) { return "it contains a control character" }
        if text.contains(where: { $0.isWhitespace || $0 == "/" || $0 == "\\" }) {
            return "it contains a space, a slash or a backslash"
        }
        if text.utf8.count > maxBytes { return "it is longer than \(maxBytes) bytes" }
        return nil
    }

    /// Far above any real name; keeps absurd values out of URLs and messages.
    static let maxBytes = 255
}

extension APIToken {
    /// Turso compares names byte for byte: `café` with a precomposed `é`
    /// and with `e` plus a combining accent are two names, although Swift's
    /// `==` (canonical equivalence) calls them equal.
    static func sameName(_ first: String, _ second: String) -> Bool {
        first.utf8.elementsEqual(second.utf8)
    }
}
