// swift-tools-version:6.0
// terraform-provider-turso: a Terraform/OpenTofu provider plugin in Swift.
// Transport is the gRPC C core, messages protobuf-c, crypto libsodium; all
// three are Debian -dev packages reached through thin C targets (see DESIGN.md).
import PackageDescription

// The gRPC C core and its dependencies are linked statically. Loading the ~50
// shared objects of Debian's libgrpc (absl, re2, upb, c-ares, ...) and running
// their static constructors costs about 5 ms per process start, and Terraform
// starts the provider several times per command; the static archives cut
// grpc_init's start-up from ~7.6 ms to ~2.4 ms on the reference machine.
// The list is Debian 12's `pkg-config --static --libs grpc`, de-duplicated.
let grpcStaticArchives: [String] =
    ["grpc", "address_sorting", "re2", "upb", "cares", "gpr", "ssl", "crypto", "z"]
    + [
        "throw_delegate", "raw_logging_internal", "raw_hash_set", "hashtablez_sampler", "hash", "city",
        "low_level_hash", "random_distributions", "random_seed_sequences", "random_internal_pool_urbg",
        "random_internal_randen", "random_internal_randen_hwaes", "random_internal_randen_hwaes_impl",
        "random_internal_randen_slow", "random_internal_platform", "random_internal_seed_material",
        "random_seed_gen_exception", "statusor", "status", "cord", "cordz_info", "cord_internal",
        "cordz_functions", "exponential_biased", "cordz_handle", "bad_optional_access", "strerror",
        "str_format_internal", "synchronization", "graphcycles_internal", "stacktrace", "symbolize",
        "debugging_internal", "demangle_internal", "malloc_internal", "time", "civil_time", "strings",
        "strings_internal", "base", "spinlock_wait", "int128", "time_zone", "bad_variant_access",
        "log_severity",
    ].map { "absl_" + $0 }

/// Links the named static archives as one group, so their mutual references
/// resolve whatever the order.
func staticArchives(_ names: [String]) -> [LinkerSetting] {
    [.unsafeFlags(["-Xlinker", "--start-group"] + names.flatMap { ["-Xlinker", "-l:lib\($0).a"] } + ["-Xlinker", "--end-group"])]
}

/// Release builds of the provider are one static-pie executable: glibc,
/// libstdc++ and the Swift runtime linked in, so the binary runs on any
/// x86_64 Linux (old glibc, musl-based Alpine, an empty container) and
/// needs no dynamic loading at all at start-up; position-independent
/// (static-pie, glibc's rcrt1.o), so ASLR still applies. lld, because gold
/// (Swift's default on Linux) cannot link static-pie nor pack relocations;
/// through scripts/ld-static-pie, which drops the rpath SwiftPM adds (glibc's
/// static-pie start-up code refuses a binary that has one).
/// RELR packs the ~58,000 relative relocations the start-up code applies
/// into a bitmap (about 0.9 MB smaller, fewer pages touched at start-up).
/// Debug builds stay dynamic: test bundles link the executable's module and
/// would inherit the flags (XCTest/Testing and Foundation are not linked that way).
let staticExecutable: [LinkerSetting] = [.unsafeFlags([
    "-static-executable", "-Xclang-linker", "-static-pie",
    "-Xclang-linker", "--ld-path=\(Context.packageDirectory)/scripts/ld-static-pie",
    "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs",
    // The C++ static initializers (GCC puts them in .text.startup) kept
    // together instead of spread over 15 MB of code: about 40 fewer page
    // faults before main.
    "-Xlinker", "-z", "-Xlinker", "keep-text-section-prefix",
], .when(configuration: .release))]

let package = Package(
    name: "terraform-provider-turso",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "terraform-provider-turso", targets: ["terraform-provider-turso"]),
        .executable(name: "turso-api-emulator", targets: ["turso-api-emulator"]),
        // Writes docs/ from templates/ and the schemas (scripts/docs).
        .executable(name: "turso-docs", targets: ["turso-docs"]),
        // Micro-benchmarks for scripts/benchmark; not part of the provider binary.
        .executable(name: "turso-benchmarks", targets: ["turso-benchmarks"]),
    ],
    targets: [
        // MARK: C modules (thin: headers, static inline shims, link settings)
        .target(
            name: "CGRPCCore",
            linkerSettings: staticArchives(grpcStaticArchives) + [
                .linkedLibrary("stdc++"), .linkedLibrary("m"), .linkedLibrary("dl"), .linkedLibrary("pthread"),
            ]
        ),
        .target(name: "COpenSSL", dependencies: ["CGRPCCore"]),
        .target(name: "CSodium", linkerSettings: staticArchives(["sodium"])),
        .target(name: "CTFPlugin6", linkerSettings: staticArchives(["protobuf-c"])),
        // The top-level VERSION file, embedded (#embed, C23) so that editing
        // it rebuilds the version; see version.c for why not the manifest.
        .target(name: "CTursoVersion", cSettings: [.unsafeFlags(["-std=c23"])]),
        // Sockets, c-ares and TLS for the Turso API client, from the archives
        // the gRPC core links already (see Sources/CTransport/transport.c).
        .target(name: "CTransport", dependencies: ["CGRPCCore"]),
        // OpenSSL set-up the provider's main does before gRPC starts (see startup.c).
        .target(name: "CStartup", dependencies: ["CGRPCCore"]),

        // MARK: The protocol layer: tfplugin6 over gRPC. Knows nothing of Turso.
        .target(
            name: "TerraformPlugin",
            dependencies: ["CGRPCCore", "COpenSSL", "CTFPlugin6", "CSodium"]
        ),

        // MARK: The Turso provider: configuration, resources, data sources, API client.
        .target(name: "TursoProvider", dependencies: ["TerraformPlugin", "CTransport", "CTursoVersion"]),
        .executableTarget(
            name: "terraform-provider-turso",
            dependencies: ["TursoProvider", "CStartup"],
            linkerSettings: staticExecutable
        ),

        // MARK: The Turso Platform API emulator (tokens endpoints), for tests and the README example.
        .target(name: "TursoEmulator"),
        // Uses Foundation, and its start-up time does not matter: linked
        // with the shared Swift runtime.
        .executableTarget(name: "turso-api-emulator", dependencies: ["TursoEmulator"]),

        // MARK: Documentation (scripts/docs): registry pages from templates/ and the live schemas.
        .target(name: "TursoDocs", dependencies: ["TerraformPlugin"]),
        .executableTarget(name: "turso-docs", dependencies: ["TursoDocs", "TursoProvider"]),

        // MARK: Benchmarks (scripts/benchmark): sealing micro-benchmarks.
        .executableTarget(name: "turso-benchmarks", dependencies: ["TerraformPlugin"]),

        // MARK: Tests
        .target(
            name: "PluginTestSupport",
            dependencies: ["CGRPCCore", "COpenSSL", "CTFPlugin6", "TerraformPlugin"],
            path: "Tests/PluginTestSupport"
        ),
        .testTarget(name: "TerraformPluginTests", dependencies: ["TerraformPlugin", "CTFPlugin6"]),
        .testTarget(name: "TursoProviderTests", dependencies: ["TursoProvider", "TursoEmulator", "TursoDocs"]),
        .testTarget(
            name: "ProtocolTests",
            dependencies: ["PluginTestSupport", "TerraformPlugin", "TursoEmulator", "terraform-provider-turso"]
        ),
        .testTarget(
            name: "AcceptanceTests",
            dependencies: ["PluginTestSupport", "TursoEmulator", "terraform-provider-turso", "turso-api-emulator"]
        ),
    ],
    swiftLanguageModes: [.v6]
)

// MARK: Fuzz targets (scripts/fuzz; see Fuzz/README.md)
// Each is a libFuzzer target: it defines `LLVMFuzzerTestOneInput` and no
// main, so it links only in a build with `--sanitize=fuzzer`, which supplies
// libFuzzer's main. They are declared only when scripts/fuzz sets
// TURSO_FUZZ=1 (in its own scratch folder): a plain `swift build` neither
// sees nor builds them. They use `@testable import`, so they reach the
// parsers they test without widening any symbol's access.
if Context.environment["TURSO_FUZZ"] == "1" {
    package.targets += [
        .target(name: "FuzzSupport", dependencies: ["TerraformPlugin"], path: "Fuzz/Support"),
        .executableTarget(name: "fuzz-router", dependencies: ["FuzzSupport", "TursoProvider", "TursoEmulator"], path: "Fuzz/router"),
        .executableTarget(name: "fuzz-msgpack", dependencies: ["FuzzSupport"], path: "Fuzz/msgpack"),
        .executableTarget(name: "fuzz-json", dependencies: ["FuzzSupport"], path: "Fuzz/json"),
        .executableTarget(name: "fuzz-sealing", dependencies: ["FuzzSupport", "TursoProvider"], path: "Fuzz/sealing"),
        .executableTarget(name: "fuzz-handshake", dependencies: ["FuzzSupport"], path: "Fuzz/handshake"),
        .executableTarget(name: "fuzz-turso", dependencies: ["FuzzSupport", "TursoProvider"], path: "Fuzz/turso"),
    ]
}
