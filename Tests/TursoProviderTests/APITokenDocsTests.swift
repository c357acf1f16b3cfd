import Foundation
import Testing
import TerraformPlugin
@testable import TursoProvider

/// The registry pages say what the schemas say: every description Terraform
/// shows appears, word for word, on the page of its resource or data source.
@Suite("turso_api_token documentation matches the schemas")
struct APITokenDocsTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let pages: [(path: String, schema: Schema)] = [
        ("docs/resources/api_token.md", APITokenResource.schema),
        ("docs/data-sources/api_tokens.md", APITokensDataSource.schema),
        ("docs/data-sources/api_token_validation.md", APITokenValidationDataSource.schema),
    ]

    /// Markdown wraps lines where it likes: compare with whitespace collapsed.
    static func normalized(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    @Test("Every description appears on its page", arguments: pages.map(\.path))
    func descriptionsOnPage(path: String) throws {
        let schema = try #require(Self.pages.first { $0.path == path }?.schema)
        let page = Self.normalized(try String(contentsOf: Self.root.appendingPathComponent(path), encoding: .utf8))
        // Booleans first, so a failure names the description rather than printing the page.
        let blockShown = page.contains(Self.normalized(schema.block.description))
        #expect(blockShown, "the block's description is not on \(path)")
        for attribute in schema.block.attributes {
            let shown = page.contains("- `\(attribute.name)` (") || page.contains("- `\(attribute.name)` ")
            let same = page.contains(Self.normalized(attribute.description))
            #expect(shown, "\(attribute.name) is not listed on \(path)")
            #expect(same, "the description of \(attribute.name) differs on \(path)")
        }
    }

    @Test("The page's examples are the example files, verbatim")
    func examplesOnPages() throws {
        let examples: [(page: String, example: String)] = [
            ("docs/resources/api_token.md", "examples/resources/turso_api_token/resource.tf"),
            ("docs/resources/api_token.md", "examples/resources/turso_api_token/import.sh"),
            ("docs/data-sources/api_tokens.md", "examples/data-sources/turso_api_tokens/data-source.tf"),
            ("docs/data-sources/api_token_validation.md", "examples/data-sources/turso_api_token_validation/data-source.tf"),
        ]
        for (page, example) in examples {
            let text = try String(contentsOf: Self.root.appendingPathComponent(page), encoding: .utf8)
            let code = try String(contentsOf: Self.root.appendingPathComponent(example), encoding: .utf8)
            let shown = text.contains(code)
            #expect(shown, "\(page) does not show \(example) as it is")
        }
    }
}
