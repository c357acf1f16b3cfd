import Foundation
import TerraformPlugin

/// Writes the registry pages (docs/) from hand-written templates (templates/)
/// and the provider's live schemas: one page for the provider and one for
/// each resource, data source, ephemeral resource, list resource, action and
/// function it declares, so a type added to the provider without a template
/// fails generation (and the drift test).
///
/// A template is Markdown with these substitutions, named as tfplugindocs
/// names them so the templates read familiar:
/// - `{{ .SchemaMarkdown }}`: the `## Schema` section (``SchemaMarkdown``);
/// - `{{ .Description }}`: the schema block's own description (a function's
///   description on a function page);
/// - on a function page only: `{{ .Summary }}`, `{{ .FunctionSignatureMarkdown }}`
///   (the call with parameter and return types), `{{ .FunctionArgumentsMarkdown }}`
///   (each parameter with its description) and `{{ .FunctionReturnType }}`;
/// - `{{ tffile "examples/..." }}`: that file in a ```` ```terraform ```` fence;
/// - `{{ codefile "shell" "examples/..." }}`: that file in a fence of the language.
/// Anything else between `{{` and `}}` is an error, not passed through.
public struct DocsGenerator: Sendable {
    /// One registry page and where it comes from.
    public struct Page: Sendable {
        /// Relative to the package root: `docs/resources/api_token.md`.
        public var path: String
        /// Relative to the package root: `templates/resources/api_token.md.tmpl`.
        public var template: String
        /// The type's schema; for a function page an empty one (its
        /// parameters are in `function`).
        public var schema: Schema
        /// Set on a function page: the name as called, `provider::turso::<name>`.
        public var function: (name: String, definition: FunctionDefinition)?
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// The package root: templates and examples are read from it.
    public let root: URL
    public let pages: [Page]

    /// The pages of `provider`: `docs/index.md`, then `docs/<kind>/<name>.md`
    /// for each type, `<name>` being the type name without the provider's
    /// prefix (`turso_api_token` → `api_token`), as the registry expects.
    /// Ephemeral resources, list resources and actions get theirs in
    /// docs/ephemeral-resources/, docs/list-resources/ and docs/actions/;
    /// functions in docs/functions/<name>.md (a function's name has no prefix).
    public init(provider: some Provider, root: URL) {
        self.root = root
        var pages = [Page(path: "docs/index.md", template: "templates/index.md.tmpl", schema: provider.schema)]
        let kinds: [(folder: String, types: [(name: String, schema: Schema)])] = [
            ("resources", provider.resources.map { ($0.typeName, $0.schema) }),
            ("data-sources", provider.dataSources.map { ($0.typeName, $0.schema) }),
            ("ephemeral-resources", provider.ephemeralResources.map { ($0.typeName, $0.schema) }),
            ("list-resources", ((provider as? any ProviderWithListResources)?.listResources ?? []).map { ($0.typeName, $0.schema) }),
            ("actions", ((provider as? any ProviderWithActions)?.actions ?? []).map { ($0.typeName, $0.schema) }),
        ]
        for kind in kinds {
            for type in kind.types.sorted(by: { $0.name < $1.name }) {
                let short = type.name.split(separator: "_", maxSplits: 1).last.map(String.init) ?? type.name
                pages.append(Page(
                    path: "docs/\(kind.folder)/\(short).md",
                    template: "templates/\(kind.folder)/\(short).md.tmpl",
                    schema: type.schema
                ))
            }
        }
        let functions = ((provider as? any ProviderWithFunctions)?.functions ?? []).sorted { $0.name < $1.name }
        for function in functions {
            pages.append(Page(
                path: "docs/functions/\(function.name).md",
                template: "templates/functions/\(function.name).md.tmpl",
                schema: Schema(block: SchemaBlock(attributes: [])),
                function: (function.name, function.definition)
            ))
        }
        self.pages = pages
    }

    /// The page as it should be on disk.
    public func render(_ page: Page) throws(Failure) -> String {
        let template: String
        do {
            template = try String(contentsOf: root.appendingPathComponent(page.template), encoding: .utf8)
        } catch {
            throw Failure(description: "\(page.template): cannot read the template of \(page.path) (every type and function the provider declares needs one): \(error)")
        }
        var output = ""
        var rest = Substring(template)
        while let open = rest.range(of: "{{") {
            output += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                throw Failure(description: "\(page.template): `{{` without `}}`")
            }
            let directive = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            output += try expand(directive, page: page)
            rest = rest[close.upperBound...]
        }
        output += rest
        return output
    }

    func expand(_ directive: String, page: Page) throws(Failure) -> String {
        let words = Self.words(directive)
        if let function = page.function, words.count == 1 {
            switch words[0] {
            case ".Description": return function.definition.description.trimmingCharacters(in: .whitespacesAndNewlines)
            case ".Summary": return function.definition.summary.trimmingCharacters(in: .whitespacesAndNewlines)
            case ".FunctionSignatureMarkdown": return FunctionMarkdown.signature(function.name, function.definition)
            case ".FunctionArgumentsMarkdown": return FunctionMarkdown.arguments(function.definition)
            case ".FunctionReturnType": return SchemaMarkdown.typeName(function.definition.returnType)
            default: break
            }
        }
        switch words.first {
        case ".SchemaMarkdown" where words.count == 1 && page.function == nil:
            return SchemaMarkdown.render(page.schema)
        case ".Description" where words.count == 1:
            return page.schema.block.description.trimmingCharacters(in: .whitespacesAndNewlines)
        case "tffile" where words.count == 2:
            return try fence("terraform", words[1], page: page)
        case "codefile" where words.count == 3:
            return try fence(words[1], words[2], page: page)
        default:
            throw Failure(description: "\(page.template): unknown directive {{ \(directive) }}")
        }
    }

    func fence(_ language: String, _ path: String, page: Page) throws(Failure) -> String {
        let code: String
        do {
            code = try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
        } catch {
            throw Failure(description: "\(page.template): cannot read \(path): \(error)")
        }
        return "```\(language)\n\(code.hasSuffix("\n") ? code : code + "\n")```"
    }

    /// Splits `tffile "a b"` into words; quotes group, and are removed.
    static func words(_ text: String) -> [String] {
        var words: [String] = []
        var current = ""
        var quoted = false
        for character in text {
            if character == "\"" {
                quoted.toggle()
            } else if character == " " && !quoted {
                if !current.isEmpty { words.append(current) }
                current = ""
            } else {
                current.append(character)
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    /// Pages under docs/resources and docs/data-sources (and the other type
    /// folders) that no declared type produces: a removed or renamed type.
    public func orphanedPages() -> [String] {
        let generated = Set(pages.map(\.path))
        var orphans: [String] = []
        for folder in ["resources", "data-sources", "ephemeral-resources", "list-resources", "actions", "functions"] {
            let directory = root.appendingPathComponent("docs/\(folder)")
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
            for name in names.sorted() where name.hasSuffix(".md") && !generated.contains("docs/\(folder)/\(name)") {
                orphans.append("docs/\(folder)/\(name)")
            }
        }
        return orphans
    }
}
