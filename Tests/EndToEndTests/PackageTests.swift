import Foundation
import XCTest

/// The Debian package `make deb` builds (env ONIONS_DEB): unpacked as apt would install it, its
/// binary runs on a system without the Swift toolchain, and it carries the man page, the
/// completions and the copyright file.
final class PackageTests: XCTestCase {
    /// The package under test; `make test` builds it and sets ONIONS_DEB.
    private func package() throws -> String {
        guard let path = ProcessInfo.processInfo.environment["ONIONS_DEB"], !path.isEmpty else {
            XCTFail("ONIONS_DEB is not set: it must name the package 'make deb' built (run 'make test')")
            throw HarnessError(description: "no package")
        }
        guard FileManager.default.fileExists(atPath: path) else {
            XCTFail("ONIONS_DEB=\(path) does not exist")
            throw HarnessError(description: "no package")
        }
        return path
    }

    /// The package's files under a fresh folder (`dpkg -x`, what installing it would put in /).
    private func unpacked() throws -> URL {
        let root = try Harness.temporaryDirectory(for: self)
        let result = try Harness.run("/usr/bin/dpkg", ["-x", try package(), root.path])
        XCTAssertEqual(result.status, 0, result.stderrText)
        return root
    }

    /// The Swift toolchain this test process itself was loaded from: the folder above the
    /// `usr/lib/swift/...` that holds its libswiftCore.so.
    private func toolchainRoot() throws -> String {
        // /proc files report a size of 0: read until the end instead of by size.
        guard let handle = FileHandle(forReadingAtPath: "/proc/self/maps") else {
            throw HarnessError(description: "cannot read /proc/self/maps")
        }
        defer { try? handle.close() }
        let maps = String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
        guard let line = maps.split(separator: "\n").first(where: { $0.hasSuffix("/libswiftCore.so") }),
              let path = line.split(separator: " ").last,
              let usr = path.range(of: "/usr/lib/swift/") else {
            XCTFail("this test process did not load libswiftCore.so from a toolchain")
            throw HarnessError(description: "no toolchain")
        }
        return String(path[..<usr.lowerBound])
    }

    /// Runs `arguments` in a private mount namespace where the Swift toolchain's folder is an
    /// empty directory, as on a box that never had Swift.
    private func withoutToolchain(_ arguments: [String], environment: [String: String] = [:]) throws -> ProcessResult {
        let empty = try Harness.temporaryDirectory(for: self)
        let script = "mount --bind \"$1\" \"$2\" || exit 97; shift 2; exec \"$@\""
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { _, new in new }
        return try Harness.run("/usr/bin/unshare", ["-m", "sh", "-c", script, "sh", empty.path, try toolchainRoot()] + arguments,
                               environment: env)
    }

    func testThePackageHoldsTheBinaryManPageCompletionsAndCopyright() throws {
        let root = try unpacked()
        for path in ["usr/bin/onions", "usr/share/man/man1/onions.1.gz", "usr/share/doc/onions/copyright",
                     "usr/share/bash-completion/completions/onions", "usr/share/zsh/vendor-completions/_onions",
                     "usr/share/fish/vendor_completions.d/onions.fish"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: root.appendingPathComponent(path).path), "missing \(path)")
        }
        let info = try Harness.run("/usr/bin/dpkg-deb", ["-f", try package(), "Depends"])
        XCTAssertEqual(info.status, 0, info.stderrText)
        let depends = info.stdoutText
        for library in ["libc6", "libssl3", "libsqlite3-0", "libpq5", "libncursesw6", "libzxcvbn0"] {
            XCTAssertTrue(depends.contains(library), "Depends lacks \(library): \(depends)")
        }
        XCTAssertFalse(depends.lowercased().contains("swift"), "Depends names Swift: \(depends)")
    }

    func testThePackagedBinaryLinksNothingFromTheSwiftToolchain() throws {
        let binary = try unpacked().appendingPathComponent("usr/bin/onions").path
        let toolchain = try toolchainRoot()
        let ldd = try Harness.run("/usr/bin/ldd", [binary])
        XCTAssertEqual(ldd.status, 0, ldd.stderrText)
        XCTAssertFalse(ldd.stdoutText.contains(toolchain), "links the toolchain's libraries:\n\(ldd.stdoutText)")
        XCTAssertFalse(ldd.stdoutText.contains("not found"), ldd.stdoutText)
    }

    func testThePackagedBinaryWorksWhereTheToolchainIsHidden() throws {
        let binary = try unpacked().appendingPathComponent("usr/bin/onions").path
        // The hiding itself works: the toolchain's runtime is gone inside the namespace.
        let core = try toolchainRoot() + "/usr/lib/swift/linux/libswiftCore.so"
        let hidden = try withoutToolchain(["/bin/sh", "-c", "test ! -e \"$0\"", core])
        XCTAssertEqual(hidden.status, 0, "the toolchain is still visible in the namespace: \(hidden.stderrText)")

        let version = try withoutToolchain([binary, "--version"])
        XCTAssertEqual(version.status, 0, version.stderrText)
        XCTAssertTrue(version.stdoutText.hasPrefix("onions "), version.stdoutText)

        let folder = try Harness.temporaryDirectory(for: self)
        let store = folder.appendingPathComponent("onions.db").path
        let passwordFile = folder.appendingPathComponent("password").path
        try Data("no toolchain here\n".utf8).write(to: URL(fileURLWithPath: passwordFile))
        let info = folder.appendingPathComponent("info").path
        try Data("runs on a bare box".utf8).write(to: URL(fileURLWithPath: info))
        let env = ["XDG_STATE_HOME": folder.appendingPathComponent("state").path,
                   "XDG_CONFIG_HOME": folder.appendingPathComponent("config").path]
        let common = ["--store", store, "--user", "bare", "--password-file", passwordFile, "--kdf-cost", "15"]
        let signUp = try withoutToolchain([binary] + common + ["signup"], environment: env)
        XCTAssertEqual(signUp.status, 0, signUp.stderrText)
        let add = try withoutToolchain([binary] + common + ["add", "--title", "Headless", "--info-file", info],
                                       environment: env)
        XCTAssertEqual(add.status, 0, add.stderrText)
        let list = try withoutToolchain([binary] + common + ["list"], environment: env)
        XCTAssertEqual(list.status, 0, list.stderrText)
        XCTAssertEqual(list.stdoutText, "Headless\n")

        // The interface's log-in screen, in tmux, from the same namespace.
        let tmux = try Tmux.start(for: self, environment: env)
        let empty = try Harness.temporaryDirectory(for: self)
        try tmux.runInShell("unshare -m sh -c 'mount --bind \"$1\" \"$2\" && shift 2 && exec \"$@\"' sh "
            + "\(empty.path) \(try toolchainRoot()) \(binary) --store \(store)")
        try tmux.waitFor("Username")
        try tmux.waitFor("Password")
        try tmux.press("C-c")
    }

    /// `onions completion bash` offers exactly the commands `--help` lists, and each command's
    /// subcommands; zsh and fish accept their scripts; fish offers the same commands.
    func testCompletionsOfferWhatTheHelpLists() throws {
        let help = try Harness.onions(["--help"])
        XCTAssertEqual(help.status, 0, help.stderrText)
        let commands = ManPageTests.helpCommands(help.stdoutText)
        XCTAssertTrue(commands.contains("signup") && commands.contains("completion"), "\(commands)")
        let folder = try Harness.temporaryDirectory(for: self)

        let bashScript = folder.appendingPathComponent("onions.bash")
        let bash = try Harness.onions(["completion", "bash"])
        XCTAssertEqual(bash.status, 0, bash.stderrText)
        try Data(bash.stdout).write(to: bashScript)
        let probe = """
        source "$1" || exit 3
        complete -p onions || exit 4
        offer() { COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=(); _onions; echo "${COMPREPLY[*]}"; }
        offer onions ""
        offer onions card ""
        offer onions task ""
        offer onions --user bob import --from ""
        """
        let offered = try Harness.run("/bin/bash", ["--norc", "-c", probe, "bash", bashScript.path])
        XCTAssertEqual(offered.status, 0, offered.stderrText)
        let lines = offered.stdoutText.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertTrue(lines.first?.contains("_onions") ?? false, "complete -p onions: \(lines.first ?? "")")
        XCTAssertEqual(lines.count >= 5 ? lines[1].split(separator: " ").map(String.init) : [], commands)
        XCTAssertEqual(lines.count >= 5 ? lines[2] : "", "add list open rm")
        XCTAssertEqual(lines.count >= 5 ? lines[3] : "", "add list done rm")
        XCTAssertEqual(lines.count >= 5 ? lines[4] : "", "onions-app backup pass jrnl keepassxc keepassxc-csv bitwarden plain")

        for (shell, name) in [("zsh", "_onions"), ("fish", "onions.fish")] {
            let script = folder.appendingPathComponent(name)
            let made = try Harness.onions(["completion", shell])
            XCTAssertEqual(made.status, 0, made.stderrText)
            try Data(made.stdout).write(to: script)
            let check = try Harness.run(try Tmux.executable(shell), ["-n", script.path])
            XCTAssertEqual(check.status, 0, "\(shell) -n: \(check.stderrText)")
        }
        let fish = try Harness.run(try Tmux.executable("fish"),
                                   ["--no-config", "-c", "source $argv[1]; complete -C'onions '",
                                    folder.appendingPathComponent("onions.fish").path])
        XCTAssertEqual(fish.status, 0, fish.stderrText)
        let fishCommands = fish.stdoutText.split(separator: "\n").map { String($0.split(separator: "\t").first ?? "") }
        XCTAssertEqual(Set(fishCommands), Set(commands))
    }
}
