import OnionsCore
import OnionsCrypto
import XCTest

/// The rules of the line merge: which changes of two sides are both applied and which collide.
final class MergeLineTests: XCTestCase {
    private func merge(_ base: String, _ local: String, _ remote: String) -> String? {
        let sides = [base, local, remote].map { SecretBytes(copying: Array($0.utf8)) }
        defer { sides.forEach { $0.wipe() } }
        return ThreeWayMerge.merge(base: sides[0], local: sides[1], remote: sides[2]).map { merged in
            defer { merged.wipe() }
            return merged.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
        }
    }

    // MARK: Neighbours merge

    func testChangesOfNeighbouringLinesAreBothApplied() {
        XCTAssertEqual(merge("a\nb\nc\nd\n", "a\nB\nc\nd\n", "a\nb\nC\nd\n"), "a\nB\nC\nd\n")
        XCTAssertEqual(merge("a\nb\nc\nd\n", "a\nb\nC\nd\n", "a\nB\nc\nd\n"), "a\nB\nC\nd\n")
    }

    func testChangesOfNeighbouringRunsOfLinesAreBothApplied() {
        XCTAssertEqual(merge("1\n2\n3\n4\n", "one\ntwo\n3\n4\n", "1\n2\nthree\nfour\nfive\n"),
                       "one\ntwo\nthree\nfour\nfive\n")
    }

    func testAnInsertionBeforeALineChangedOnTheOtherSideIsApplied() {
        XCTAssertEqual(merge("a\nb\n", "a\nb2\n", "a\nnew\nb\n"), "a\nnew\nb2\n")
    }

    func testAnInsertionAfterALineChangedOnTheOtherSideIsApplied() {
        XCTAssertEqual(merge("a\nb\nc\n", "a\nB\nc\n", "a\nb\nnew\nc\n"), "a\nB\nnew\nc\n")
    }

    func testTheLastLineChangedNextToALineAddedAtTheEnd() {
        XCTAssertEqual(merge("a\nb\n", "a\nB\n", "a\nb\nc\n"), "a\nB\nc\n")
    }

    // MARK: Collisions

    func testDifferentChangesOfTheSameLineCollide() {
        XCTAssertNil(merge("a\nb\nc\n", "a\nX\nc\n", "a\nY\nc\n"))
    }

    func testChangesOfOverlappingRunsCollide() {
        XCTAssertNil(merge("1\n2\n3\n4\n", "1\nTWO\nTHREE\n4\n", "1\n2\nthree\nfour\n"))
    }

    func testDifferentInsertionsAtTheSamePlaceCollide() {
        XCTAssertNil(merge("a\nb\n", "a\nx\nb\n", "a\ny\nb\n"))
        XCTAssertNil(merge("", "x\n", "y\n"))
    }

    func testAnInsertionBetweenLinesChangedOnTheOtherSideCollides() {
        XCTAssertNil(merge("a\nb\nc\nd\n", "a\nb\nnew\nc\nd\n", "a\nB\nC\nd\n"))
    }

    func testALineChangedOnOneSideAndDeletedOnTheOtherCollides() {
        XCTAssertNil(merge("a\nb\nc\n", "a\nB\nc\n", "a\nc\n"))
    }

    func testChangingTheLastLineCollidesWithAddingAfterItWithoutALineBreak() {
        // Adding a line after "b" gives "b" a line break: both sides changed the line "b".
        XCTAssertNil(merge("a\nb", "a\nB", "a\nb\nc"))
    }

    // MARK: The same change on both sides

    func testTheSameChangeOnBothSidesIsTakenOnce() {
        XCTAssertEqual(merge("a\nb\nc\n", "a\nB\nc\n", "a\nB\nc\n"), "a\nB\nc\n")
    }

    func testTheSameInsertionOnBothSidesIsTakenOnce() {
        XCTAssertEqual(merge("a\nb\n", "a\nnew\nb\n", "a\nnew\nb\n"), "a\nnew\nb\n")
    }

    func testTheSameChangeOnBothSidesIsTakenOnceBesideAChangeOfOneSide() {
        XCTAssertEqual(merge("a\nb\nc\nd\n", "a\nB\nc\nD\n", "a\nB\nc\nd\n"), "a\nB\nc\nD\n")
    }

    func testTheSameDeletionOfARepeatedLineIsAppliedOnceWhereverEachSideSeesIt() {
        // Local drops the last "d", remote the first one (and adds "b"): one "d" is gone, not two.
        XCTAssertEqual(merge("c\na\nd\nd\n", "c\na\nd\n", "c\nb\na\nd\n"), "c\nb\na\nd\n")
    }

    // MARK: Deletions

    func testDeletionsOfDifferentLinesAreBothApplied() {
        XCTAssertEqual(merge("1\n2\n3\n4\n", "2\n3\n4\n", "1\n2\n3\n"), "2\n3\n")
    }

    func testDeletionsOfNeighbouringLinesAreBothApplied() {
        XCTAssertEqual(merge("1\n2\n3\n4\n", "1\n3\n4\n", "1\n2\n4\n"), "1\n4\n")
    }

    func testTheSameDeletionOnBothSidesIsAppliedOnce() {
        XCTAssertEqual(merge("1\n2\n3\n", "1\n3\n", "1\n3\n"), "1\n3\n")
    }

    func testADeletionNextToAChangedLineIsApplied() {
        XCTAssertEqual(merge("1\n2\n3\n", "1\ntwo\n3\n", "1\n2\n"), "1\ntwo\n")
    }

    func testDeletingEverythingOnOneSideOfAnUnchangedText() {
        XCTAssertEqual(merge("x\ny\n", "x\ny\n", ""), "")
        XCTAssertEqual(merge("x\ny\n", "", "x\ny\n"), "")
    }

    // MARK: One side only

    func testOneSideUnchangedTakesTheOther() {
        XCTAssertEqual(merge("a\nb\n", "a\nb\n", "a\nB\nc\n"), "a\nB\nc\n")
        XCTAssertEqual(merge("a\nb\n", "a\nB\nc\n", "a\nb\n"), "a\nB\nc\n")
    }
}
