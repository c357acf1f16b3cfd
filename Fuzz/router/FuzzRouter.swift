// libFuzzer target: every tfplugin6 RPC, request bytes in, through
// ProviderRouter(provider: TursoProvider(...)).handle(method:request:), the
// exact path a host's request takes after gRPC.
//
// Input: a selector byte, then the request's protobuf bytes.
//   selector & 0x3F (modulo the count): the method, from `methods` below.
//   selector & 0x80: ConfigureProvider first (an API token, a private-state
//     key, and a base_url where nothing listens), as Terraform does before
//     any resource call; without it the provider is unconfigured.
//   selector & 0xC0 == 0xC0: ConfigureProvider first, with the base_url of
//     an in-process Turso API emulator (TursoEmulator, on 127.0.0.1) and its
//     admin token, so that paths after a successful API call are reached.
// Every input gets a fresh provider and an emptied emulator, so one input
// cannot change what the next one sees. Time and randomness are fixed.
// Otherwise the Turso API base URL is 127.0.0.1:9, where nothing listens,
// so an API call fails at once (retries do not sleep). No request ever
// leaves the machine.
//
// Any answer is fine (a response with diagnostics, or a gRPC status); a
// trap, a sanitizer report or a hang is the failure.
#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import FuzzSupport
import TerraformPlugin
import TursoEmulator
@testable import TursoProvider

/// Append only: committed seeds name their method by position. Methods
/// the router does not implement yet are here so that they are fuzzed as
/// soon as it does (until then they must be answered UNIMPLEMENTED).
let methods = [
    "GetMetadata", "GetProviderSchema", "ValidateProviderConfig", "ConfigureProvider", "StopProvider",
    "ValidateResourceConfig", "UpgradeResourceState", "ReadResource", "PlanResourceChange", "ApplyResourceChange",
    "ImportResourceState", "ValidateDataResourceConfig", "ReadDataSource",
    "GetResourceIdentitySchemas", "UpgradeResourceIdentity", "MoveResourceState", "GenerateResourceConfig",
    "ValidateEphemeralResourceConfig", "OpenEphemeralResource", "RenewEphemeralResource", "CloseEphemeralResource",
    "ValidateListResourceConfig", "GetFunctions", "CallFunction", "PlanAction", "ValidateActionConfig",
].map { "/tfplugin6.Provider/" + $0 }

/// Where nothing listens: the discard port, on loopback.
let unreachableBaseURL = "http://127.0.0.1:9"

struct FixedClock: Clock {
    func now() -> UnixTime { UnixTime(seconds: 1_800_000_000) }
}

/// SplitMix64: the same bytes for every input.
final class SeededRandom: RandomSource {
    private let state = Mutex<UInt64>(0x5EED)

    func bytes(_ count: Int) -> [UInt8] {
        state.withLock { state in
            (0..<count).map { _ in
                state &+= 0x9E37_79B9_7F4A_7C15
                var z = state
                z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
                z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
                return UInt8(truncatingIfNeeded: z ^ (z >> 31))
            }
        }
    }
}

func makeRouter() -> ProviderRouter {
    var options = TursoClient.Options()
    options.connectTimeout = .seconds(2)
    options.requestTimeout = .seconds(2)
    options.retry = RetryPolicy(maxAttempts: 2)
    options.sleep = { _ in }
    options.random = { 0.5 }
    options.clock = FixedClock()
    return ProviderRouter(provider: TursoProvider(environment: [:], clock: FixedClock(), random: SeededRandom(), apiOptions: options))
}

// MARK: ConfigureProvider, written by hand (protobuf and msgpack)

func field(_ number: Int, _ payload: [UInt8]) -> [UInt8] {
    var length: [UInt8] = []
    var rest = payload.count
    repeat {
        length.append(UInt8(rest & 0x7F) | (rest > 0x7F ? 0x80 : 0))
        rest >>= 7
    } while rest > 0
    return [UInt8(number << 3 | 2)] + length + payload
}

func msgpackString(_ text: String) -> [UInt8] {
    let utf8 = Array(text.utf8)
    precondition(utf8.count < 256, "fixstr or str8 only")
    return (utf8.count < 32 ? [0xA0 | UInt8(utf8.count)] : [0xD9, UInt8(utf8.count)]) + utf8
}

func configureRequest(baseURL: String, apiToken: String) -> [UInt8] {
    let config: [UInt8] = [0x84]
        + msgpackString("api_token") + msgpackString(apiToken)
        + msgpackString("base_url") + msgpackString(baseURL)
        + msgpackString("private_state_key") + msgpackString("fuzz-private-state-key-0123456789")
        + msgpackString("private_state_previous_keys") + [0xC0]
    return field(1, Array("1.15.5".utf8)) + field(2, field(1, config))
}

let configureUnreachable = configureRequest(baseURL: unreachableBaseURL, apiToken: "fuzz-api-token-0123456789")

/// Started on first use, emptied before every input that uses it. Knows the
/// organization and group the seeds name.
let emulator: TursoAPIEmulator = {
    let emulator = TursoAPIEmulator(configuration: EmulatorConfiguration(organizations: ["acme": ["default"]]))
    do { try emulator.start() } catch { fatalError("the Turso API emulator did not start: \(error)") }
    return emulator
}()

let configureEmulator = configureRequest(baseURL: emulator.baseURL, apiToken: EmulatorConfiguration.defaultAdminToken)

// MARK: The target

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRouter(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = FuzzInput(data, size)
    let method = methods[Int(input.selector & 0x3F) % methods.count]
    let configure: [UInt8]? = switch input.selector & 0xC0 {
    case 0xC0: configureEmulator
    case 0x80: configureUnreachable
    default: nil
    }
    if input.selector & 0xC0 == 0xC0 { emulator.reset() }
    let request = input.payload
    runBlocking {
        let router = makeRouter()
        if let configure {
            guard case .success = await router.handle(method: methods[3], request: configure) else {
                fuzzFailure("the fixed ConfigureProvider request failed")
            }
        }
        let result = await router.handle(method: method, request: request)
        if verbose { describe(method, result) }
    }
    return 0
}

// MARK: Seeing what seeds reach

/// `FUZZ_VERBOSE=1`: prints each answer (its status, and the text runs in
/// a response, such as diagnostics), to check that a seed reaches the code
/// it was written for rather than a decoding error.
let verbose = getenv("FUZZ_VERBOSE") != nil

func describe(_ method: String, _ result: RPCResult) {
    switch result {
    case .failure(let code, let message):
        print("\(method): \(code) \(message)")
    case .success(let bytes):
        var runs: [String] = []
        var run: [UInt8] = []
        for byte in bytes + [0] {
            if (0x20..<0x7F).contains(byte) { run.append(byte); continue }
            if run.count >= 6 { runs.append(String(decoding: run, as: UTF8.self)) }
            run = []
        }
        print("\(method): ok, \(bytes.count) bytes: " + runs.joined(separator: " | "))
    }
}
