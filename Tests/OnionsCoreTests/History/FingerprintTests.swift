import XCTest
@testable import OnionsCore
import OnionsCrypto

final class FingerprintTests: XCTestCase {
    func testTheWordListIsTheEFFLargeListWhole() {
        let words = (0..<WordList.shared.count).map { WordList.shared.word($0) }
        XCTAssertEqual(words.count, 7_776)
        XCTAssertEqual(Set(words).count, 7_776)
        XCTAssertEqual(words.first, "abacus")
        XCTAssertEqual(words.last, "zoom")
    }

    func testSixWordsFromTheFirstEightyBitsInBase7776() {
        let zero = CommitHash([UInt8](repeating: 0, count: 32))!
        XCTAssertEqual(Fingerprint(zero).words, Array(repeating: "abacus", count: 6))
        // 1 in the lowest bit of the 80: the last word moves by one.
        var bytes = [UInt8](repeating: 0, count: 32)
        bytes[9] = 1
        XCTAssertEqual(Fingerprint(CommitHash(bytes)!).words.last, "abdomen")
        // 7,776 is 0x1E60: the fifth word moves by one, the sixth is back at the first.
        bytes[8] = 0x1e
        bytes[9] = 0x60
        XCTAssertEqual(Fingerprint(CommitHash(bytes)!).words.suffix(2), ["abdomen", "abacus"])
        // Bytes past the tenth do not count.
        var tail = [UInt8](repeating: 0, count: 32)
        tail[10] = 0xff
        XCTAssertEqual(Fingerprint(CommitHash(tail)!), Fingerprint(zero))
    }

    func testDifferentHashesGiveDifferentWordsAndEachWordIsListed() {
        let a = Fingerprint(CommitHash((0..<32).map { UInt8($0) })!)
        let b = Fingerprint(CommitHash((0..<32).map { UInt8(255 - $0) })!)
        XCTAssertNotEqual(a, b)
        XCTAssertEqual(a.words.count, 6)
        for word in a.words + b.words { XCTAssertTrue((0..<WordList.shared.count).contains { WordList.shared.word($0) == word }) }
    }
}
