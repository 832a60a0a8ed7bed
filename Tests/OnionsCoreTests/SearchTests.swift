import OnionsCore
import OnionsCrypto
import XCTest

/// Searching finds onions by title or info, keeps up with edits, and names an info that does
/// not open instead of matching it.
final class SearchTests: VaultTestCase {
    private func search(_ session: Session, _ query: String) -> Set<String> {
        Set(session.searchOnions(Array(query.utf8)).map { session.title($0) })
    }

    func testSearchFindsOnionsByTitleOrInfoWithoutCaseForASCII() throws {
        let session = try signUp()
        try saveOnion(session, title: "Groceries", info: "Milk and EGGS")
        try saveOnion(session, title: "Garden", info: "roses, eggshell paint")
        try saveOnion(session, title: "Books", info: "\u{5BB6} and more")
        XCTAssertEqual(search(session, "eggs"), ["Groceries", "Garden"])
        XCTAssertEqual(search(session, "MILK"), ["Groceries"])
        XCTAssertEqual(search(session, "book"), ["Books"])
        XCTAssertEqual(search(session, "\u{5BB6}"), ["Books"])
        XCTAssertEqual(search(session, "nowhere"), [])
        XCTAssertEqual(search(session, "").count, 3)
    }

    func testSearchSeesSavesAndDeletesAfterTheFirstSearch() throws {
        let session = try signUp()
        let id = try saveOnion(session, title: "Groceries", info: "milk")
        XCTAssertEqual(search(session, "bread"), [])
        try saveOnion(session, id: id, title: "Groceries", info: "bread")
        try saveOnion(session, title: "Bakery", info: "more bread")
        XCTAssertEqual(search(session, "bread"), ["Groceries", "Bakery"])
        XCTAssertEqual(search(session, "milk"), [])
        try session.deleteOnion(id)
        XCTAssertEqual(search(session, "bread"), ["Bakery"])
    }

    func testAnInfoThatDoesNotOpenIsReportedAndNotMatched() throws {
        let session = try signUp()
        let written = try recordsWritten(of: session) { try saveOnion(session, title: "Groceries", info: "milk") }
        let info = try record(ofLength: SealedLength.large, in: written)
        session.lock()
        store.tamper(vault: session.vault, name: info.name) {
            var blob = $0.blob
            blob[100] ^= 1
            $0 = StoredRecord(name: $0.name, version: $0.version, blob: blob, deleted: false, sequence: $0.sequence)
        }
        let reopened = try logIn()
        XCTAssertEqual(search(reopened, "milk"), [])
        XCTAssertEqual(search(reopened, "groc"), ["Groceries"])
        XCTAssertTrue(reopened.issues.contains { $0.kind == .damaged && $0.label.contains("Groceries") },
                      "\(reopened.issues)")
    }

    func testALockedSessionFindsNothing() throws {
        let session = try signUp()
        try saveOnion(session, title: "Groceries", info: "milk")
        XCTAssertEqual(search(session, "milk"), ["Groceries"])
        session.lock()
        XCTAssertTrue(session.searchOnions(Array("milk".utf8)).isEmpty)
        XCTAssertTrue(session.filterOnions(Array("groc".utf8)).isEmpty)
    }

    func testFoldedSearchFindsEveryPlaceAndNotPastTheEnd() {
        func found(_ haystack: String, _ needle: String) -> Bool {
            Array(haystack.utf8).withUnsafeBytes { TextSearch.containsInFolded($0, Array(needle.utf8)) }
        }
        XCTAssertTrue(found("pin 4417", "pin"))
        XCTAssertTrue(found("a spin", "pin"))
        XCTAssertTrue(found("ppppin", "pin"))
        XCTAssertTrue(found("x", "x"))
        XCTAssertTrue(found("家族 pin", "族"))
        XCTAssertFalse(found("pi", "pin"))
        XCTAssertFalse(found("p i n", "pin"))
        XCTAssertFalse(found("", "p"))
    }

    func testInfosAreSearchedWithoutCaseAfterAnEdit() throws {
        let session = try signUp()
        let id = try saveOnion(session, title: "Bank", info: "the PIN is 4417")
        XCTAssertEqual(session.searchOnions(Array("pin".utf8)).map(\.id), [id])
        try saveOnion(session, id: id, title: "Bank", info: "no code here")
        XCTAssertEqual(session.searchOnions(Array("pin".utf8)).map(\.id), [])
        XCTAssertEqual(session.searchOnions(Array("CODE".utf8)).map(\.id), [id])
    }

    func testAMatchDoesNotRunFromATitleIntoItsInfoOrIntoTheNextOnion() throws {
        let session = try signUp()
        try saveOnion(session, title: "In title", info: "nothing")
        try saveOnion(session, title: "Ends in pi", info: "n starts here, and ends in sp")
        XCTAssertEqual(search(session, "pin"), [])
        XCTAssertEqual(search(session, "spin"), [])
        XCTAssertEqual(search(session, "in t"), ["In title"])
        XCTAssertEqual(search(session, "s here"), ["Ends in pi"])
    }

    func testASearchThatStartsOverListsItsResultsInListOrder() throws {
        let session = try signUp()
        for title in ["pin one", "nothing", "two", "pin three"] {
            try saveOnion(session, title: title, info: title == "two" ? "the PIN \u{5BB6}" : "none")
        }
        let expected = session.onions.filter { session.title($0) != "nothing" }.map(\.id)
        XCTAssertEqual(expected.count, 3)
        XCTAssertEqual(session.searchOnions(Array("pin".utf8)).map(\.id), expected)
        XCTAssertEqual(search(session, "\u{5BB6}"), ["two"])
    }
}
