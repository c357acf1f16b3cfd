import Foundation
import PluginTestSupport
import Testing
import TursoEmulator

/// The released binary needs nothing from the host: run in an empty root
/// (the binary, a CA bundle and an empty /tmp for its socket; no /lib, no
/// /etc/resolv.conf, no /dev), it completes Terraform's AutoMTLS handshake
/// and reaches the Turso API emulator on 127.0.0.1.
///
/// Only a static build can pass, so scripts/test runs this suite against the
/// release binary (TURSO_PROVIDER_BINARY) and leaves it out of the debug and
/// AddressSanitizer runs. Needs root, for chroot (tests and CI run as root).
@Suite("The release binary in an empty root")
struct EmptyRootTests {
    @Test("A static-pie binary: no program interpreter, position-independent")
    func staticPIE() throws {
        let elf = try ELFSummary(path: try releaseBinary())
        #expect(!elf.hasInterpreter, "the binary asks for a dynamic loader")
        #expect(elf.isPositionIndependent, "the binary is not position-independent (no ASLR)")
    }

    @Test("Handshake, ConfigureProvider and a data source read against the emulator, chrooted into a folder with only the binary and a CA bundle")
    func handshakeAndAPICallInEmptyRoot() async throws {
        let binary = try releaseBinary()
        guard getuid() == 0 else { throw ProtocolTestFailure("chroot needs root; run the tests as root, as CI does") }
        let root = try TemporaryDirectory.make()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let files = FileManager.default
        try copyExecutable(binary, to: root + "/terraform-provider-turso")
        try files.createDirectory(atPath: root + "/etc/ssl/certs", withIntermediateDirectories: true)
        if let bundle = ["/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt"].first(where: files.fileExists(atPath:)) {
            try files.copyItem(atPath: bundle, toPath: root + "/etc/ssl/certs/ca-certificates.crt")
        }
        try files.createDirectory(atPath: root + "/tmp", withIntermediateDirectories: false)
        #expect(try files.contentsOfDirectory(atPath: root).sorted() == ["etc", "terraform-provider-turso", "tmp"])

        let emulator = try TursoAPIEmulator.started()
        defer { emulator.stop() }
        var options = PluginLaunchOptions(socketDirectory: "/tmp", clientIdentity: try ClientIdentity.generate(curve: .p521))
        options.binary = "/terraform-provider-turso"
        options.rootDirectory = root
        // Nothing of the host's environment but what Terraform itself sets.
        options.extraEnvironment["PATH"] = "/"
        let session = ProviderSession(plugin: try await launchRetryingBusyText(options))
        #expect(session.plugin.serverCertificatePEM != nil, "AutoMTLS was not negotiated")

        try await session.configure(emulator: emulator)
        let listed = try await session.readDataSource("turso_api_tokens", .object(type: TursoTypes.apiTokens, [:]), as: TursoTypes.apiTokens)
        #expect(listed.diagnostics.isEmpty, "\(listed.diagnostics)")
        #expect(emulator.requestLog().map(\.path) == ["/v1/auth/api-tokens"])
        #expect(emulator.requestLog().first?.status == 200)
        await session.finish()
    }

    /// A copy written through a close-on-exec descriptor: a process that
    /// other tests spawn meanwhile must not inherit it open for writing, or
    /// exec of the copy fails with ETXTBSY.
    private func copyExecutable(_ source: String, to destination: String) throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: source)))
        let fd = open(destination, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o755)
        guard fd >= 0 else { throw ProtocolTestFailure("cannot create \(destination): \(errno)") }
        defer { close(fd) }
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBufferPointer { write(fd, $0.baseAddress, $0.count) }
            guard written > 0 else { throw ProtocolTestFailure("cannot write \(destination): \(errno)") }
            offset += written
        }
    }

    /// Between fork and exec, a child spawned by a parallel test still holds
    /// every descriptor, close-on-exec ones included, so the first exec of a
    /// fresh copy can meet ETXTBSY; it clears within moments.
    private func launchRetryingBusyText(_ options: PluginLaunchOptions) async throws -> LaunchedPlugin {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await LaunchedPlugin.launch(options, timeout: .seconds(60))
            } catch let error as PluginTestError where attempt < 20 && error.description.contains("Text file busy") {
                try await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    private func releaseBinary() throws -> String {
        guard let path = ProcessInfo.processInfo.environment[PluginBinary.overrideVariable], !path.isEmpty else {
            throw ProtocolTestFailure("set \(PluginBinary.overrideVariable) to the release binary (scripts/test does)")
        }
        return path
    }
}

/// The two facts of an ELF executable's header and program headers the
/// suite checks.
private struct ELFSummary {
    var hasInterpreter = false
    var isPositionIndependent = false

    init(path: String) throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        func integer<T: FixedWidthInteger>(_ type: T.Type, at offset: Int) throws -> T {
            guard offset >= 0, offset + MemoryLayout<T>.size <= bytes.count else { throw ProtocolTestFailure("truncated ELF file") }
            return bytes[offset..<(offset + MemoryLayout<T>.size)].reversed().reduce(T.zero) { $0 << 8 | T($1) }
        }
        guard bytes.starts(with: [0x7F, 0x45, 0x4C, 0x46, 2, 1]) else { throw ProtocolTestFailure("not a little-endian ELF64 file") }
        isPositionIndependent = try integer(UInt16.self, at: 16) == 3  // ET_DYN
        let programHeaders = Int(try integer(UInt64.self, at: 32))
        let entrySize = Int(try integer(UInt16.self, at: 54))
        let count = Int(try integer(UInt16.self, at: 56))
        for index in 0..<count where try integer(UInt32.self, at: programHeaders + index * entrySize) == 3 {  // PT_INTERP
            hasInterpreter = true
        }
    }
}
