import CBuildInfo

/// The version of this program and the commit it was built from (`onions --version`).
///
/// The version is written here; the commit comes from the build (`make` passes it, a plain
/// `swift build` leaves it "unknown"). Packaging reads both from the binary.
enum BuildInfo {
    static let version = "0.2.0"

    static var commit: String { String(cString: onions_build_commit()) }

    static let usage = """
    usage: onions version   (or onions --version)
      prints "onions VERSION (commit COMMIT)": the commit is the source it was built from
    """

    static func printVersion(_ args: [String]) -> Int32 {
        if args == ["--help"] || args == ["-h"] {
            print(usage)
            return 0
        }
        guard args.isEmpty else {
            printError("onions: version takes no arguments")
            return 2
        }
        print("onions \(version) (commit \(commit))")
        return 0
    }
}
