import Foundation
import Testing

/// Every Terraform example shown on a registry page or in the README passes
/// `terraform validate` when copied alone into an empty folder: no undeclared
/// variables, no references to resources it does not declare, only arguments
/// the schema has. A snippet without a `terraform` block gets only the
/// `required_providers` entry naming this provider, as a user's configuration
/// would have. An example using what only newer Terraform has (ephemeral
/// resources, functions, actions, `list` blocks, identity import, `moved`
/// across types) runs under Terraform 1.15.5; a `list` block goes in a
/// `.tfquery.hcl` file, validated with `validate -query`.
@Suite("Documentation examples validate on their own")
struct DocsExamplesAcceptanceTests {
    static let pages: [String] = {
        let root = Binaries.packageRoot
        var pages = ["README.md", "docs/index.md"]
        for folder in ["resources", "data-sources", "ephemeral-resources", "list-resources", "actions", "functions", "guides"] {
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

    /// Markers of configuration Terraform 1.0.3 rejects.
    static let newerTerraform = ["ephemeral \"", "ephemeral.", "provider::", "action \"", "list \"", "identity", "moved {", "_wo"]

    /// The oldest Terraform the tests have that accepts `example`.
    static func minimumTerraform(for example: String) -> TerraformVersion {
        newerTerraform.contains { example.contains($0) } ? TerraformCLI.v1_15_5 : TerraformCLI.v1_0_3
    }

    /// A `list` block lives in a `.tfquery.hcl` file, beside a configuration.
    static func isQuery(_ example: String) -> Bool {
        example.split(separator: "\n").contains { $0.hasPrefix("list \"") }
    }

    /// Writes `example` into `workspace` as a user would: alone, with the
    /// `terraform` block naming the provider unless it has its own, and a
    /// query example in its own `.tfquery.hcl` file.
    static func place(_ example: String, in workspace: TerraformWorkspace) throws {
        if isQuery(example) {
            try workspace.write("")
            try example.write(to: workspace.directory.appendingPathComponent("example.tfquery.hcl"), atomically: true, encoding: .utf8)
        } else if example.contains("required_providers") {
            try example.write(to: workspace.directory.appendingPathComponent("main.tf"), atomically: true, encoding: .utf8)
        } else {
            try workspace.write(example)
        }
    }

    @Test("The markers pick the Terraform an example needs")
    func markers() throws {
        #expect(Self.minimumTerraform(for: "resource \"turso_timed_token\" \"t\" {\n  name = \"t\"\n}\n") == TerraformCLI.v1_0_3)
        for page in ["docs/ephemeral-resources/api_token.md", "docs/functions/parse_duration.md", "docs/actions/revoke_api_token.md", "docs/list-resources/api_token.md"] {
            let first = try #require(try Self.examples(in: page).first)
            #expect(Self.minimumTerraform(for: first) == TerraformCLI.v1_15_5, "\(page)")
        }
        #expect(try Self.examples(in: "docs/list-resources/api_token.md").contains(where: Self.isQuery))
    }

    @Test("The pages that should have examples do")
    func pagesHaveExamples() throws {
        for page in Self.pages where page != "README.md" {
            #expect(try !Self.examples(in: page).isEmpty, "\(page) shows no example")
        }
    }

    /// The example files the pages include (examples/<kind>/<type>/*.tf).
    static let exampleFiles: [String] = {
        let root = Binaries.packageRoot.appendingPathComponent("examples")
        var files: [String] = []
        let enumerator = FileManager.default.enumerator(atPath: root.path)
        while let path = enumerator?.nextObject() as? String {
            if path.hasSuffix(".tf") && !path.hasPrefix("quickstart/") { files.append("examples/\(path)") }
        }
        return files.sorted()
    }()

    @Test("Each example file applies against the emulator started as the docs say", arguments: exampleFiles)
    func examplesApply(file: String) async throws {
        // As README and docs/index.md start it: organization my-org with its default group.
        let emulator = try EmulatorProcess(organizations: ["my-org"], groups: ["my-org/default"])
        let example = try String(contentsOf: Binaries.packageRoot.appendingPathComponent(file), encoding: .utf8)
        let workspace = try TerraformWorkspace(emulator: emulator, minimumTerraform: Self.minimumTerraform(for: example))
        try Self.place(example, in: workspace)
        // An import example imports a token the user already has: the one
        // its identity names, in the organization the docs use.
        for line in example.split(separator: "\n") where line.contains("identity = { name = \"") {
            let name = line.split(separator: "\"")[1]
            try await emulator.mint(String(name), body: #"{"organization":"my-org"}"#)
        }
        // The provider example's variables, as a user would pass them.
        workspace.environment["TF_VAR_turso_api_token"] = emulator.adminToken
        workspace.environment["TF_VAR_private_state_key"] = "docs-example-private-state-key-0123456789"
        try await workspace.apply()
        try await workspace.destroy()
    }

    @Test("Each example validates alone", arguments: pages)
    func examplesValidate(page: String) async throws {
        for (index, example) in try Self.examples(in: page).enumerated() {
            let workspace = try TerraformWorkspace(minimumTerraform: Self.minimumTerraform(for: example))
            try Self.place(example, in: workspace)
            let result = try await workspace.run(Self.isQuery(example) ? ["validate", "-query", "-no-color"] : ["validate", "-no-color"])
            #expect(result.exitCode == 0, "example \(index + 1) of \(page) does not validate alone:\n\(example)\n\(result)")
        }
    }
}
