// turso-benchmarks: micro-benchmarks run by scripts/benchmark (release
// build). A separate executable so none of this is linked into the provider.
//
// Prints one JSON object per line on stdout, for the harness to tabulate.
// Numbers only: nothing is asserted, because the machines are noisy.
#if canImport(Glibc)
import Glibc
#endif
import TerraformPlugin

/// Monotonic nanoseconds: wall time is what a user waits for.
func now() -> UInt64 {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
}

/// Runs `body` `iterations` times per batch and returns each batch's mean
/// nanoseconds per operation; the harness reports the median and the best
/// batch, which are less disturbed by other work on the machine than a mean.
func batches(_ count: Int, iterations: Int, _ body: () -> Void) -> [Double] {
    (0..<count).map { _ in
        let start = now()
        for _ in 0..<iterations { body() }
        return Double(now() - start) / Double(iterations)
    }
}

func report(_ name: String, _ samples: [Double], iterations: Int) {
    let sorted = samples.sorted()
    let median = sorted[sorted.count / 2]
    func format(_ value: Double) -> String {
        let text = String(Int((value * 10).rounded()))
        return text.count > 1 ? String(text.dropLast()) + "." + String(text.suffix(1)) : "0." + text
    }
    print("{\"name\":\"\(name)\",\"median_ns\":\(format(median)),\"min_ns\":\(format(sorted[0])),\"batches\":\(sorted.count),\"iterations\":\(iterations)}")
}

/// A throwaway secret (64 hex digits from /dev/urandom): made here so no
/// real key is ever involved. Never printed.
func randomSecret() -> String {
    var bytes = [UInt8](repeating: 0, count: 32)
    let file = fopen("/dev/urandom", "rb")
    precondition(file != nil, "cannot open /dev/urandom")
    precondition(fread(&bytes, 1, bytes.count, file) == bytes.count, "short read from /dev/urandom")
    fclose(file)
    let digits = Array("0123456789abcdef")
    return String(bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0F)]] })
}

let quick = CommandLine.arguments.contains("--quick")
let batchCount = quick ? 5 : 11
let iterations = quick ? 2_000 : 10_000

// The same fields and binding turso_timed_token seals at apply.
let fields = PrivateStateFields([
    "token": "token-0f8e4a52-7c1d-4e8b-9a3f-2b6d5c4e1a90",
    "expires_at": "2026-01-02T15:04:05Z",
])
let binding = PrivateStateBinding(resourceType: "turso_timed_token", resourceID: "timed-token-id-5d2c8b1e-3f4a-4c6d-8e9f-0a1b2c3d4e5f")
let secret = randomSecret()

/// The provider's own domain (TursoProvider's PrivateStateKeys), so the figures are the shipped ones.
let domain = SealingDomain(personalization: "tfturso-pstate-1", context: "terraform-provider-turso/private-state/v1")
let vault = SodiumVault(current: SealingKey(secret: secret, domain: domain))
let plain = PlainPrivateStateVault()
// A warm-up seal, so libsodium's one-time initialisation is not in the numbers.
let sealedBlob = try vault.seal(fields, for: binding)
let plainBlob = try plain.seal(fields, for: binding)
guard case .sealed = vault.open(sealedBlob, for: binding) else { fatalError("a fresh blob did not open") }

// The sink keeps the optimiser from dropping the work.
var sink = 0
report("seal_sodium", batches(batchCount, iterations: iterations) { sink &+= (try? vault.seal(fields, for: binding))?.count ?? 0 }, iterations: iterations)
report("open_sodium", batches(batchCount, iterations: iterations) {
    if case .sealed(let opened, _) = vault.open(sealedBlob, for: binding) { sink &+= opened.values.count }
}, iterations: iterations)
report("seal_plain_json", batches(batchCount, iterations: iterations) { sink &+= (try? plain.seal(fields, for: binding))?.count ?? 0 }, iterations: iterations)
report("open_plain_json", batches(batchCount, iterations: iterations) {
    if case .plain(let opened) = plain.open(plainBlob, for: binding) { sink &+= opened.values.count }
}, iterations: iterations)
// Once per provider process (ConfigureProvider): key and key id derivation.
let derivations = quick ? 200 : 1_000
report("derive_key", batches(batchCount, iterations: derivations) { sink &+= SealingKey(secret: secret, domain: domain).id.count }, iterations: derivations)
print("{\"name\":\"blob_bytes\",\"sealed\":\(sealedBlob.count),\"plain\":\(plainBlob.count),\"sink\":\(sink % 2)}")
