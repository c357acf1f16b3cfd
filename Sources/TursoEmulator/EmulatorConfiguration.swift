import Foundation

/// Who and what the emulator knows at start: users (each with the bearer
/// token it is known by), and organizations with their groups.
public struct EmulatorConfiguration: Sendable {
    /// A Turso user. Its `token` is an unrestricted bearer, like a token from `turso auth token`.
    public struct User: Sendable {
        public var username: String
        public var email: String
        public var token: String
        /// Organization slug -> role. Admins and owners see and revoke every
        /// token of the organization and may mint group-scoped tokens.
        public var memberships: [String: Role]

        public init(username: String, email: String? = nil, token: String, memberships: [String: Role] = [:]) {
            self.username = username
            self.email = email ?? "\(username)@example.com"
            self.token = token
            self.memberships = memberships
        }
    }

    public enum Role: String, Sendable {
        case owner, admin, member, viewer

        var managesOrganization: Bool { self == .owner || self == .admin }
    }

    /// The well-known bearer of the emulator's default user. Emulator-only:
    /// it is accepted by nothing but this emulator.
    public static let defaultAdminToken = "emulator-admin-token"

    public var users: [User]
    /// Organization slug -> names of its groups.
    public var organizations: [String: Set<String>]
    /// 0 picks a free port.
    public var port: UInt16
    /// Receives one line per API request (method, path, status): never
    /// headers or bodies, so never a token.
    public var requestLogger: (@Sendable (String) -> Void)?
    /// The emulator's clock: `created_at` dates and token expiry.
    public var now: @Sendable () -> Date

    public init(
        users: [User],
        organizations: [String: Set<String>] = [:],
        port: UInt16 = 0,
        requestLogger: (@Sendable (String) -> Void)? = nil,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.users = users
        self.organizations = organizations
        self.port = port
        self.requestLogger = requestLogger
        self.now = now
    }

    /// One user per admin token (`admin`, `admin-2`, ...), each the owner of every organization.
    public init(
        adminTokens: [String] = [EmulatorConfiguration.defaultAdminToken],
        organizations: [String: Set<String>] = [:],
        port: UInt16 = 0,
        requestLogger: (@Sendable (String) -> Void)? = nil
    ) {
        let owner = Dictionary(uniqueKeysWithValues: organizations.keys.map { ($0, Role.owner) })
        let users = adminTokens.enumerated().map { index, token in
            User(username: index == 0 ? "admin" : "admin-\(index + 1)", token: token, memberships: owner)
        }
        self.init(users: users, organizations: organizations, port: port, requestLogger: requestLogger)
    }
}
