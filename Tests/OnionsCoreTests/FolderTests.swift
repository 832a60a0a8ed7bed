import OnionsCore
import OnionsCrypto
import XCTest

/// Onions in folders: the folder is sealed in the title record, survives a log in and an edit,
/// moves, is searched, narrows a list, and every title record keeps its size.
final class FolderTests: VaultTestCase {
    func folders(_ session: Session) -> [String: String] {
        Dictionary(uniqueKeysWithValues: session.onions.map { (session.title($0), session.folder($0)) })
    }

    func testAFolderIsSavedReadBackAfterLogInAndKeptByAnEdit() throws {
        let session = try signUp()
        let id = try session.saveOnion(id: nil, title: secret("GitHub"), info: secret("pw"), folder: secret("web/github.com"))
        try saveOnion(session, title: "Top")
        try saveOnion(session, id: id, title: "GitHub 2", info: "pw2")  // an edit without a folder keeps it
        session.lock()
        let reopened = try logIn()
        XCTAssertEqual(folders(reopened), ["GitHub 2": "web/github.com", "Top": ""])
        XCTAssertTrue(reopened.issues.isEmpty, "\(reopened.issues)")
    }

    func testMovingChangesOnlyTheTitleRecordAndEveryTitleRecordKeepsItsSize() throws {
        let session = try signUp()
        let id = try saveOnion(session, title: "Mail", info: "secret")
        let plain = try recordsWritten(of: session) { try saveOnion(session, id: id, title: "Mail", info: "secret") }
        let moved = try recordsWritten(of: session) {
            try session.moveOnion(id, folder: secret(String(repeating: "😀", count: 200)))
        }
        XCTAssertTrue(Set(moved.map(\.blob.count)).isSubset(of: Set(plain.map(\.blob.count))),
                      "a save with the largest folder writes records of the sizes any save writes: \(moved.map(\.blob.count))")
        XCTAssertTrue(moved.contains { $0.blob.count == 1_310 }, "the title record, of the small class")
        XCTAssertEqual(folders(session)["Mail"]?.count, 200)
        try session.moveOnion(id, folder: secret(""))
        session.lock()
        let reopened = try logIn()
        XCTAssertEqual(folders(reopened), ["Mail": ""])
        XCTAssertEqual(text(try reopened.info(of: id)), "secret")
        XCTAssertThrowsError(try reopened.moveOnion(id, folder: secret(String(repeating: "x", count: 201))))
    }

    func testSearchMatchesTheFolderAndAListNarrowsToAFolderAndBelow() throws {
        let session = try signUp()
        for (title, folder) in [("a", "web/github.com"), ("b", "web"), ("c", "website"), ("d", "")] {
            try session.saveOnion(id: nil, title: secret(title), info: secret("x"), folder: secret(folder))
        }
        func names(_ list: [OnionSummary]) -> [String] { list.map { session.title($0) }.sorted() }
        XCTAssertEqual(names(session.searchOnions(Array("github".utf8))), ["a"])
        XCTAssertEqual(names(session.searchOnions(Array("WEB".utf8))), ["a", "b", "c"])
        XCTAssertEqual(names(session.filterOnions(Array("site".utf8))), ["c"])
        XCTAssertEqual(names(session.onions(under: secret("web"), in: session.onions)), ["a", "b"])
        XCTAssertEqual(names(session.onions(under: secret("web/github.com"), in: session.onions)), ["a"])
        XCTAssertEqual(names(session.onions(under: secret(""), in: session.onions)), ["a", "b", "c", "d"])
    }

    func testAPathIsNormalized() {
        for (given, kept) in [("/web//github.com/", "web/github.com"), ("web", "web"), ("///", ""), ("", "")] {
            XCTAssertEqual(text(FolderPath.normalized(secret(given))), kept, given)
        }
    }
}
