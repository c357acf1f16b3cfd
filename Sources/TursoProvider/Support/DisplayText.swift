/// Text from outside the provider (a server's error message, the ids and
/// names it lists, a URL someone configured) as it may be shown to the user.
///
/// A server is not trusted to send printable text: an escape sequence in
/// an error message would otherwise reach the terminal that shows the
/// diagnostic (clear the screen, print a fake "Apply complete!"). Control
/// characters, the Unicode line and paragraph separators (a line break to
/// some terminals and viewers) and the invisible bidirectional overrides are
/// written as `\u{…}` instead, and the text is bounded.
enum DisplayText {
    static let defaultLimit = 500

    static func escaped(_ text: some StringProtocol, limit: Int = defaultLimit) -> String {
        var result = ""
        var count = 0
        for scalar in text.unicodeScalars {
            if count >= limit {
                result += "…"
                break
            }
            count += 1
            if needsEscaping(scalar) {
                result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// C0 and C1 controls, DEL, U+2028 and U+2029 (which break lines where
    /// shown, as CR and LF do), and the format characters that reorder or
    /// hide text (bidirectional marks, embeddings, overrides and isolates).
    static func needsEscaping(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.properties.generalCategory == .control { return true }
        switch scalar.value {
        case 0x2028, 0x2029, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069, 0x061C: return true
        default: return false
        }
    }

    /// Whether `text` holds anything `escaped` would change (length aside).
    static func hasControlCharacters(_ text: some StringProtocol) -> Bool {
        text.unicodeScalars.contains(where: needsEscaping)
    }

    /// A URL with its user information replaced (`https://<redacted>@host`),
    /// and escaped: base URLs end up in error messages, and one may carry
    /// basic-auth credentials (a user name alone may be a token).
    static func redactedURL(_ url: String) -> String {
        guard let schemeEnd = url.firstRange(of: "://") else { return escaped(url) }
        let scheme = String(url[..<schemeEnd.upperBound])
        let rest = url[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        guard let at = rest[..<authorityEnd].lastIndex(of: "@") else { return escaped(url) }
        let host = String(rest[at...])
        return escaped(scheme + "<redacted>" + host)
    }
}
