#if canImport(Glibc)
import Glibc
#endif
import TerraformPlugin

/// `terraform-provider-turso unseal`: reads a `sealed_token` on stdin and
/// prints the token, for a human or a script outside Terraform (inside
/// Terraform, nothing but the provider ever holds the value). Keys come from
/// `TURSO_PRIVATE_STATE_KEY` and `TURSO_PRIVATE_STATE_PREVIOUS_KEYS`, as for
/// the provider. Exit 0 with the token and a newline on stdout; else exit 1
/// with one explanation on stderr, which never holds a secret.
public enum UnsealCommand {
    public static let usage = "usage: terraform output -raw <name> | terraform-provider-turso unseal"

    /// The outcome as text, with no I/O: what `main` prints.
    public static func run(arguments: [String], input: [UInt8], environment: [String: String]) -> (stdout: String, stderr: String, status: Int32) {
        func failure(_ message: String) -> (String, String, Int32) { ("", "terraform-provider-turso unseal: \(message)\n", 1) }
        guard arguments.isEmpty else { return failure("unexpected argument \"\(arguments[0])\"; the sealed_token is read on stdin.\n\(usage)") }
        guard let secret = environment["TURSO_PRIVATE_STATE_KEY"], !secret.isEmpty else {
            return failure(
                "TURSO_PRIVATE_STATE_KEY is not set. Set it to the provider's private_state_key (or, if the provider used its per-user key file because none was configured, to the contents of that file)."
            )
        }
        let previous = (environment["TURSO_PRIVATE_STATE_PREVIOUS_KEYS"] ?? "").split(separator: ",")
            .map { String($0).trimmingSpaces() }.filter { !$0.isEmpty }
        let vault = SodiumVault(current: SealingKey(secret: secret, domain: PrivateStateKeys.sealingDomain), previous: previous.map { SealingKey(secret: $0, domain: PrivateStateKeys.sealingDomain) })
        let text = String(String(decoding: input, as: UTF8.self).split(whereSeparator: \.isWhitespace).joined())
        guard !text.isEmpty else { return failure("no sealed_token on stdin.\n\(usage)") }
        switch SealedToken.open(text, vault: vault) {
        case .success(let token): return (token + "\n", "", 0)
        case .failure(let error): return failure(error.message)
        }
    }

    /// Runs the command on the process's stdin, stdout and stderr.
    public static func main(arguments: [String], environment: [String: String]) -> Int32 {
        var input: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        // A sealed token is a few hundred bytes; stop well past any real one.
        while input.count <= 1 << 20 {
            let count = chunk.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            input += chunk[..<count]
        }
        let (stdout, stderr, status) = run(arguments: arguments, input: input, environment: environment)
        writeAll(1, stdout)
        writeAll(2, stderr)
        return status
    }

    private static func writeAll(_ fd: Int32, _ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let count = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { return }
            bytes = bytes.dropFirst(count)
        }
    }
}
