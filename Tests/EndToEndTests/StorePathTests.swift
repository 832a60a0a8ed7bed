import Foundation
import XCTest

/// Puts /dev/null back as it was should a broken build change it (as root it could), so a
/// failing test does not damage the machine it runs on.
func restoreDevNullAfterwards(_ test: XCTestCase, mode: mode_t) {
    test.addTeardownBlock {
        var status = stat()
        if stat("/dev/null", &status) == 0 && status.st_mode & 0o7777 != mode { _ = chmod("/dev/null", mode) }
        for suffix in ["-journal", "-wal", "-shm"] {
            var status = stat()
            if lstat("/dev/null" + suffix, &status) == 0 && status.st_mode & S_IFMT == S_IFREG {
                _ = unlink("/dev/null" + suffix)
            }
        }
    }
}

/// `--store` names an onions database file or nothing is done: other files are refused as they
/// are, reading commands change nothing, and a read-only store still reads.
final class StorePathTests: XCTestCase {
    private func mode(_ path: String) -> mode_t {
        var status = stat()
        XCTAssertEqual(stat(path, &status), 0, path)
        return status.st_mode & 0o7777
    }

    private func listWithStore(_ vault: TestVault, _ store: String) throws -> ProcessResult {
        try Harness.run(vault.binary, ["--store", store, "--user", vault.user, "--password-file", vault.passwordFile,
                                       "list"], environment: vault.environment)
    }

    func testADeviceAFIFOAndAFolderAreRefusedAndLeftAsTheyAre() throws {
        let vault = try TestVault(for: self)
        let fifo = vault.folder.appendingPathComponent("pipe").path
        XCTAssertEqual(mkfifo(fifo, 0o644), 0)
        let folder = vault.folder.appendingPathComponent("folder").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        let devNullMode = mode("/dev/null")
        restoreDevNullAfterwards(self, mode: devNullMode)
        for (store, kind) in [("/dev/null", "a device"), (fifo, "a FIFO"), (folder, "a folder")] {
            for command in [["list"], ["--kdf-cost", "15", "signup"]] {
                let refused = try Harness.run(vault.binary, ["--store", store, "--user", vault.user,
                                                             "--password-file", vault.passwordFile] + command,
                                              environment: vault.environment)
                XCTAssertEqual(refused.status, 1, refused.stderrText)
                XCTAssertTrue(refused.stderrText.contains("\(store) is \(kind)"), refused.stderrText)
            }
        }
        XCTAssertEqual(mode("/dev/null"), devNullMode, "/dev/null was chmodded")
        for suffix in ["-journal", "-wal", "-shm"] {
            XCTAssertFalse(FileManager.default.fileExists(atPath: "/dev/null" + suffix), "/dev/null\(suffix) appeared")
            XCTAssertFalse(FileManager.default.fileExists(atPath: fifo + suffix), "pipe\(suffix) appeared")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder), [])
    }

    func testListDoesNotChmodAStoreItCanRead() throws {
        let vault = try TestVault(for: self)
        try vault.signUpWithCLI(onions: [("Groceries", "milk")])
        XCTAssertEqual(chmod(vault.store, 0o644), 0)
        let listed = try vault.cli(["list"])
        XCTAssertEqual(listed.status, 0, listed.stderrText)
        XCTAssertEqual(listed.stdoutText, "Groceries\n")
        XCTAssertEqual(mode(vault.store), 0o644, "list chmodded the store")
    }

    func testAnotherProgramsDatabaseIsRefusedByteForByte() throws {
        let vault = try TestVault(for: self)
        try vault.signUpWithCLI(onions: [("Groceries", "milk")])
        // A valid SQLite file that names another program in its application id.
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: vault.store)))
        bytes.replaceSubrange(68..<72, with: Array("MOZI".utf8))
        try Data(bytes).write(to: URL(fileURLWithPath: vault.store))
        XCTAssertEqual(chmod(vault.store, 0o644), 0)
        for command in [["list"], ["add", "--title", "x"]] {
            let refused = try vault.cli(command)
            XCTAssertEqual(refused.status, 1, refused.stderrText)
            XCTAssertTrue(refused.stderrText.contains("a database of another program"), refused.stderrText)
        }
        XCTAssertEqual([UInt8](try Data(contentsOf: URL(fileURLWithPath: vault.store))), bytes)
        XCTAssertEqual(mode(vault.store), 0o644)
        XCTAssertFalse(FileManager.default.fileExists(atPath: vault.store + "-wal"))
    }

    /// Read-only for root too: a read-only bind mount in a private mount namespace
    /// (`unshare -r -m`), first of the store file alone, then of the folder that holds it.
    func testAReadOnlyStoreListsAndRefusesAddSayingItIsReadOnly() throws {
        let vault = try TestVault(for: self)
        try vault.signUpWithCLI(onions: [("Groceries", "milk")])
        let sub = vault.folder.appendingPathComponent("mounted")
        try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: false)
        let copy = sub.appendingPathComponent("onions.db").path
        try FileManager.default.copyItem(atPath: vault.store, toPath: copy)
        for (store, mounted) in [(vault.store, vault.store), (copy, sub.path)] {
            let words = ["--store", store, "--user", vault.user, "--password-file", vault.passwordFile]
            let script = """
                mount --bind "$1" "$1" && mount -o remount,ro,bind "$1" "$1" || exit 99
                shift
                "$@" list; echo "list=$?"
                "$@" add --title Other; echo "add=$?"
                """
            let run = try Harness.run("/usr/bin/unshare", ["-r", "-m", "/bin/sh", "-c", script, "sh", mounted,
                                                           vault.binary] + words, environment: vault.environment)
            XCTAssertEqual(run.status, 0, "unshare: \(run.stderrText)")
            XCTAssertEqual(run.stdoutText, "Groceries\nlist=0\nadd=1\n", "\(mounted): \(run.stderrText)")
            XCTAssertTrue(run.stderrText.contains("is read-only"), run.stderrText)
            XCTAssertFalse(run.stderrText.contains("Cannot create"), run.stderrText)
        }
        let listed = try vault.cli(["list"])
        XCTAssertEqual(listed.stdoutText, "Groceries\n", listed.stderrText)
    }
}
