// swift-tools-version:6.0
// libFuzzer targets for every decoder of bytes that come from outside (scripts/fuzz.sh builds
// and runs them; the main package never sees this one). The libraries are the main package's
// own folders, reached through symlinks in Sources/. scripts/fuzz.sh compiles them with the
// fuzzer's coverage instrumentation, AddressSanitizer, Swift's bounds checks kept in the
// optimised code (-assert-config Debug) and -enable-testing, through which each target reaches
// internal decoders (`@testable import`).
import PackageDescription

let libraries: [Target] = [
    .systemLibrary(name: "COpenSSL", path: "Sources/COpenSSL", pkgConfig: "libcrypto"),
    .systemLibrary(name: "CZxcvbn", path: "Sources/CZxcvbn"),
    .systemLibrary(name: "CArgon2", path: "Sources/CArgon2", pkgConfig: "libargon2"),
    .systemLibrary(name: "CXML2", path: "Sources/CXML2", pkgConfig: "libxml-2.0"),
    .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib"),
    .target(name: "OnionsCrypto", dependencies: ["COpenSSL", "CZxcvbn", "CArgon2", "CXML2", "CZlib"], path: "Sources/OnionsCrypto",
            resources: [.embedInCode("wordlist.txt")]),
    .target(name: "OnionsCore", dependencies: ["OnionsCrypto"], path: "Sources/OnionsCore",
            exclude: ["FORMAT.md"]),
    .target(name: "TerminalUI", path: "Sources/TerminalUI"),
    .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3"),
    .systemLibrary(name: "CLibPQ", path: "Sources/CLibPQ", pkgConfig: "libpq"),
    .target(name: "OnionsStore", dependencies: ["OnionsCore", "CSQLite", "CLibPQ"], path: "Sources/OnionsStore",
            resources: [.embedInCode("schema.sql")]),
    .systemLibrary(name: "CLibFuzzer", path: "Targets/CLibFuzzer"),
    .target(name: "FuzzSupport", dependencies: ["CLibFuzzer"], path: "Targets/FuzzSupport"),
]

/// Each fuzz target and the libraries it reads.
let fuzzTargets: [(name: String, dependencies: [Target.Dependency])] = [
    ("FuzzSealedRecord", ["OnionsCore", "OnionsCrypto"]),
    ("FuzzManifest", ["OnionsCore", "OnionsCrypto"]),
    ("FuzzVaultParameters", ["OnionsCore"]),
    ("FuzzBackupFile", ["OnionsCore", "OnionsCrypto"]),
    ("FuzzOnionsAppFile", ["OnionsCore", "OnionsCrypto"]),
    ("FuzzConfigFile", ["OnionsCore"]),
    ("FuzzRNCryptor", ["OnionsCrypto"]),
    ("FuzzKeys", ["TerminalUI"]),
    ("FuzzImport", ["OnionsCore", "OnionsCrypto"]),
    ("FuzzTerminalText", ["TerminalUI"]),
    ("FuzzPostgresRows", ["OnionsStore", "OnionsCore", "CLibPQ"]),
]

let package = Package(
    name: "onions-fuzz",
    products: fuzzTargets.map { .executable(name: $0.name, targets: [$0.name]) },
    targets: libraries + fuzzTargets.map {
        .executableTarget(name: $0.name, dependencies: $0.dependencies + ["FuzzSupport"],
                          path: "Targets/\($0.name)")
    },
    swiftLanguageModes: [.v6]
)
