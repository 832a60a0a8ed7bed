import XCTest
@testable import OnionsCore

/// Issue 29 item 10: a plain letter of the query finds it with accents, in every path of the
/// search (the ASCII fast path, the folded path, the highlights, the one-buffer list search).
final class AccentFoldingTests: XCTestCase {
    func contains(_ text: String, _ query: String) -> Bool {
        let needle = TextSearch.foldQuery(Array(query.utf8))
        return Array(text.utf8).withUnsafeBytes { TextSearch.contains($0, needle) }
            && Array(text.utf8).withUnsafeBytes { TextSearch.containsInFolded($0, needle) }
    }

    func testPlainLettersFindAccentedOnes() {
        XCTAssertTrue(contains("Café Central", "cafe"))
        XCTAssertTrue(contains("Cafe\u{301} Central", "CAFE"), "decomposed")
        XCTAssertTrue(contains("crème brûlée", "creme brulee"))
        XCTAssertTrue(contains("Zoë", "zoe"))
        XCTAssertTrue(contains("ĐẾN", "Đến"), "a capital with two accents, lower-cased")
        XCTAssertTrue(contains("ĐẾN", "đen"), "both accents fold")
        XCTAssertFalse(contains("cafè", "café"), "an accent typed must match")
        XCTAssertFalse(contains("Straße", "strasse"), "ß is a letter, not an accent")
        XCTAssertFalse(contains("smørrebrød", "smorrebrod"), "ø is a letter, not an accent")
        XCTAssertFalse(contains("a ≠ b", "a = b"), "signs do not fold")
    }

    func testHighlightsCoverTheAccentedLetters() {
        let text = Array("un café, deux cafés".utf8)
        let ranges = text.withUnsafeBytes { TextSearch.matches(in: $0, of: TextSearch.foldQuery(Array("cafe".utf8))) }
        XCTAssertEqual(ranges.map { String(decoding: text[$0], as: UTF8.self) }, ["café", "café"])
    }
}
