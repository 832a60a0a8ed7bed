import Foundation
import OnionsCore
import OnionsCrypto
import OnionsStore
import XCTest

/// Two sessions on one SQLite file, as two programs on one machine: each sees the other's
/// commits through `data_version`, and a save made after the other's goes through by the rules
/// of sync.
final class SQLitePeerWriterTests: SQLiteStoreTestCase {
    let kdf = ScryptParameters(logN: 10, r: 8, p: 1)
    var state: String { directory.appendingPathComponent("state").path }

    private func twoSessions() throws -> (Session, Session) {
        let first = try Session.signUp(store: try openStore(), username: "ada", password: secret("pw 1"), kdf: kdf,
                                       stateDirectory: state)
        let second = try Session.logIn(store: try openStore(), username: "ada", password: secret("pw 1"),
                                       stateDirectory: state)
        return (first, second)
    }

    private func secret(_ text: String) -> SecretBytes { SecretBytes(copying: Array(text.utf8)) }

    private func titles(_ session: Session) -> [String] { session.onions.map { session.title($0) } }

    private func info(_ session: Session, _ id: ItemID) throws -> String {
        let info = try session.info(of: id)
        defer { info.wipe() }
        return info.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
    }

    func testAnotherConnectionsCommitIsNoticedAndLoadedOnlyOnce() throws {
        let (first, second) = try twoSessions()
        XCTAssertFalse(try first.catchUpWithPeers(), "nothing happened yet")
        try second.saveOnion(id: nil, title: secret("From the other"), info: secret("x"))
        XCTAssertFalse(try second.catchUpWithPeers(), "a session's own commit is not another's")
        XCTAssertTrue(try first.catchUpWithPeers())
        XCTAssertEqual(titles(first), ["From the other"])
        XCTAssertEqual(first.issues, [], "an honest writer is no tampering")
        XCTAssertFalse(try first.catchUpWithPeers())
    }

    func testSaveThatMeetsAnotherWritersCommitReloadsAndTriesAgain() throws {
        let (first, second) = try twoSessions()
        var attempts = 0
        let saved = try first.afterPeers {
            attempts += 1
            // The other writer commits after this session caught up, just before its save.
            if attempts == 1 { try second.saveOnion(id: nil, title: secret("Theirs"), info: secret("t")) }
            return try first.saveOnion(id: nil, title: secret("Mine"), info: secret("m"))
        }
        XCTAssertEqual(attempts, 2, "the first try met the changed store")
        XCTAssertEqual(Set(titles(first)), ["Theirs", "Mine"])
        XCTAssertEqual(try info(first, saved), "m")
        XCTAssertEqual(first.issues, [])
    }

    func testASaveThatKeepsMeetingChangesGivesUpWithASentence() throws {
        let (first, second) = try twoSessions()
        var attempts = 0
        XCTAssertThrowsError(try first.afterPeers {
            attempts += 1
            try second.saveOnion(id: nil, title: secret("Theirs \(attempts)"), info: secret("t"))
            return try first.saveOnion(id: nil, title: secret("Mine"), info: secret("m"))
        }) { error in
            XCTAssertEqual("\(error)", "the store changed underneath this save; try again")
        }
        XCTAssertEqual(attempts, 4, "a bounded number of tries, never forever")
    }

    func testEditsOfOneOnionOnDifferentLinesMerge() throws {
        let (first, second) = try twoSessions()
        let id = try first.saveOnion(id: nil, title: secret("Shared"), info: secret("one\ntwo\nthree"))
        try second.catchUpWithPeers()
        let base = try XCTUnwrap(first.editBase(of: id, info: secret("one\ntwo\nthree")))
        try second.saveOnion(id: id, title: secret("Shared"), info: secret("one\ntwo\nthree B"))
        let saved = try first.saveOnion(id: id, title: secret("Shared"), info: secret("A one\ntwo\nthree"), since: base)
        XCTAssertEqual(saved.outcome, .merged)
        XCTAssertEqual(saved.id, id)
        XCTAssertEqual(try info(first, id), "A one\ntwo\nthree B")
        XCTAssertEqual(titles(first), ["Shared"])
    }

    func testOverlappingEditsKeepTheOtherVersionAndSaveThisOneAsACopy() throws {
        let (first, second) = try twoSessions()
        let id = try first.saveOnion(id: nil, title: secret("Shared"), info: secret("one line"))
        try second.catchUpWithPeers()
        let base = try XCTUnwrap(first.editBase(of: id, info: secret("one line")))
        try second.saveOnion(id: id, title: secret("Shared"), info: secret("B line"))
        let saved = try first.saveOnion(id: id, title: secret("Shared"), info: secret("A line"), since: base)
        XCTAssertEqual(saved.outcome, .keptAsCopy)
        XCTAssertNotEqual(saved.id, id)
        XCTAssertEqual(try info(first, id), "B line")
        XCTAssertEqual(try info(first, saved.id), "A line")
        XCTAssertEqual(Set(titles(first)), ["Shared", "Shared (conflict 2)"])
        // The copy names the onion it came from and this machine; one step puts it back.
        let source = try XCTUnwrap(try first.conflictSource(of: .onion(saved.id)))
        XCTAssertEqual(source.origin.item, .onion(id))
        XCTAssertEqual(source.origin.machine, first.thisMachine)
        XCTAssertEqual(try first.restoreOtherSide(.onion(saved.id)), .onion(id))
        XCTAssertEqual(titles(first), ["Shared"])
        XCTAssertEqual(try info(first, id), "A line")
        XCTAssertEqual(try first.versions(of: .onion(id)).count, 3, "the other writer's version is kept")
    }

    func testAnOnionTheOtherWriterDeletedComesBackAsANewOne() throws {
        let (first, second) = try twoSessions()
        let id = try first.saveOnion(id: nil, title: secret("Doomed"), info: secret("old"))
        try second.catchUpWithPeers()
        let base = try XCTUnwrap(first.editBase(of: id, info: secret("old")))
        try second.deleteOnion(id)
        let saved = try first.saveOnion(id: id, title: secret("Doomed"), info: secret("kept"), since: base)
        XCTAssertEqual(saved.outcome, .restored)
        XCTAssertEqual(titles(first), ["Doomed"])
        XCTAssertEqual(try info(first, saved.id), "kept")
    }

    /// An info another writer changed after the last look is not the version listed: opening
    /// it reloads instead of reporting the store as tampered with.
    func testAnInfoChangedSinceTheLastLookOpensWithoutATamperReport() throws {
        let (first, second) = try twoSessions()
        let id = try first.saveOnion(id: nil, title: secret("Shared"), info: secret("old"))
        try second.catchUpWithPeers()
        try second.saveOnion(id: id, title: secret("Shared"), info: secret("new"))
        let opened = try first.infoAfterPeers(of: id)
        defer { opened.info.wipe() }
        XCTAssertTrue(opened.reloaded)
        XCTAssertEqual(opened.info.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }, "new")
        XCTAssertEqual(first.issues, [], "no false report of an older version")
    }
}
