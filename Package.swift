// swift-tools-version:6.0
// The onions package: an end-to-end encrypted notes program for the terminal.
// No package dependencies: C libraries come from Debian through system-library targets.
import PackageDescription

let package = Package(
    name: "onions",
    products: [
        .executable(name: "onions", targets: ["onions"]),
        .executable(name: "onions-bench", targets: ["onions-bench"]),
        .executable(name: "start-floor-swift", targets: ["start-floor-swift"]),
    ],
    targets: [
        // C libraries from Debian (see the Makefile for the install step).
        .systemLibrary(name: "COpenSSL", path: "Sources/COpenSSL",
                       pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        // ncursesw.pc carries -D flags SwiftPM refuses (and warns about): the shim defines
        // what the wide API needs, and the headers sit on the default include path.
        .systemLibrary(name: "CNcursesW", path: "Sources/CNcursesW",
                       providers: [.apt(["libncurses-dev"])]),
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite",
                       pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        // libpq and libxml2 are opened when first needed (Sources/CLazyLoad), not linked.
        .systemLibrary(name: "CLibPQ", path: "Sources/CLibPQ", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CZxcvbn", path: "Sources/CZxcvbn", providers: [.apt(["libzxcvbn-dev"])]),
        // The importers' C libraries: Argon2 and zlib for KeePass files, libxml2 for their XML.
        .systemLibrary(name: "CArgon2", path: "Sources/CArgon2",
                       pkgConfig: "libargon2", providers: [.apt(["libargon2-dev"])]),
        .systemLibrary(name: "CXML2", path: "Sources/CXML2", providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib",
                       pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // The commit a build was made from (a header only; the Makefile defines the value).
        .systemLibrary(name: "CBuildInfo", path: "Sources/CBuildInfo"),

        // Libraries. Dependencies point one way: Crypto <- Core <- Store;
        // TerminalUI <- TerminalCurses; Core + TerminalUI <- App.
        // wordlist.txt is compiled in (PackageResources.wordlist_txt) for the password generator.
        .target(name: "OnionsCrypto", dependencies: ["COpenSSL", "CZxcvbn", "CArgon2", "CXML2", "CZlib"],
                resources: [.embedInCode("wordlist.txt")]),
        .target(name: "OnionsCore", dependencies: ["OnionsCrypto"],
                exclude: ["FORMAT.md"]),
        // schema.sql is compiled in (PackageResources.schema_sql); Resources/ links to it.
        .target(name: "OnionsStore", dependencies: ["OnionsCore", "CSQLite", "CLibPQ"],
                resources: [.embedInCode("schema.sql")]),
        .target(name: "TerminalUI"),
        .target(name: "TerminalCurses", dependencies: ["TerminalUI", "CNcursesW"]),
        .target(name: "OnionsApp", dependencies: ["OnionsCore", "OnionsCrypto", "TerminalUI"]),

        // Executables: wiring only.
        .executableTarget(name: "onions",
                          dependencies: ["OnionsCrypto", "OnionsCore", "OnionsStore",
                                         "TerminalUI", "TerminalCurses", "OnionsApp", "CBuildInfo"]),
        // The bench's floor for a Swift program's start (nothing but a print).
        .executableTarget(name: "start-floor-swift"),
        .executableTarget(name: "onions-bench",
                          dependencies: ["CSQLite", "OnionsCrypto", "OnionsCore", "OnionsStore",
                                         "TerminalUI", "OnionsApp"]),

        // Tests: one target per library, plus end-to-end tests of the built binary and the
        // program the crash-safety test kills (built next to it).
        .executableTarget(name: "crash-save-loop", dependencies: ["OnionsCrypto", "OnionsCore", "OnionsStore"],
                          path: "Tests/CrashSaveLoop"),
        .testTarget(name: "OnionsCryptoTests", dependencies: ["OnionsCrypto"],
                    exclude: ["Vectors"]),
        .testTarget(name: "OnionsCoreTests", dependencies: ["OnionsCore", "OnionsCrypto"]),
        .testTarget(name: "OnionsStoreTests", dependencies: ["OnionsStore", "OnionsCore", "OnionsCrypto"],
                    exclude: ["Vectors"]),
        .testTarget(name: "TerminalUITests", dependencies: ["TerminalUI"]),
        .testTarget(name: "OnionsAppTests", dependencies: ["OnionsApp", "OnionsCore", "OnionsCrypto", "OnionsStore", "TerminalUI"],
                    exclude: ["Snapshots"]),
        .testTarget(name: "EndToEndTests", dependencies: ["OnionsCrypto", "OnionsCore", "OnionsStore"]),
    ],
    swiftLanguageModes: [.v6]
)
