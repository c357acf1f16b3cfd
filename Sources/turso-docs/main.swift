// turso-docs: writes docs/ from templates/ and the provider's live schemas
// (scripts/docs runs it). With --check it writes nothing and exits 1 if a
// page differs from what it would write.
//
//   turso-docs [--check] [PACKAGE_ROOT]
import Foundation
import TursoDocs
import TursoProvider

var check = false
var root = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
for argument in CommandLine.arguments.dropFirst() {
    if argument == "--check" { check = true } else { root = URL(fileURLWithPath: argument) }
}

// An empty environment: the schemas do not depend on it, and nothing is configured.
let generator = DocsGenerator(provider: TursoProvider(environment: [:]), root: root)
var failed = false
for page in generator.pages {
    do {
        let text = try generator.render(page)
        let file = root.appendingPathComponent(page.path)
        let current = try? String(contentsOf: file, encoding: .utf8)
        if current == text { continue }
        if check {
            print("\(page.path) differs from \(page.template) + the schema: run scripts/docs")
            failed = true
        } else {
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: file, atomically: true, encoding: .utf8)
            print("wrote \(page.path)")
        }
    } catch {
        print("error: \(error)")
        failed = true
    }
}
for orphan in generator.orphanedPages() {
    print("\(orphan): no type or function of the provider has this page; remove it")
    failed = true
}
exit(failed ? 1 : 0)
