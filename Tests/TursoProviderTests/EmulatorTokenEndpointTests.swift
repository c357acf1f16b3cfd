import Foundation
import Testing
import TursoEmulator

@Suite("Turso API emulator: token endpoints over HTTP")
struct EmulatorTokenEndpointTests {
    static let allScopes = [
        "read", "db:create", "db:delete", "db:configure", "db:mint-token", "db:rotate-creds",
        "group:configure", "group:mint-token", "group:rotate-creds",
    ]

    @Test("Creating a token answers its name, an id and a JWT-shaped value")
    func createAnswersNameIdAndToken() throws {
        let emulator = try startedEmulator()
        let created = try emulator.mint("ci-bot")
        #expect(created["name"] as? String == "ci-bot")
        let id = try #require(created["id"] as? String)
        #expect(id.count == 22)
        let token = try #require(created["token"] as? String)
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        #expect(parts.count == 3)
        let base64URL = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        for part in parts {
            #expect(!part.isEmpty && part.unicodeScalars.allSatisfy(base64URL.contains))
        }
        #expect(Set(created.keys) == ["name", "id", "token"])
    }

    @Test("Two tokens never share an id or a value")
    func mintedValuesAreDistinct() throws {
        let emulator = try startedEmulator()
        let first = try emulator.mint("one")
        let second = try emulator.mint("two")
        #expect(first["id"] as? String != second["id"] as? String)
        #expect(first["token"] as? String != second["token"] as? String)
    }

    @Test("A listed token has no value, omits absent fields and carries created_at as YYYY-MM-DD")
    func listShape() throws {
        let emulator = try startedEmulator()
        let created = try emulator.mint("plain")
        let response = try emulator.request("GET", "/v1/auth/api-tokens")
        #expect(response.status == 200)
        #expect(!response.text.contains(created["token"] as! String))
        let tokens = try #require(response.json["tokens"] as? [[String: Any]])
        #expect(tokens.count == 1)
        let token = tokens[0]
        #expect(Set(token.keys) == ["name", "id", "created_at"])
        #expect(token["id"] as? String == created["id"] as? String)
        let createdAt = try #require(token["created_at"] as? String)
        #expect(createdAt.wholeMatch(of: /\d{4}-\d{2}-\d{2}/) != nil)
    }

    @Test("Organization- and group-scoped tokens are listed with their restriction, presets expanded")
    func scopedTokensAndPresets() throws {
        let emulator = try startedEmulator()
        try emulator.mint("org", body: #"{"organization":"my-org"}"#)
        try emulator.mint("reader", body: #"{"organization":"my-org","group":"default","scopes":["read-only"]}"#)
        try emulator.mint("admin", body: #"{"organization":"my-org","group":"default","scopes":["full-access"]}"#)
        try emulator.mint("mixed", body: #"{"organization":"my-org","group":"default","scopes":["db:mint-token","read-only","db:create","read"]}"#)
        let tokens = Dictionary(uniqueKeysWithValues: try emulator.listed().map { ($0["name"] as! String, $0) })
        #expect(tokens["org"]?["organization"] as? String == "my-org")
        #expect(tokens["org"]?["group"] == nil && tokens["org"]?["scopes"] == nil)
        #expect(tokens["reader"]?["group"] as? String == "default")
        #expect(tokens["reader"]?["scopes"] as? [String] == ["read"])
        #expect(tokens["admin"]?["scopes"] as? [String] == Self.allScopes)
        #expect(tokens["mixed"]?["scopes"] as? [String] == ["read", "db:create", "db:mint-token"])
    }

    @Test("A duplicate name is refused with 409 for the same user, and is free for another user")
    func duplicateNamesPerUser() throws {
        let emulator = try startedEmulator(EmulatorConfiguration(adminTokens: ["first-admin-token", "second-admin-token"]))
        try emulator.mint("shared", bearer: "first-admin-token")
        let again = try emulator.request("POST", "/v1/auth/api-tokens/shared", bearer: "first-admin-token")
        #expect(again.status == 409)
        #expect((again.json["error"] as? String)?.contains("already exists") == true)
        try emulator.mint("shared", bearer: "second-admin-token")
        #expect(try emulator.listed(bearer: "second-admin-token").count == 1)
    }

    @Test(
        "Invalid bodies and names are refused with 400 and a JSON error",
        arguments: [
            ("ok-name", #"{"group":"default","scopes":["read"]}"#, "group requires organization"),
            ("ok-name", #"{"organization":"my-org","group":"default"}"#, "non-empty scopes"),
            ("ok-name", #"{"organization":"my-org","group":"default","scopes":[]}"#, "non-empty scopes"),
            ("ok-name", #"{"organization":"my-org","group":"default","scopes":["db:drop"]}"#, "unknown scope \"db:drop\""),
            ("ok-name", #"{"organization":"my-org","scopes":["read"]}"#, "scopes apply only to group-scoped tokens"),
            ("ok-name", #"{"organization":"my-org""#, "malformed JSON"),
            ("ok-name", #"["my-org"]"#, "must be a JSON object"),
            ("ok-name", #"{"organization":42}"#, "organization must be a non-empty string"),
            ("ok-name", #"{"organization":"my-org","group":"default","scopes":"read"}"#, "scopes must be a list of strings"),
            ("ok-name", #"{"org":"my-org"}"#, "unknown field"),
            ("bad%20name", nil, "invalid token name"),
            ("semi;colon", nil, "invalid token name"),
            (String(repeating: "x", count: 65), nil, "invalid token name"),
        ] as [(String, String?, String)]
    )
    func invalidRequests(name: String, body: String?, message: String) throws {
        let emulator = try startedEmulator()
        let response = try emulator.request("POST", "/v1/auth/api-tokens/\(name)", body: body)
        #expect(response.status == 400)
        #expect((response.json["error"] as? String)?.contains(message) == true, "\(response.text)")
        #expect(try emulator.listed().isEmpty)
    }

    @Test("Creating for an unknown organization or group answers 404")
    func unknownOrganizationOrGroup() throws {
        let emulator = try startedEmulator()
        let organization = try emulator.request("POST", "/v1/auth/api-tokens/t", body: #"{"organization":"nope"}"#)
        #expect(organization.status == 404)
        #expect((organization.json["error"] as? String)?.contains("organization nope not found") == true)
        let group = try emulator.request(
            "POST", "/v1/auth/api-tokens/t", body: #"{"organization":"my-org","group":"nope","scopes":["read"]}"#
        )
        #expect(group.status == 404)
        #expect((group.json["error"] as? String)?.contains("group nope not found") == true)
    }

    @Test("Missing, unknown and revoked bearers get 401; a minted token is a bearer until revoked")
    func bearerAuthentication() throws {
        let emulator = try startedEmulator()
        for bearer in [nil, "not-a-token"] as [String?] {
            let response = try emulator.request("GET", "/v1/auth/api-tokens", bearer: bearer)
            #expect(response.status == 401)
            #expect(response.json["error"] is String)
            #expect(bearer.map { !response.text.contains($0) } ?? true)
        }
        let minted = try #require(try emulator.mint("bearer")["token"] as? String)
        #expect(try emulator.request("GET", "/v1/auth/api-tokens", bearer: minted).status == 200)
        let revoked = try emulator.request("DELETE", "/v1/auth/api-tokens/bearer")
        #expect(revoked.status == 200)
        #expect(revoked.json["token"] as? String == "bearer")
        let after = try emulator.request("GET", "/v1/auth/api-tokens", bearer: minted)
        #expect(after.status == 401)
        #expect(!after.text.contains(minted))
    }

    @Test("Revoking an unknown token answers 404")
    func revokeUnknown() throws {
        let emulator = try startedEmulator()
        let response = try emulator.request("DELETE", "/v1/auth/api-tokens/ghost")
        #expect(response.status == 404)
        #expect(response.json["error"] is String)
    }

    @Test("Validate answers -1 without expiry, the expiry once set, and 401 once expired or revoked")
    func validate() throws {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let emulator = try startedEmulator(EmulatorConfiguration(
            users: [.init(username: "admin", token: emulatorAdminToken)], now: { now }
        ))
        #expect(try emulator.request("GET", "/v1/auth/validate").json["exp"] as? Int == -1)
        let minted = try #require(try emulator.mint("v")["token"] as? String)
        #expect(try emulator.request("GET", "/v1/auth/validate", bearer: minted).json["exp"] as? Int == -1)
        #expect(emulator.setExpiry(name: "v", expiresAt: 1_800_000_600))
        #expect(try emulator.request("GET", "/v1/auth/validate", bearer: minted).json["exp"] as? Int == 1_800_000_600)
        emulator.setExpiry(name: "v", expiresAt: 1_800_000_000)
        #expect(try emulator.request("GET", "/v1/auth/validate", bearer: minted).status == 401)
        emulator.setExpiry(name: "v", expiresAt: nil)
        #expect(emulator.revokeOutOfBand(name: "v"))
        #expect(try emulator.request("GET", "/v1/auth/validate", bearer: minted).status == 401)
        #expect(try emulator.request("GET", "/v1/auth/validate", bearer: nil).status == 401)
    }

    @Test("The organization listing holds its org- and group-scoped tokens with owners, not unrestricted ones")
    func organizationListing() throws {
        let emulator = try startedEmulator(EmulatorConfiguration(organizations: ["my-org": ["default"], "other-org": []]))
        try emulator.mint("unrestricted")
        try emulator.mint("org", body: #"{"organization":"my-org"}"#)
        try emulator.mint("group", body: #"{"organization":"my-org","group":"default","scopes":["read-only"]}"#)
        try emulator.mint("elsewhere", body: #"{"organization":"other-org"}"#)
        let response = try emulator.request("GET", "/v1/organizations/my-org/api-tokens")
        #expect(response.status == 200)
        let tokens = try #require(response.json["tokens"] as? [[String: Any]])
        #expect(Set(tokens.map { $0["name"] as! String }) == ["org", "group"])
        for token in tokens {
            #expect(token["organization"] as? String == "my-org")
            let owner = try #require(token["owner"] as? [String: String])
            #expect(owner == ["username": "admin", "email": "admin@example.com"])
        }
        #expect(try emulator.request("GET", "/v1/organizations/nope/api-tokens").status == 404)
    }

    @Test("Organization revoke takes an id, and an id of another organization answers 404")
    func organizationRevoke() throws {
        let emulator = try startedEmulator(EmulatorConfiguration(organizations: ["my-org": [], "other-org": []]))
        let mine = try #require(try emulator.mint("mine", body: #"{"organization":"my-org"}"#)["id"] as? String)
        let theirs = try #require(try emulator.mint("theirs", body: #"{"organization":"other-org"}"#)["id"] as? String)
        let unrestricted = try #require(try emulator.mint("free")["id"] as? String)
        #expect(try emulator.request("DELETE", "/v1/organizations/my-org/api-tokens/\(theirs)").status == 404)
        #expect(try emulator.request("DELETE", "/v1/organizations/my-org/api-tokens/\(unrestricted)").status == 404)
        let revoked = try emulator.request("DELETE", "/v1/organizations/my-org/api-tokens/\(mine)")
        #expect(revoked.status == 200)
        #expect(revoked.json["token"] as? String == mine)
        #expect(Set(try emulator.listed().map { $0["name"] as! String }) == ["theirs", "free"])
    }

    @Test("Members see only their own organization tokens, without owners, and may not revoke others' (403)")
    func memberRestrictions() throws {
        let emulator = try startedEmulator(EmulatorConfiguration(
            users: [
                .init(username: "owner", token: "owner-token", memberships: ["my-org": .owner]),
                .init(username: "member", token: "member-token", memberships: ["my-org": .member]),
                .init(username: "outsider", token: "outsider-token"),
            ],
            organizations: ["my-org": ["default"]]
        ))
        let ownerToken = try #require(try emulator.mint("owned", body: #"{"organization":"my-org"}"#, bearer: "owner-token")["id"] as? String)
        try emulator.mint("members", body: #"{"organization":"my-org"}"#, bearer: "member-token")
        let listed = try emulator.request("GET", "/v1/organizations/my-org/api-tokens", bearer: "member-token")
        let tokens = try #require(listed.json["tokens"] as? [[String: Any]])
        #expect(tokens.map { $0["name"] as! String } == ["members"])
        #expect(tokens[0]["owner"] == nil)
        #expect(try emulator.request("DELETE", "/v1/organizations/my-org/api-tokens/\(ownerToken)", bearer: "member-token").status == 403)
        let group = try emulator.request(
            "POST", "/v1/auth/api-tokens/g", bearer: "member-token", body: #"{"organization":"my-org","group":"default","scopes":["read"]}"#
        )
        #expect(group.status == 403)
        #expect(try emulator.request("GET", "/v1/organizations/my-org/api-tokens", bearer: "outsider-token").status == 403)
        #expect(try emulator.request("POST", "/v1/auth/api-tokens/x", bearer: "outsider-token", body: #"{"organization":"my-org"}"#).status == 403)
    }

    @Test("Restricted bearers: group-scoped ones cannot manage tokens, org-scoped ones stay in their organization")
    func restrictedBearers() throws {
        let emulator = try startedEmulator(EmulatorConfiguration(organizations: ["my-org": ["default"], "other-org": []]))
        let groupBearer = try #require(
            try emulator.mint("g", body: #"{"organization":"my-org","group":"default","scopes":["full-access"]}"#)["token"] as? String
        )
        #expect(try emulator.request("GET", "/v1/auth/api-tokens", bearer: groupBearer).status == 403)
        #expect(try emulator.request("POST", "/v1/auth/api-tokens/x", bearer: groupBearer).status == 403)
        #expect(try emulator.request("GET", "/v1/auth/validate", bearer: groupBearer).status == 200)

        let orgBearer = try #require(try emulator.mint("o", body: #"{"organization":"my-org"}"#)["token"] as? String)
        #expect(try emulator.request("POST", "/v1/auth/api-tokens/y", bearer: orgBearer, body: #"{"organization":"my-org"}"#).status == 200)
        #expect(try emulator.request("POST", "/v1/auth/api-tokens/z", bearer: orgBearer, body: #"{"organization":"other-org"}"#).status == 403)
        #expect(try emulator.request("POST", "/v1/auth/api-tokens/z", bearer: orgBearer).status == 403)
        #expect(try emulator.request("GET", "/v1/organizations/other-org/api-tokens", bearer: orgBearer).status == 403)
    }

    @Test("Unknown paths answer 404 and known paths with another method 405, both as JSON errors")
    func unknownPaths() throws {
        let emulator = try startedEmulator()
        let unknown = try emulator.request("GET", "/v2/nothing")
        #expect(unknown.status == 404)
        #expect(unknown.headers["content-type"] == "application/json")
        #expect(unknown.json["error"] is String)
        let wrongMethod = try emulator.request("PUT", "/v1/auth/api-tokens/x")
        #expect(wrongMethod.status == 405)
        #expect(wrongMethod.json["error"] is String)
    }
}
