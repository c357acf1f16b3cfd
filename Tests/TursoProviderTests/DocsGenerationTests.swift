import Foundation
import Testing
import TerraformPlugin
import TursoDocs
@testable import TursoProvider

/// The registry pages are generated: templates/ for the prose and examples,
/// the provider's live schema for every `## Schema` section. A committed page
/// that differs from what scripts/docs writes fails here, page by page.
@Suite("Registry pages are generated from the schemas")
struct DocsGenerationTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let generator = DocsGenerator(provider: TursoProvider(environment: [:]), root: root)

    @Test("The committed page is what scripts/docs writes", arguments: generator.pages.map(\.path))
    func pageHasNotDrifted(path: String) throws {
        let page = try #require(Self.generator.pages.first { $0.path == path })
        let expected = try Self.generator.render(page)
        let committed = try String(contentsOf: Self.root.appendingPathComponent(path), encoding: .utf8)
        let same = committed == expected
        #expect(same, "\(path) differs from \(page.template) + the schema; run scripts/docs. First difference at line \(Self.firstDifference(committed, expected))")
    }

    @Test("Every type and function of the provider has a page, and every page a type")
    func pagesCoverTheProvider() {
        let provider = TursoProvider(environment: [:])
        let paths = Set(Self.generator.pages.map(\.path))
        let declared = provider.resources.count + provider.dataSources.count + provider.ephemeralResources.count
            + provider.listResources.count + provider.actions.count + provider.functions.count
        #expect(paths.count == 1 + declared)
        #expect(paths.contains("docs/index.md"))
        #expect(paths.contains("docs/resources/api_token.md"))
        #expect(paths.contains("docs/data-sources/api_token_validation.md"))
        for type in provider.ephemeralResources {
            #expect(paths.contains("docs/ephemeral-resources/\(type.typeName.dropFirst("turso_".count)).md"))
        }
        for type in provider.listResources {
            #expect(paths.contains("docs/list-resources/\(type.typeName.dropFirst("turso_".count)).md"))
        }
        for type in provider.actions {
            #expect(paths.contains("docs/actions/\(type.typeName.dropFirst("turso_".count)).md"))
        }
        for function in provider.functions {
            #expect(paths.contains("docs/functions/\(function.name).md"))
        }
        #expect(Self.generator.orphanedPages() == [])
    }

    @Test("A function page shows the signature, each parameter's description and the return type", arguments: generator.pages.compactMap(\.function?.name))
    func functionPage(name: String) throws {
        let page = try #require(Self.generator.pages.first { $0.function?.name == name })
        let definition = try #require(page.function?.definition)
        let text = try String(contentsOf: Self.root.appendingPathComponent(page.path), encoding: .utf8)
        let parameters = definition.parameters.map { "\($0.name) \(FunctionMarkdown.terraformType($0.type))" }.joined(separator: ", ")
        #expect(text.contains("```text\n\(name)(\(parameters)) \(FunctionMarkdown.terraformType(definition.returnType))\n```"))
        for (index, parameter) in definition.parameters.enumerated() {
            #expect(text.contains("\(index + 1). `\(parameter.name)` (\(SchemaMarkdown.typeName(parameter.type))"), "\(parameter.name) is not listed on \(page.path)")
            #expect(text.contains(parameter.description), "the description of \(parameter.name) is not on \(page.path)")
        }
        #expect(text.contains("## Return Type\n\n\(SchemaMarkdown.typeName(definition.returnType))"))
        #expect(text.contains(definition.description.trimmingCharacters(in: .whitespacesAndNewlines)))
    }

    @Test("A function renders as tfplugindocs writes it")
    func functionRendering() {
        let definition = FunctionDefinition(
            parameters: [
                FunctionParameter(name: "text", type: .string, description: "Some text."),
                FunctionParameter(name: "limits", type: .list(.number), description: "Limits.", allowNullValue: true),
            ],
            returnType: .object(["id": .string, "n": .number]),
            summary: "S", description: "D"
        )
        #expect(FunctionMarkdown.signature("f", definition)
            == "\(FunctionMarkdown.marker)\n```text\nf(text string, limits list(number)) object({ id = string, n = number })\n```")
        #expect(FunctionMarkdown.arguments(definition)
            == "\(FunctionMarkdown.marker)\n1. `text` (String) Some text.\n2. `limits` (List of Number, Nullable) Limits.")
    }

    @Test("Every attribute's description is on its page, word for word", arguments: generator.pages.map(\.path))
    func descriptionsOnPage(path: String) throws {
        let page = try #require(Self.generator.pages.first { $0.path == path })
        let text = try String(contentsOf: Self.root.appendingPathComponent(path), encoding: .utf8)
        for attribute in page.schema.block.attributes {
            let listed = text.contains("- `\(attribute.name)` (\(SchemaMarkdown.typeName(attribute.type))")
            let described = text.contains(attribute.description)
            #expect(listed, "\(attribute.name) is not listed on \(path)")
            #expect(described, "the description of \(attribute.name) is not on \(path)")
        }
    }

    @Test("A schema renders in the tfplugindocs layout")
    func rendering() {
        let schema = Schema(block: SchemaBlock(
            attributes: [
                .computed("id", .string, "The id."),
                .required("name", .string, "The name."),
                .optional("tags", .map(.string), "Tags."),
                .optionalComputed("ttl", .number, "Seconds."),
                .computed("secret", .string, sensitive: true, "The secret."),
                .computed("items", .list(.object(["a": .string, "b": .set(.number)])), "The items."),
            ],
            blocks: [
                SchemaNestedBlock(
                    typeName: "limits",
                    block: SchemaBlock(attributes: [.required("max", .number, "At most.")], description: "Limits."),
                    nesting: .list, minItems: 1, maxItems: 1
                ),
            ]
        ))
        let expected = """
            \(SchemaMarkdown.marker)
            ## Schema

            ### Required

            - `limits` (Block List, Min: 1, Max: 1) Limits. (see [below for nested schema](#nestedblock--limits))
            - `name` (String) The name.

            ### Optional

            - `tags` (Map of String) Tags.
            - `ttl` (Number) Seconds.

            ### Read-Only

            - `id` (String) The id.
            - `items` (List of Object) The items. (see [below for nested schema](#nestedatt--items))
            - `secret` (String, Sensitive) The secret.

            <a id="nestedatt--items"></a>
            ### Nested Schema for `items`

            Read-Only:

            - `a` (String)
            - `b` (Set of Number)

            <a id="nestedblock--limits"></a>
            ### Nested Schema for `limits`

            Required:

            - `max` (Number) At most.

            """
        let rendered = SchemaMarkdown.render(schema)
        #expect(rendered == expected, "line \(Self.firstDifference(rendered, expected))")
    }

    @Test("A template with an unknown directive, or naming a missing example, fails")
    func badTemplates() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("docs-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root.appendingPathComponent("templates"), withIntermediateDirectories: true)
        let generator = DocsGenerator(provider: TursoProvider(environment: [:]), root: root)
        let index = try #require(generator.pages.first { $0.path == "docs/index.md" })
        let template = root.appendingPathComponent(index.template)

        try "# x\n{{ .Schema }}\n".write(to: template, atomically: true, encoding: .utf8)
        #expect(throws: DocsGenerator.Failure.self) { try generator.render(index) }
        try "# x\n{{ tffile \"examples/none.tf\" }}\n".write(to: template, atomically: true, encoding: .utf8)
        #expect(throws: DocsGenerator.Failure.self) { try generator.render(index) }
        try "# x\n{{ .SchemaMarkdown }}\n".write(to: template, atomically: true, encoding: .utf8)
        #expect(try generator.render(index).contains("- `private_state_key` (String, Sensitive)"))
        // A resource, an ephemeral resource, a function without a template cannot be rendered.
        for path in ["docs/resources/api_token.md", "docs/ephemeral-resources/timed_token.md", "docs/functions/parse_duration.md", "docs/actions/revoke_api_token.md"] {
            let page = try #require(generator.pages.first { $0.path == path })
            #expect(throws: DocsGenerator.Failure.self) { try generator.render(page) }
        }
        // A function page has no schema section to render.
        let function = try #require(generator.pages.first { $0.path == "docs/functions/parse_duration.md" })
        try FileManager.default.createDirectory(at: root.appendingPathComponent("templates/functions"), withIntermediateDirectories: true)
        try "{{ .SchemaMarkdown }}\n".write(to: root.appendingPathComponent(function.template), atomically: true, encoding: .utf8)
        #expect(throws: DocsGenerator.Failure.self) { try generator.render(function) }
    }

    static func firstDifference(_ a: String, _ b: String) -> String {
        let left = a.split(separator: "\n", omittingEmptySubsequences: false)
        let right = b.split(separator: "\n", omittingEmptySubsequences: false)
        for index in 0..<max(left.count, right.count) {
            let l = index < left.count ? String(left[index]) : "<end>"
            let r = index < right.count ? String(right[index]) : "<end>"
            if l != r { return "\(index + 1): have \(l.debugDescription), want \(r.debugDescription)" }
        }
        return "none"
    }
}
