#if canImport(Glibc)
import Glibc
#endif
import TerraformPlugin

/// Chooses the keys that seal private state, once per provider process
/// (`ConfigureProvider`): the configured key and previous keys, or, when no
/// key is configured, a per-user key file created on first use.
enum PrivateStateKeys {
    static let keyFileName = "private-state.key"

    /// This provider's sealing domain. Fixed forever: every sealed private
    /// state in existence is bound to these two strings.
    static let sealingDomain = SealingDomain(
        personalization: "tfturso-pstate-1", context: "terraform-provider-turso/private-state/v1"
    )

    /// The result of resolving keys: a vault, or nil when the key depends on
    /// values not known yet (during plan); diagnostics to show either way.
    static func vault(
        for configuration: ProviderConfiguration, environment: [String: String]
    ) -> (vault: SodiumVault?, diagnostics: [Diagnostic]) {
        let previousSecrets: [String]
        switch configuration.privateStatePreviousKeys {
        case .value(let keys): previousSecrets = keys
        case .unset: previousSecrets = []
        case .unknown: return (nil, [])
        }
        let previous = previousSecrets.map { SealingKey(secret: $0, domain: sealingDomain) }
        switch configuration.privateStateKey {
        case .value(let secret):
            return (SodiumVault(current: SealingKey(secret: secret, domain: sealingDomain), previous: previous), [])
        case .unknown:
            return (nil, [])
        case .unset:
            switch keyFileSecret(environment: environment) {
            case .success(let (secret, path, created)):
                let diagnostics = created ? [ProviderDiagnostics.privateStateKeyFileCreated(path: path)] : []
                return (SodiumVault(current: SealingKey(secret: secret, domain: sealingDomain), previous: previous), diagnostics)
            case .failure(let problem):
                return (nil, [ProviderDiagnostics.privateStateKeyFileFailed(problem.message)])
            }
        }
    }

    struct KeyFileProblem: Error { var message: String }

    /// `$XDG_CONFIG_HOME/terraform-provider-turso/private-state.key`, else
    /// `$HOME/.config/terraform-provider-turso/private-state.key`.
    static func keyFilePath(environment: [String: String]) -> String? {
        if let config = environment["XDG_CONFIG_HOME"], config.hasPrefix("/") {
            return config + "/terraform-provider-turso/" + keyFileName
        }
        guard let home = environment["HOME"], home.hasPrefix("/") else { return nil }
        return home + "/.config/terraform-provider-turso/" + keyFileName
    }

    /// Reads the key file, creating it (mode 0600) when it does not exist.
    /// Terraform starts several provider processes at once, so creation is
    /// atomic: the secret is written to a temporary file that is then
    /// hard-linked into place, which fails if another process won the race,
    /// in which case its file is read instead. Readers never see a partial file.
    static func keyFileSecret(environment: [String: String]) -> Result<(String, String, Bool), KeyFileProblem> {
        guard let path = keyFilePath(environment: environment) else {
            return .failure(KeyFileProblem(message: "Neither XDG_CONFIG_HOME nor HOME is set to an absolute path, so there is nowhere to keep a key file."))
        }
        if let secret = readKeyFile(path) { return secret.map { ($0, path, false) } }

        let directory = String(path[..<path.lastIndex(of: "/")!])
        if let problem = makeDirectories(directory) { return .failure(problem) }
        let secret = SealingKey.generateSecret()
        let temporary = directory + "/.\(keyFileName).\(getpid()).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            return .failure(KeyFileProblem(message: "Could not create \(temporary): \(errnoText())."))
        }
        let contents = Array((secret + "\n").utf8)
        let written = contents.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd)
        close(fd)
        defer { unlink(temporary) }
        guard written == contents.count, synced == 0 else {
            return .failure(KeyFileProblem(message: "Could not write \(temporary): \(errnoText())."))
        }
        if link(temporary, path) == 0 { return .success((secret, path, true)) }
        guard errno == EEXIST, let existing = readKeyFile(path) else {
            return .failure(KeyFileProblem(message: "Could not create \(path): \(errnoText())."))
        }
        return existing.map { ($0, path, false) }
    }

    /// Nil when the file does not exist.
    private static func readKeyFile(_ path: String) -> Result<String, KeyFileProblem>? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return nil }
            return .failure(KeyFileProblem(message: "Could not read \(path): \(errnoText())."))
        }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        var length = 0
        while length < buffer.count {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress! + length, $0.count - length) }
            if count <= 0 { break }
            length += count
        }
        let secret = String(decoding: buffer[..<length], as: UTF8.self).trimmingSpaces()
            .split(whereSeparator: { $0 == "\n" || $0 == "\r" }).first.map(String.init) ?? ""
        guard secret.count >= ProviderConfiguration.minimumPrivateStateKeyLength else {
            return .failure(KeyFileProblem(message: "The key file \(path) holds fewer than \(ProviderConfiguration.minimumPrivateStateKeyLength) characters. Delete it to have a new one created, or put a longer secret in it."))
        }
        return .success(secret)
    }

    private static func makeDirectories(_ directory: String) -> KeyFileProblem? {
        var current = ""
        for component in directory.split(separator: "/") {
            current += "/" + component
            if mkdir(current, 0o700) != 0 && errno != EEXIST {
                return KeyFileProblem(message: "Could not create the folder \(current): \(errnoText()).")
            }
        }
        return nil
    }

    private static func errnoText() -> String { String(cString: strerror(errno)) }
}
