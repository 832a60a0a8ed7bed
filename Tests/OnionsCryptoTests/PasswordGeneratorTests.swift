import XCTest
@testable import OnionsCrypto

final class PasswordGeneratorTests: XCTestCase {
    func testCharacterPasswordsHaveTheLengthAndOnlyTheAlphabetAsked() {
        for _ in 0..<50 {
            let plain = PasswordGenerator.generate(length: 24, symbols: false).testArray
            XCTAssertEqual(plain.count, 24)
            XCTAssertTrue(plain.allSatisfy { PasswordGenerator.alphanumeric.contains($0) })
            let mixed = PasswordGenerator.generate(length: 12).testArray
            XCTAssertEqual(mixed.count, 12)
            XCTAssertTrue(mixed.allSatisfy { PasswordGenerator.alphanumeric.contains($0) || PasswordGenerator.symbols.contains($0) })
        }
    }

    func testEveryCharacterTurnsUpAndNoneIsFavoured() {
        // 80 symbols × 500 expected each: a modulo bias toward the first 16 (2^32 mod 80) would
        // not show at this size, so this checks coverage and gross skew; the rejection bound is
        // checked exactly below.
        var counts = [UInt8: Int]()
        for _ in 0..<2_000 {
            for b in PasswordGenerator.generate(length: 20).testArray { counts[b, default: 0] += 1 }
        }
        XCTAssertEqual(counts.count, PasswordGenerator.alphanumeric.count + PasswordGenerator.symbols.count)
        XCTAssertTrue(counts.values.allSatisfy { (350...650).contains($0) }, "\(counts.values.sorted())")
    }

    func testWordsComeFromTheEFFListJoinedByHyphens() {
        XCTAssertEqual(PasswordGenerator.wordCount, 7_776)
        let list = WordList.shared
        let words = Set(list.words.map { Array(list.text[$0]) })
        XCTAssertEqual(words.count, 7_776, "the list has no duplicates")
        XCTAssertEqual(list.word(0), "abacus")
        XCTAssertEqual(list.word(7_775), "zoom")
        for _ in 0..<50 {
            // The phrase splits into exactly six words of the list (four words hold a hyphen).
            let phrase = PasswordGenerator.generate(words: 6).testArray
            var ways = [Set<Int>](repeating: [], count: phrase.count + 1)
            ways[0] = [0]
            for end in 1...phrase.count {
                for start in 0..<end where !ways[start].isEmpty && (start == 0 || phrase[start - 1] == UInt8(ascii: "-")) {
                    let cut = start == 0 ? 0 : start
                    guard words.contains(Array(phrase[cut..<end])) else { continue }
                    let next = end == phrase.count ? end : end + 1
                    if next <= phrase.count, end == phrase.count || phrase[end] == UInt8(ascii: "-") {
                        ways[next].formUnion(ways[start].map { $0 + 1 })
                    }
                }
            }
            XCTAssertTrue(ways[phrase.count].contains(6), String(decoding: phrase, as: UTF8.self))
        }
    }

    func testEntropyOfEachForm() {
        XCTAssertEqual(PasswordGenerator.entropy(length: 20, symbols: false), 20 * log2(62), accuracy: 1e-9)
        XCTAssertEqual(PasswordGenerator.entropy(length: 20, symbols: true), 20 * log2(80), accuracy: 1e-9)
        XCTAssertEqual(PasswordGenerator.entropy(words: 6), 6 * log2(7_776), accuracy: 1e-9)
        XCTAssertEqual(PasswordGenerator.entropy(words: 6), 77.5, accuracy: 0.1)
    }

    func testUniformDrawsStayBelowTheBoundForAwkwardSizes() {
        for n in [1, 2, 3, 62, 80, 4096, 1_000_003] {
            for _ in 0..<200 { XCTAssertTrue((0..<n).contains(PasswordGenerator.uniform(n))) }
        }
    }
}
