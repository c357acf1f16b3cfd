import Foundation
import Testing

/// Every Terraform example shown on a registry page or in the README passes
/// `terraform validate` when copied alone into an empty folder: no undeclared
/// variables, no references to resources it does not declare, only arguments
/// the schema has. A snippet without a `terraform` block gets only the
/// `required_providers` entry naming this provider, as a user's configuration
/// would have.
@Suite("Documentation examples validate on their own")
struct DocsExamplesAcceptanceTests {
    static let pages: [String] = {
        let root = Binaries.packageRoot
        var pages = ["README.md", "docs/index.md"]
        for folder in ["resources", "data-sources", "ephemeral-resources", "functions", "guides"] {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("docs/\(folder)").path)) ?? []
            pages += names.filter { $0.hasSuffix(".md") }.sorted().map { "docs/\(folder)/\($0)" }
        }
        return pages
    }()

    /// The ```` ```terraform ```` (or `hcl`) fences of a Markdown page.
    static func examples(in page: String) throws -> [String] {
        let text = try String(contentsOf: Binaries.packageRoot.appendingPathComponent(page), encoding: .utf8)
        var blocks: [String] = []
        var current: [Substring]? = nil
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if current == nil, line == "```terraform" || line == "```hcl" {
                current = []
            } else if current != nil, line == "```" {
                blocks.append(current!.joined(separator: "\n") + "\n")
                current = nil
            } else {
                current?.append(line)
            }
        }
        return blocks
    }

    @Test("The pages that should have examples do")
    func pagesHaveExamples() throws {
        for page in Self.pages where page != "README.md" {
            #expect(try !Self.examples(in: page).isEmpty, "\(page) shows no example")
        }
    }

    @Test("Each example validates alone", arguments: pages)
    func examplesValidate(page: String) async throws {
        for (index, example) in try Self.examples(in: page).enumerated() {
            let workspace = try TerraformWorkspace()
            if example.contains("required_providers") {
                try example.write(to: workspace.directory.appendingPathComponent("main.tf"), atomically: true, encoding: .utf8)
            } else {
                try workspace.write(example)
            }
            let result = try await workspace.run(["validate", "-no-color"])
            #expect(result.exitCode == 0, "example \(index + 1) of \(page) does not validate alone:\n\(example)\n\(result)")
        }
    }
}
