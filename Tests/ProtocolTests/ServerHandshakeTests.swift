import Foundation
import Testing
import TerraformPlugin

@Suite("Plugin server handshake, routing and built-in services")
struct ServerHandshakeTests {
    private static let cookie = PluginServerConfiguration().magicCookieValue

    private func negotiate(_ environment: [String: String]) -> Result<Handshake.Request, PluginServerError> {
        Handshake.negotiate(PluginServerConfiguration(), environment: { environment[$0] })
    }

    @Test("Without the magic cookie, or with a wrong one, the host is told this is a plugin")
    func missingCookie() {
        #expect(negotiate(["PLUGIN_PROTOCOL_VERSIONS": "6"]) == .failure(.notLaunchedByHost))
        #expect(negotiate(["TF_PLUGIN_MAGIC_COOKIE": "nope", "PLUGIN_PROTOCOL_VERSIONS": "6"]) == .failure(.notLaunchedByHost))
        #expect(PluginServerError.notLaunchedByHost.description.contains("This binary is a plugin."))
    }

    @Test("The cookie key and value can be configured")
    func configuredCookie() {
        var configuration = PluginServerConfiguration()
        configuration.magicCookieKey = "OTHER_COOKIE"
        configuration.magicCookieValue = "abc"
        let accepted = Handshake.negotiate(configuration) { ["OTHER_COOKIE": "abc", "PLUGIN_PROTOCOL_VERSIONS": "6"][$0] }
        #expect(accepted.map(\.protocolVersion) == .success(6))
        let refused = Handshake.negotiate(configuration) { ["TF_PLUGIN_MAGIC_COOKIE": Self.cookie, "PLUGIN_PROTOCOL_VERSIONS": "6"][$0] }
        #expect(refused == .failure(.notLaunchedByHost))
    }

    @Test("Protocol 6 is chosen from a comma list, spaces allowed")
    func chooses6() {
        for offered in ["6", "5,6", "6,5", " 5 , 6 ", "4,x,6"] {
            let result = negotiate(["TF_PLUGIN_MAGIC_COOKIE": Self.cookie, "PLUGIN_PROTOCOL_VERSIONS": offered])
            #expect(result.map(\.protocolVersion) == .success(6), "offered \(offered)")
        }
    }

    @Test("When 6 is not offered the error names what was offered and what we speak")
    func six_notOffered() throws {
        let result = negotiate(["TF_PLUGIN_MAGIC_COOKIE": Self.cookie, "PLUGIN_PROTOCOL_VERSIONS": "4,5"])
        guard case .failure(let error) = result else { Issue.record("accepted \(result)"); return }
        #expect(error.description.contains("PLUGIN_PROTOCOL_VERSIONS=4,5"))
        #expect(error.description.contains("protocol version 6"))
        for offered in [nil, "", "16", "60"] as [String?] {
            var environment = ["TF_PLUGIN_MAGIC_COOKIE": Self.cookie]
            environment["PLUGIN_PROTOCOL_VERSIONS"] = offered
            #expect((try? negotiate(environment).get()) == nil, "offered \(offered ?? "nothing")")
        }
    }

    @Test("The socket folder is PLUGIN_UNIX_SOCKET_DIR, else TMPDIR, else /tmp")
    func socketDirectory() {
        let base = ["TF_PLUGIN_MAGIC_COOKIE": Self.cookie, "PLUGIN_PROTOCOL_VERSIONS": "6"]
        func directory(_ extra: [String: String]) -> String? {
            try? negotiate(base.merging(extra) { $1 }).get().socketDirectory
        }
        #expect(directory(["PLUGIN_UNIX_SOCKET_DIR": "/a", "TMPDIR": "/b"]) == "/a")
        #expect(directory(["PLUGIN_UNIX_SOCKET_DIR": "", "TMPDIR": "/b"]) == "/b")
        #expect(directory(["TMPDIR": "/b"]) == "/b")
        #expect(directory([:]) == "/tmp")
    }

    @Test("A client certificate is required only when PLUGIN_CLIENT_CERT is set and not empty")
    func clientCertificate() {
        let base = ["TF_PLUGIN_MAGIC_COOKIE": Self.cookie, "PLUGIN_PROTOCOL_VERSIONS": "6"]
        #expect((try? negotiate(base.merging(["PLUGIN_CLIENT_CERT": "PEM"]) { $1 }).get())?.clientCertificatePEM == "PEM")
        #expect((try? negotiate(base.merging(["PLUGIN_CLIENT_CERT": ""]) { $1 }).get())?.clientCertificatePEM == nil)
        #expect((try? negotiate(base).get())?.clientCertificatePEM == nil)
    }

    @Test("The handshake line has go-plugin's six fields")
    func line() {
        #expect(Handshake.line(protocolVersion: 6, socketPath: "/tmp/p", certificateBase64: "QUJD") == "1|6|unix|/tmp/p|grpc|QUJD\n")
        #expect(Handshake.line(protocolVersion: 6, socketPath: "/tmp/p", certificateBase64: "") == "1|6|unix|/tmp/p|grpc|\n")
    }

    @Test("Base64 for the certificate is standard and unpadded")
    func base64() {
        #expect(Base64.encodeWithoutPadding([]) == "")
        #expect(Base64.encodeWithoutPadding(Array("f".utf8)) == "Zg")
        #expect(Base64.encodeWithoutPadding(Array("fo".utf8)) == "Zm8")
        #expect(Base64.encodeWithoutPadding(Array("foo".utf8)) == "Zm9v")
        #expect(Base64.encodeWithoutPadding([0xfb, 0xff, 0xbf]) == "+/+/")
    }

    @Test("Socket paths are fresh, in the folder, and refused when too long for sun_path")
    func socketPaths() throws {
        let first = try PluginSocket.uniquePath(in: "/tmp/")
        let second = try PluginSocket.uniquePath(in: "/tmp")
        #expect(first != second)
        #expect(first.hasPrefix("/tmp/plugin") && !first.hasPrefix("/tmp//"))
        #expect(first.utf8.count == "/tmp/plugin".utf8.count + 16)
        let long = "/" + String(repeating: "d", count: 100)
        do {
            let path = try PluginSocket.uniquePath(in: long)
            Issue.record("accepted \(path)")
        } catch {
            #expect(error.description.contains("longer than a Unix socket allows"))
        }
    }

    @Test("Calls are routed: built-ins, handler services, everything else unimplemented")
    func routes() {
        let services = ["tfplugin6.Provider"]
        #expect(CallRoute(method: "/plugin.GRPCController/Shutdown", handlerServices: services) == .shutdown)
        #expect(CallRoute(method: "/grpc.health.v1.Health/Check", handlerServices: services) == .healthCheck)
        #expect(CallRoute(method: "/grpc.health.v1.Health/Watch", handlerServices: services) == .unimplemented)
        #expect(CallRoute(method: "/tfplugin6.Provider/GetProviderSchema", handlerServices: services) == .handler)
        #expect(CallRoute(method: "/tfplugin6.Provider/", handlerServices: services) == .unimplemented)
        #expect(CallRoute(method: "/tfplugin6.ProviderX/Get", handlerServices: services) == .unimplemented)
        #expect(CallRoute(method: "/plugin.GRPCStdio/StreamStdio", handlerServices: services) == .unimplemented)
        #expect(CallRoute(method: "/plugin.GRPCBroker/StartStream", handlerServices: services) == .unimplemented)
        #expect(CallRoute(method: "/tfplugin6.Provider/GetProviderSchema", handlerServices: []) == .unimplemented)
        let streaming = PluginServerConfiguration().serverStreamingMethods
        #expect(CallRoute(method: "/tfplugin6.Provider/ListResource", handlerServices: services, serverStreamingMethods: streaming) == .serverStreaming)
        #expect(CallRoute(method: "/tfplugin6.Provider/InvokeAction", handlerServices: services, serverStreamingMethods: streaming) == .serverStreaming)
        #expect(CallRoute(method: "/tfplugin6.Provider/ReadResource", handlerServices: services, serverStreamingMethods: streaming) == .handler)
        #expect(CallRoute(method: "/tfplugin6.Provider/ListResource", handlerServices: [], serverStreamingMethods: streaming) == .unimplemented)
    }

    @Test("Health Check serves the plugin as a whole and as \"plugin\", nothing else")
    func healthCheck() {
        // HealthCheckResponse{status: SERVING} is field 1, varint 1.
        guard case .success(let whole) = HealthCheck.answer([]) else { Issue.record("no answer"); return }
        #expect(whole == [0x08, 0x01])
        let plugin: [UInt8] = [0x0a, 0x06] + Array("plugin".utf8)
        guard case .success(let named) = HealthCheck.answer(plugin) else { Issue.record("no answer"); return }
        #expect(named == [0x08, 0x01])
        let other: [UInt8] = [0x0a, 0x05] + Array("other".utf8)
        guard case .failure(let code, let message) = HealthCheck.answer(other) else { Issue.record("served other"); return }
        #expect(code == .notFound)
        #expect(message == "unknown service other")
        guard case .failure(let malformed, _) = HealthCheck.answer([0x0a, 0x10]) else { Issue.record("accepted garbage"); return }
        #expect(malformed == .invalidArgument)
    }

    @Test("-debug is read as Go's flag package reads a boolean")
    func debugFlag() {
        for accepted in ["-debug", "--debug", "-debug=true", "--debug=1", "-debug=t"] { #expect(DebugFlag.isSet(accepted), "\(accepted)") }
        for refused in ["debug", "-debug=false", "---debug", "-debugger", "--debug=0", "-d", ""] { #expect(!DebugFlag.isSet(refused), "\(refused)") }
    }

    @Test("Debug mode's TF_REATTACH_PROVIDERS value is JSON in single quotes, whatever the socket path")
    func reattachInstructions() throws {
        let text = Handshake.reattachInstructions(
            providerAddress: "registry.terraform.io/o/n", protocolVersion: 6, pid: 42, socketPath: "/tmp/it's \"odd\"\\dir/plugin1"
        )
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("\tTF_REATTACH_PROVIDERS='") })
        // What a POSIX shell makes of the quoted word.
        var word = String(line.dropFirst("\tTF_REATTACH_PROVIDERS=".count))
        word = word.replacingOccurrences(of: "'\\''", with: "\u{1}")
        #expect(word.hasPrefix("'") && word.hasSuffix("'"))
        let value = String(word.dropFirst().dropLast()).replacingOccurrences(of: "\u{1}", with: "'")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(value.utf8)) as? [String: Any])
        let entry = try #require(json["registry.terraform.io/o/n"] as? [String: Any])
        #expect(entry["Pid"] as? Int == 42)
        #expect(entry["ProtocolVersion"] as? Int == 6)
        #expect(entry["Test"] as? Bool == true)
        #expect((entry["Addr"] as? [String: String]) == ["Network": "unix", "String": "/tmp/it's \"odd\"\\dir/plugin1"])
        #expect(text.hasPrefix("Provider started. To attach Terraform CLI, set the TF_REATTACH_PROVIDERS environment variable"))
    }

    @Test("The field budget counts nested fields and refuses floods of tiny ones")
    func fieldBudget() {
        // 3 fields at the top, one of them a message of 2 fields.
        let nested: [UInt8] = [0x08, 0x01, 0x12, 0x04, 0x08, 0x02, 0x10, 0x03, 0x18, 0x04]
        #expect(nested.withUnsafeBufferPointer { RequestFieldBudget.countFields($0, depth: 0, stopAbove: 100) } == 5)
        // Invalid wire type 7 ends the count where protobuf-c stops.
        #expect([UInt8]([0x08, 0x01, 0x0F]).withUnsafeBufferPointer { RequestFieldBudget.countFields($0, depth: 0, stopAbove: 100) } == 1)
        let request: [UInt8] = [0x0a, 0x03] + Array("abc".utf8)
        #expect(RequestFieldBudget.refusal(for: request) == nil)
        // 200,000 unknown varint fields (2 bytes each): far past 65,536 + 400,000 / 128.
        let flood = (0..<400_000).map { (index: Int) -> UInt8 in index.isMultiple(of: 2) ? 0xF8 : 0x00 }
        #expect(RequestFieldBudget.refusal(for: flood) != nil)
        // A large value in one field is fine.
        let big = [0x12, 0x80, 0x80, 0x40] + [UInt8](repeating: 0xC1, count: 1 << 20)
        #expect(RequestFieldBudget.refusal(for: big) == nil)
    }

    @Test("For tfplugin6 methods the budget follows protobuf-c's descriptors: a value that parses as protobuf is one field")
    func fieldBudgetWithSchema() {
        // ApplyResourceChange.Request{config (4): DynamicValue{msgpack (1): 1 MiB of "a"}}.
        // "a" is field 12 as fixed64: 116,508 fields if read as a message.
        let value = [UInt8](repeating: 0x61, count: 1 << 20)
        let dynamic: [UInt8] = [0x0A, 0x80, 0x80, 0x40] + value
        let request: [UInt8] = [0x22, 0x84, 0x80, 0x40] + dynamic
        #expect(RequestFieldBudget.refusal(for: request, method: "/tfplugin6.Provider/ApplyResourceChange") == nil)
        #expect(RequestFieldBudget.refusal(for: request) != nil, "without a schema the contents count as fields")
        // Unknown fields inside a known nested message still count.
        let flood = (0..<400_000).map { (index: Int) -> UInt8 in index.isMultiple(of: 2) ? 0xF8 : 0x00 }
        let nestedFlood: [UInt8] = [0x22, 0x80, 0xB5, 0x18] + flood
        #expect(RequestFieldBudget.refusal(for: nestedFlood, method: "/tfplugin6.Provider/ApplyResourceChange") != nil)
        #expect(RequestFieldBudget.requestDescriptors.count >= 13, "\(RequestFieldBudget.requestDescriptors.keys.sorted())")
    }
}
