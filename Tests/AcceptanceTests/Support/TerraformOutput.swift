extension TerraformWorkspace.Result {
    /// stderr with Terraform's line wrapping undone (runs of whitespace
    /// become one space), so checks can match whole sentences of a diagnostic.
    var unwrappedStderr: String {
        stderr.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}
