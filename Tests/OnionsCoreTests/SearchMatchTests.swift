import OnionsCore
import XCTest

/// `TextSearch.matches` finds where the search matched (for highlights), exactly what
/// `contains` finds: folded case, NFC across precomposed and decomposed text.
final class SearchMatchTests: XCTestCase {
    private func matches(_ text: String, _ query: String) -> [String] {
        let bytes = Array(text.utf8)
        let needle = TextSearch.foldQuery(Array(query.utf8))
        let found = bytes.withUnsafeBytes { TextSearch.matches(in: $0, of: needle) }
        return found.map { String(decoding: bytes[$0], as: UTF8.self) }
    }

    func testASCIIMatchesIgnoreCaseAndDoNotOverlap() {
        XCTAssertEqual(matches("Onion, ONION and onionion", "onion"), ["Onion", "ONION", "onion"])
        XCTAssertEqual(matches("aaaa", "aa"), ["aa", "aa"])
        XCTAssertEqual(matches("nothing here", "onion"), [])
        XCTAssertEqual(matches("anything", ""), [])
    }

    func testFoldedMatchesCoverTheCombiningMarks() {
        // "É" decomposed in the text, precomposed in the query: the match takes the mark too.
        XCTAssertEqual(matches("Cafe\u{301} and CAF\u{C9}", "caf\u{E9}"), ["Cafe\u{301}", "CAF\u{C9}"])
        XCTAssertEqual(matches("crème brûlée", "BRÛLÉE"), ["brûlée"])
    }

    func testMatchesAgreeWithContains() {
        let texts = ["Cafe\u{301} list", "crème", "家族の予定 家族", "EGGSHELL eggs", "e\u{301}\u{301}"]
        let queries = ["café", "e", "家族", "eggs", "\u{E9}", "ème", "x"]
        for text in texts {
            for query in queries {
                let needle = TextSearch.foldQuery(Array(query.utf8))
                let bytes = Array(text.utf8)
                let contains = bytes.withUnsafeBytes { TextSearch.contains($0, needle) }
                let found = bytes.withUnsafeBytes { TextSearch.matches(in: $0, of: needle) }
                XCTAssertEqual(contains, !found.isEmpty, "\(text) / \(query)")
                for range in found {
                    let part = Array(bytes[range])
                    XCTAssertTrue(part.withUnsafeBytes { TextSearch.contains($0, needle) }, "\(text) / \(query)")
                }
            }
        }
    }
}
