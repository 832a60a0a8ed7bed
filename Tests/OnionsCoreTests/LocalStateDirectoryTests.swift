import Foundation
import OnionsCore
import OnionsCrypto
import XCTest

/// The state folder cannot be steered by another user: no shared fallback, a private folder,
/// no symbolic link followed, and a state that cannot be written is an error.
final class LocalStateDirectoryTests: VaultTestCase {
    private func assertRefused<R>(mentioning words: String, file: StaticString = #filePath, line: UInt = #line,
                                  _ body: () throws -> R) {
        XCTAssertThrowsError(try body(), file: file, line: line) { error in
            guard case .localState(let why)? = error as? VaultError else {
                return XCTFail("expected .localState, got \(error)", file: file, line: line)
            }
            XCTAssertTrue(why.contains(words), "'\(why)' does not say '\(words)'", file: file, line: line)
        }
    }

    /// The vault state files in the folder (the KDF pins, `kdf-…`, aside).
    private func stateFiles() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: stateDirectory).filter { !$0.hasPrefix("kdf-") }.sorted()
    }

    private func mode(_ path: String) -> mode_t {
        var info = stat()
        XCTAssertEqual(lstat(path, &info), 0, path)
        return info.st_mode & 0o7777
    }

    func testWithoutHomeOrStateHomeThereIsNoDefaultFolder() throws {
        for environment in [[:], ["HOME": "relative/home"], ["XDG_STATE_HOME": "relative", "HOME": ""]] {
            assertRefused(mentioning: "neither XDG_STATE_HOME nor HOME") {
                try LocalState.defaultDirectory(environment: environment)
            }
        }
        XCTAssertEqual(try LocalState.defaultDirectory(environment: ["HOME": "/home/ada"]),
                       "/home/ada/.local/state/onions")
        XCTAssertEqual(try LocalState.defaultDirectory(environment: ["HOME": "/home/ada", "XDG_STATE_HOME": "/s"]),
                       "/s/onions")
    }

    func testTheFolderIsMadePrivate() throws {
        _ = try signUp()
        XCTAssertEqual(mode(stateDirectory), 0o700)
        XCTAssertEqual(try stateFiles().count, 1, "one state file, no temporary left")
    }

    func testAFolderOfAnotherUserIsRefused() throws {
        _ = try signUp()
        if geteuid() == 0 {
            XCTAssertEqual(chown(stateDirectory, 65534, 65534), 0, "chown to nobody")
        } else {
            stateDirectory = "/usr"  // owned by root, not by this user
        }
        assertRefused(mentioning: "belongs to another user") { try logIn() }
    }

    func testAFolderOthersMayWriteIsRefused() throws {
        let session = try signUp()
        XCTAssertEqual(chmod(stateDirectory, 0o777), 0)
        assertRefused(mentioning: "can be changed by other users") { try logIn() }
        assertRefused(mentioning: "can be changed by other users") { try saveOnion(session, title: "x") }
    }

    func testASymbolicLinkPlantedAtTheStateFileIsRefusedAndItsTargetUntouched() throws {
        let session = try signUp()
        try saveOnion(session, title: "Groceries")
        session.lock()
        let name = try XCTUnwrap(try stateFiles().first)
        let target = stateDirectory + "-target"
        try Data("precious".utf8).write(to: URL(fileURLWithPath: target))
        addTeardownBlock { try? FileManager.default.removeItem(atPath: target) }
        try FileManager.default.removeItem(atPath: stateDirectory + "/" + name)
        try FileManager.default.createSymbolicLink(atPath: stateDirectory + "/" + name, withDestinationPath: target)
        assertRefused(mentioning: "is a symbolic link") { try logIn() }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: target)), Data("precious".utf8))
    }

    func testASymbolicLinkPlantedAtTheTemporaryFileIsNotFollowed() throws {
        let session = try signUp()
        let name = try XCTUnwrap(try stateFiles().first)
        let target = stateDirectory + "-target"
        try Data("precious".utf8).write(to: URL(fileURLWithPath: target))
        addTeardownBlock { try? FileManager.default.removeItem(atPath: target) }
        try FileManager.default.createSymbolicLink(atPath: stateDirectory + "/" + name + ".\(getpid()).tmp",
                                                   withDestinationPath: target)
        try saveOnion(session, title: "Groceries")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: target)), Data("precious".utf8))
        XCTAssertEqual(try stateFiles(), [name])
        XCTAssertEqual(titles(try logIn()), ["Groceries"])
    }

    func testAStateFolderReplacedByAFileFailsTheSaveBeforeTheStoreIsWritten() throws {
        let session = try signUp()
        try FileManager.default.removeItem(atPath: stateDirectory)
        try Data("not a folder".utf8).write(to: URL(fileURLWithPath: stateDirectory))
        let before = store.contents
        assertRefused(mentioning: "is not a folder") { try saveOnion(session, title: "Groceries") }
        XCTAssertEqual(store.contents, before, "the store was written although the state could not be")
    }
}
