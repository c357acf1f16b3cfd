import Foundation
import Testing
import TerraformPlugin
@testable import TursoProvider

/// The ephemeral resources' registry pages say what their schemas say, and
/// show their example files verbatim.
@Suite("Ephemeral resource documentation matches the schemas")
struct EphemeralDocsTests {
    static let pages: [(path: String, schema: Schema, example: String)] = [
        ("docs/ephemeral-resources/api_token.md", EphemeralAPITokenResource.schema,
         "examples/ephemeral-resources/turso_api_token/ephemeral-resource.tf"),
        ("docs/ephemeral-resources/timed_token.md", EphemeralTimedTokenResource.schema,
         "examples/ephemeral-resources/turso_timed_token/ephemeral-resource.tf"),
    ]

    @Test("Every description appears on its page, and the example file as it is", arguments: pages.map(\.path))
    func page(path: String) throws {
        let (_, schema, example) = try #require(Self.pages.first { $0.path == path })
        let raw = try String(contentsOf: APITokenDocsTests.root.appendingPathComponent(path), encoding: .utf8)
        let page = APITokenDocsTests.normalized(raw)
        let blockShown = page.contains(APITokenDocsTests.normalized(schema.block.description))
        #expect(blockShown, "the block's description is not on \(path)")
        for attribute in schema.block.attributes {
            let shown = page.contains("- `\(attribute.name)` (") || page.contains("- `\(attribute.name)` ")
            let same = page.contains(APITokenDocsTests.normalized(attribute.description))
            #expect(shown, "\(attribute.name) is not listed on \(path)")
            #expect(same, "the description of \(attribute.name) differs on \(path)")
        }
        let code = try String(contentsOf: APITokenDocsTests.root.appendingPathComponent(example), encoding: .utf8)
        let exampleShown = raw.contains(code)
        #expect(exampleShown, "\(path) does not show \(example) as it is")
    }
}
