import Foundation
import OnionsCore
import OnionsCrypto
import XCTest

/// A store put back to an older copy of itself is caught by the counter this machine remembers.
final class RollbackTests: VaultTestCase {
    func testAWholeStoreRolledBackToAnOlderCopyIsReported() throws {
        let session = try signUp()
        try saveOnion(session, title: "Groceries", info: "milk")
        let oldCopy = store.contents
        try saveOnion(session, title: "Garden", info: "roses")
        try session.addTask(secret("water the roses"))
        session.lock()
        store.contents = oldCopy
        let reopened = try logIn()
        let rollbacks = reopened.issues.compactMap { issue -> (UInt64, UInt64)? in
            if case .rolledBack(let seen, let found) = issue.kind { return (seen, found) }
            return nil
        }
        XCTAssertEqual(rollbacks.count, 1, "\(reopened.issues)")
        if let (seen, found) = rollbacks.first {
            XCTAssertEqual(seen - found, 2, "two saves were rolled back")
        }
        XCTAssertTrue(reopened.issues.contains { $0.description.contains("rolled back") })
    }

    func testARollbackIsStillReportedAtTheNextLogIn() throws {
        let session = try signUp()
        let oldCopy = store.contents
        try saveOnion(session, title: "Groceries")
        session.lock()
        store.contents = oldCopy
        _ = try logIn()
        let again = try logIn()
        XCTAssertTrue(again.issues.contains { if case .rolledBack = $0.kind { return true } else { return false } },
                      "the machine forgot what it had seen: \(again.issues)")
    }

    func testOnlyTheManifestRolledBackIsReported() throws {
        let session = try signUp()
        try saveOnion(session, title: "Groceries", info: "milk")
        // The manifest's root and parts as they were after the first save.
        let oldManifest = try store.changes(vault: session.vault, since: 0)
            .filter { SealedLength.isManifest($0.blob) }
        XCTAssertGreaterThanOrEqual(oldManifest.count, 2, "a root and at least one part")
        try saveOnion(session, title: "Garden", info: "roses")
        session.lock()
        for record in oldManifest { store.contents.records[session.vault]?[record.name] = record }
        let reopened = try logIn()
        XCTAssertTrue(reopened.issues.contains { if case .rolledBack = $0.kind { return true } else { return false } },
                      "\(reopened.issues)")
        XCTAssertTrue(reopened.issues.contains { $0.kind == .unlisted(count: 2) }, "\(reopened.issues)")
        XCTAssertEqual(titles(reopened), ["Groceries"])
    }

    func testAStoreThatMovedForwardOnAnotherMachineIsNoRollback() throws {
        let session = try signUp()
        try saveOnion(session, title: "Groceries")
        let elsewhere = stateDirectory + "-elsewhere"
        defer { try? FileManager.default.removeItem(atPath: elsewhere) }
        let other = try logIn(stateDirectory: elsewhere)
        try saveOnion(other, title: "Garden")
        try other.addTask(secret("from the other machine"))
        other.lock()
        let reopened = try logIn()
        XCTAssertTrue(reopened.issues.isEmpty, "\(reopened.issues)")
        XCTAssertEqual(Set(titles(reopened)), ["Groceries", "Garden"])
    }

    func testTheLocalStateHoldsNoUsernameTitleOrPassword() throws {
        let session = try signUp("user-7f3a91", password: "pass-c81e0b")
        try saveOnion(session, title: "title-52d4aa", info: "info-90bb13")
        let files = try FileManager.default.contentsOfDirectory(atPath: stateDirectory)
        XCTAssertFalse(files.isEmpty)
        for file in files {
            let contents = try XCTUnwrap(FileManager.default.contents(atPath: stateDirectory + "/" + file))
            for marker in ["user-7f3a91", "pass-c81e0b", "title-52d4aa", "info-90bb13", session.vault.value] {
                XCTAssertNil(contents.range(of: Data(marker.utf8)), "\(file) holds \(marker)")
                XCTAssertFalse(file.contains(marker))
            }
        }
    }
}
