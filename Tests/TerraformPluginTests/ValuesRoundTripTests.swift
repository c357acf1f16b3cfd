#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
import TerraformPlugin

@Suite("Round trips over generated values: decode(encode(v)) == v")
struct ValuesRoundTripTests {
    @Test("MessagePack: values with nulls, refined unknowns and dynamic attributes come back equal, byte for byte", arguments: [1, 2, 3])
    func msgpackRoundTrips(seed: UInt64) throws {
        var random = SeededRandom(seed: seed)
        for _ in 0..<700 {
            let type = ValuesGenerator.type(depth: 4, dynamicInCollections: false, using: &random)
            let value = ValuesGenerator.value(of: type, depth: 4, unknowns: true, using: &random)
            let bytes = try MsgPackValueCodec.encode(value, as: type)
            let decoded = try MsgPackValueCodec.decode(bytes, as: type)
            #expect(decoded == value, "\(ValuesFixtures.hex(bytes)) as \(String(decoding: type.typeJSON, as: UTF8.self))")
            #expect(try MsgPackValueCodec.encode(decoded, as: type) == bytes)
        }
    }

    @Test("JSON: known values come back equal, text for text", arguments: [4, 5, 6])
    func jsonRoundTrips(seed: UInt64) throws {
        var random = SeededRandom(seed: seed)
        for _ in 0..<700 {
            let type = ValuesGenerator.type(depth: 4, dynamicInCollections: false, using: &random)
            let value = ValuesGenerator.value(of: type, depth: 4, unknowns: false, using: &random)
            let bytes = try JSONValueCodec.encode(value, as: type)
            let decoded = try JSONValueCodec.decode(bytes, as: type)
            #expect(decoded == value, "\(String(decoding: bytes, as: UTF8.self))")
            #expect(try JSONValueCodec.encode(decoded, as: type) == bytes)
        }
    }

    @Test("Dynamic inside collections: decoding settles on one type, and a second round trip changes nothing")
    func dynamicCollectionsSettle() throws {
        var random = SeededRandom(seed: 77)
        for _ in 0..<700 {
            let type = ValuesGenerator.type(depth: 4, dynamicInCollections: true, using: &random)
            let value = ValuesGenerator.value(of: type, depth: 4, unknowns: true, using: &random)
            let first = try MsgPackValueCodec.decode(MsgPackValueCodec.encode(value, as: type), as: type)
            let bytes = try MsgPackValueCodec.encode(first, as: type)
            #expect(try MsgPackValueCodec.decode(bytes, as: type) == first, "\(ValuesFixtures.hex(bytes))")
            guard first.isWhollyKnown else { continue }
            let json = try JSONValueCodec.encode(first, as: type)
            #expect(try JSONValueCodec.decode(json, as: type) == first, "\(String(decoding: json, as: UTF8.self))")
        }
    }

    @Test("The decoders' values conform to the type they were decoded as")
    func decodedValuesConform() throws {
        var random = SeededRandom(seed: 11)
        for _ in 0..<600 {
            let type = ValuesGenerator.type(depth: 4, using: &random)
            let value = ValuesGenerator.value(of: type, depth: 4, unknowns: true, using: &random)
            #expect(value.conformanceError(to: type) == nil)
            let decoded = try MsgPackValueCodec.decode(MsgPackValueCodec.encode(value, as: type), as: type)
            #expect(decoded.conformanceError(to: type) == nil)
        }
    }

    @Test("Mutated encodings of generated values throw or decode, and never crash")
    func mutatedEncodings() throws {
        var random = SeededRandom(seed: 5150)
        var outcomes = (decoded: 0, threw: 0)
        for _ in 0..<2000 {
            let type = ValuesGenerator.type(depth: 3, using: &random)
            let value = ValuesGenerator.value(of: type, depth: 3, unknowns: true, using: &random)
            var bytes = try MsgPackValueCodec.encode(value, as: type)
            for _ in 0..<1 + Int(random.next() % 3) where !bytes.isEmpty {
                let index = Int(random.next() % UInt64(bytes.count))
                switch random.next() % 4 {
                case 0: bytes[index] = UInt8(truncatingIfNeeded: random.next())
                case 1: bytes[index] ^= 1 << UInt8(random.next() % 8)
                case 2: bytes.insert(UInt8(truncatingIfNeeded: random.next()), at: index)
                default: bytes.removeSubrange(index...)
                }
            }
            do {
                _ = try MsgPackValueCodec.decode(bytes, as: type)
                outcomes.decoded += 1
            } catch {
                #expect(!error.message.isEmpty)
                outcomes.threw += 1
            }
        }
        #expect(outcomes.threw > 0)
    }
}

@Suite("Stack use: the deepest accepted input decodes on a thread with a 4 MiB stack")
struct ValuesStackTests {
    /// Runs `body` on a new thread with the given stack size and waits for
    /// it. Overflowing the stack crashes the test process: a loud failure.
    private static func onThread(stackSize: Int, _ body: @escaping @Sendable () -> Void) {
        final class Work: @unchecked Sendable {
            let body: @Sendable () -> Void
            init(_ body: @escaping @Sendable () -> Void) { self.body = body }
        }
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, stackSize)
        let work = Unmanaged.passRetained(Work(body)).toOpaque()
        #if canImport(Glibc)
        var thread = pthread_t()
        #else
        var thread: pthread_t?
        #endif
        let started = pthread_create(&thread, &attributes, { context in
            Unmanaged<Work>.fromOpaque(context!).takeRetainedValue().body()
            return nil
        }, work)
        precondition(started == 0, "pthread_create failed")
        #if canImport(Glibc)
        pthread_join(thread, nil)
        #else
        pthread_join(thread!, nil)
        #endif
    }

    @Test("512 levels of MessagePack, JSON, type JSON, encoding and comparison fit in 4 MiB")
    func deepestInputs() {
        // Expectations are checked here, on the test's own task: the thread
        // only computes.
        final class Results: @unchecked Sendable {
            var checks: [String: Bool] = [:]
        }
        let results = Results()
        Self.onThread(stackSize: 4 << 20) {
            var listType = CtyType.bool
            for _ in 0..<512 { listType = .list(listType) }
            let msgpack = [UInt8](repeating: 0x91, count: 512) + [0xC3]
            let value = try? MsgPackValueCodec.decode(msgpack, as: listType)
            let again = try? MsgPackValueCodec.decode(msgpack, as: listType)
            results.checks["decoded, equal, same hash"] = value != nil && value == again && value?.hashValue == again?.hashValue
            results.checks["encoded"] = value.flatMap { try? MsgPackValueCodec.encode($0, as: listType) } == msgpack
            let json = value.flatMap { try? JSONValueCodec.encode($0, as: listType) }
            results.checks["JSON"] = json.flatMap { try? JSONValueCodec.decode($0, as: listType) } == value

            var objectType = CtyType.number
            for _ in 0..<512 { objectType = .object(["a": objectType]) }
            let objectJSON = Array((String(repeating: "{\"a\":", count: 512) + "1" + String(repeating: "}", count: 512)).utf8)
            results.checks["JSON objects"] = (try? JSONValueCodec.decode(objectJSON, as: objectType)) != nil

            let nestedDynamic = ValuesFixtures.bytes(String(repeating: "92 \(ValuesFixtures.bin("\"dynamic\"")) ", count: 511)
                + "92 \(ValuesFixtures.bin("\"bool\"")) c3")
            results.checks["dynamic"] = (try? MsgPackValueCodec.decode(nestedDynamic, as: .dynamic)) == .bool(true)
            results.checks["type JSON"] = (try? CtyType(typeJSON: listType.typeJSON)) == listType
        }
        #expect(results.checks.count == 6)
        for (name, passed) in results.checks.sorted(by: { $0.key < $1.key }) {
            #expect(passed, "\(name)")
        }
    }
}
