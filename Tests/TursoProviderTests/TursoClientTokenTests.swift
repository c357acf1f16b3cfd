import Foundation
import Testing
import TursoEmulator
import TursoProvider

@Suite("Turso client: token calls against the emulator")
struct TursoClientTokenTests {
    @Test("Creating an unrestricted token returns its value, which works as a bearer")
    func createUnrestricted() async throws {
        let emulator = try startedEmulator()
        let client = client(of: emulator)
        let created = try await client.createToken(name: "plain")
        #expect(created.name == "plain")
        #expect(!created.id.isEmpty)
        #expect(created.token.split(separator: ".").count == 3)
        let listed = try #require(try await client.token(named: "plain"))
        #expect(listed == APIToken(name: "plain", id: created.id, createdAt: listed.createdAt))
        #expect(try await client.validate(token: created.token) == .valid(expiresAt: nil))
        #expect(emulator.loggedCalls.first == "POST /v1/auth/api-tokens/plain 200")
    }

    @Test("Creating an organization-scoped token sends the organization")
    func createOrganizationScoped() async throws {
        let emulator = try startedEmulator()
        let client = client(of: emulator)
        let created = try await client.createToken(name: "org-bot", organization: "my-org")
        let listed = try #require(try await client.token(named: "org-bot"))
        #expect(listed.id == created.id)
        #expect(listed.organization == "my-org")
        #expect(listed.group == nil && listed.scopes == nil)
    }

    @Test("Creating a group-scoped token sends organization, group and scopes; presets come back expanded")
    func createGroupScoped() async throws {
        let emulator = try startedEmulator()
        let client = client(of: emulator)
        _ = try await client.createToken(name: "grp", organization: "my-org", group: "default", scopes: ["read-only", "db:mint-token"])
        let listed = try #require(try await client.token(named: "grp"))
        #expect(listed.organization == "my-org")
        #expect(listed.group == "default")
        #expect(listed.scopes == ["read", "db:mint-token"])
        #expect(listed.createdAt?.wholeMatch(of: /\d{4}-\d{2}-\d{2}/) != nil)
    }

    @Test("Listing returns every token of the user; a missing name looks up as nil")
    func listAndLookup() async throws {
        let emulator = try startedEmulator()
        let client = client(of: emulator)
        for name in ["a", "b", "c"] { _ = try await client.createToken(name: name) }
        #expect(try await client.listTokens().map(\.name).sorted() == ["a", "b", "c"])
        #expect(try await client.token(named: "zzz") == nil)
    }

    @Test("Listing an organization's tokens gives their owners")
    func listOrganization() async throws {
        let emulator = try startedEmulator()
        let client = client(of: emulator)
        let created = try await client.createToken(name: "org-one", organization: "my-org")
        _ = try await client.createToken(name: "free")
        let tokens = try await client.listTokens(organization: "my-org")
        #expect(tokens.map(\.id) == [created.id])
        #expect(tokens.first?.owner == APIToken.Owner(username: "admin", email: "admin@example.com"))
        #expect(emulator.loggedCalls.contains("GET /v1/organizations/my-org/api-tokens 200"))
    }

    @Test("Revoking by name removes the token and makes its value invalid")
    func revokeByName() async throws {
        let emulator = try startedEmulator()
        let client = client(of: emulator)
        let created = try await client.createToken(name: "gone")
        try await client.revokeToken(name: "gone")
        #expect(try await client.token(named: "gone") == nil)
        #expect(try await client.validate(token: created.token) == .invalid)
        #expect(emulator.loggedCalls.contains("DELETE /v1/auth/api-tokens/gone 200"))
    }

    @Test("Revoking by organization and id removes the token")
    func revokeByOrganizationAndID() async throws {
        let emulator = try startedEmulator()
        let client = client(of: emulator)
        let created = try await client.createToken(name: "org-gone", organization: "my-org")
        try await client.revokeOrganizationToken(organization: "my-org", id: created.id)
        #expect(try await client.listTokens(organization: "my-org").isEmpty)
        #expect(emulator.loggedCalls.contains("DELETE /v1/organizations/my-org/api-tokens/\(created.id) 200"))
    }

    @Test("Validate reports the expiry Turso gives, and invalid for an unknown value")
    func validateExpiry() async throws {
        let emulator = try startedEmulator()
        let client = client(of: emulator)
        let created = try await client.createToken(name: "expiring")
        emulator.setExpiry(name: "expiring", expiresAt: 4_102_444_800)
        #expect(try await client.validate(token: created.token) == .valid(expiresAt: UnixTime(seconds: 4_102_444_800)))
        #expect(try await client.validate(token: "not-a-real-token") == .invalid)
    }

    @Test("Every request carries the User-Agent given to the client")
    func userAgent() async throws {
        let emulator = try startedEmulator()
        let client = client(of: emulator)
        _ = try await client.createToken(name: "ua")
        _ = try await client.listTokens()
        try await client.revokeToken(name: "ua")
        #expect(emulator.requestLog().count == 3)
        #expect(emulator.requestLog().allSatisfy { $0.userAgent == "terraform-provider-turso/test" })
    }

    @Test("Calls share one kept-alive connection, while each create gets a connection of its own")
    func connectionReuse() async throws {
        let emulator = try startedEmulator()
        let client = client(of: emulator) { $0.listCacheLifetime = .zero }
        for _ in 0..<5 { _ = try await client.listTokens() }
        _ = try await client.validate(token: emulatorAdminToken)
        #expect(emulator.acceptedConnections == 1)
        _ = try await client.createToken(name: "one")
        _ = try await client.createToken(name: "two")
        #expect(emulator.acceptedConnections == 3)
        _ = try await client.listTokens()
        #expect(emulator.acceptedConnections == 3)
    }

    @Test("Names are percent-encoded into the path")
    func nameEncoding() async throws {
        let emulator = try startedEmulator()
        let client = client(of: emulator)
        let error = await apiError { _ = try await client.createToken(name: "has space/slash") }
        #expect(error?.kind == .invalidRequest)
        #expect(emulator.loggedCalls == ["POST /v1/auth/api-tokens/has%20space%2Fslash 400"])
    }

    @Test("An empty name is refused before anything is sent")
    func emptyName() async throws {
        let emulator = try startedEmulator()
        let client = client(of: emulator)
        let error = await apiError { _ = try await client.createToken(name: "") }
        #expect(error?.kind == .invalidRequest)
        #expect(error?.detail.contains("Nothing was sent") == true)
        #expect(emulator.requestLog().isEmpty)
    }

    @Test("A created token never shows its value when printed or dumped")
    func createdTokenRedaction() {
        let created = CreatedAPIToken(name: "n", id: "i", token: "super-secret-value")
        var dumped = ""
        dump(created, to: &dumped)
        for text in [created.description, String(reflecting: created), "\(created)", dumped] {
            #expect(!text.contains("super-secret-value"))
            #expect(text.contains("<redacted>"))
        }
    }
}
