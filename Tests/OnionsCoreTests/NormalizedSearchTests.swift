import OnionsCore
import OnionsCrypto
import XCTest

/// Search treats text that Unicode calls the same as the same: precomposed and decomposed
/// accents (NFC = NFD) and upper and lower case, in titles and in infos.
final class NormalizedSearchTests: VaultTestCase {
    private func search(_ session: Session, _ query: String) -> Set<String> {
        Set(session.searchOnions(Array(query.utf8)).map { session.title($0) })
    }

    func testPrecomposedFindsDecomposedAndTheOtherWayRound() throws {
        let session = try signUp()
        try saveOnion(session, title: "Cafe\u{301} list", info: "nothing")
        try saveOnion(session, title: "Menu", info: "cr\u{E8}me br\u{FB}l\u{E9}e")
        XCTAssertEqual(search(session, "caf\u{E9}"), ["Cafe\u{301} list"], "precomposed query, decomposed title")
        XCTAssertEqual(search(session, "cre\u{300}me"), ["Menu"], "decomposed query, precomposed info")
        XCTAssertEqual(search(session, "br\u{FB}l\u{E9}e"), ["Menu"])
    }

    func testCaseIsFoldedBeyondASCII() throws {
        let session = try signUp()
        try saveOnion(session, title: "CAF\u{C9}", info: "\u{41C}\u{41E}\u{41B}\u{41E}\u{41A}\u{41E}")
        XCTAssertEqual(search(session, "caf\u{E9}"), ["CAF\u{C9}"])
        XCTAssertEqual(search(session, "Cafe\u{301}"), ["CAF\u{C9}"])
        XCTAssertEqual(search(session, "\u{43C}\u{43E}\u{43B}\u{43E}\u{43A}\u{43E}"), ["CAF\u{C9}"], "Cyrillic")
    }

    func testAFoldedQueryDoesNotMatchADifferentAccent() throws {
        let session = try signUp()
        try saveOnion(session, title: "caf\u{E8}", info: "x")
        XCTAssertEqual(search(session, "caf\u{E9}"), [])
    }

    func testFoldQueryComposesAndLowerCases() {
        XCTAssertEqual(TextSearch.foldQuery(Array("CAFE\u{301}".utf8)), Array("caf\u{E9}".utf8))
        XCTAssertEqual(TextSearch.foldQuery(Array("Milk".utf8)), Array("milk".utf8))
    }
}
