import CBuildInfo

/// The version of this program and the commit it was built from (`onions --version`).
///
/// The version is written here; the commit comes from the build (`make` passes it, a plain
/// `swift build` leaves it "unknown"). Packaging reads both from the binary.
enum BuildInfo {
    static let version = "0.2.0"

    static var commit: String { String(cString: onions_build_commit()) }

    static let declaration = CommandDeclaration(
        "version", summary: "the version and the commit it was built from",
        details: "  prints \"onions VERSION (commit COMMIT)\": the commit is the source it was built from (also --version)",
        action: .standalone { _ in printVersion() })

    static func printVersion() -> Int32 {
        writeStdout("onions \(version) (commit \(commit))\n")
        return 0
    }
}
