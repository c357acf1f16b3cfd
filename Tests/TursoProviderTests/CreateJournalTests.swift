import Foundation
import Testing
@testable import TursoProvider

/// The record of creates sent but not yet seen in a state, which lets the
/// next apply replace a token Terraform abandoned (Ctrl-C twice).
@Suite("Create journal")
struct CreateJournalTests {
    let home = FileManager.default.temporaryDirectory.appendingPathComponent("journal-\(UUID().uuidString)")

    @Test("A recorded create is found for its base URL and name only, until forgotten or too old")
    func recordAndFind() throws {
        defer { try? FileManager.default.removeItem(at: home) }
        let journal = try #require(CreateJournal(environment: ["XDG_CONFIG_HOME": home.path]))
        #expect(journal.directory == home.path + "/terraform-provider-turso/pending-creates")
        let now = UnixTime(seconds: 1_700_000_000)
        let url = "http://127.0.0.1:1"
        #expect(!journal.contains(baseURL: url, name: "ci", now: now))
        journal.record(baseURL: url, name: "ci", now: now)
        #expect(journal.contains(baseURL: url, name: "ci", now: now))
        #expect(!journal.contains(baseURL: url, name: "cI", now: now))
        #expect(!journal.contains(baseURL: url, name: "cafe\u{301}", now: now))
        #expect(!journal.contains(baseURL: "https://api.turso.tech", name: "ci", now: now))
        #expect(journal.contains(baseURL: url, name: "ci", now: UnixTime(seconds: now.seconds + CreateJournal.maxAge)))
        #expect(!journal.contains(baseURL: url, name: "ci", now: UnixTime(seconds: now.seconds + CreateJournal.maxAge + 1)))
        let mode = try FileManager.default.attributesOfItem(atPath: journal.directory)[.posixPermissions] as? Int
        #expect(mode == 0o700)
        journal.forget(baseURL: url, name: "ci")
        #expect(!journal.contains(baseURL: url, name: "ci", now: now))
    }

    @Test("Without an absolute HOME or XDG_CONFIG_HOME there is no journal")
    func nowhere() {
        #expect(CreateJournal(environment: [:]) == nil)
        #expect(CreateJournal(environment: ["HOME": "relative"]) == nil)
    }
}
