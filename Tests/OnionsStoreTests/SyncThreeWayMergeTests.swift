import OnionsCore
import OnionsCrypto
import XCTest

/// The line-based three-way merge of infos.
final class SyncThreeWayMergeTests: XCTestCase {
    private func merge(_ base: String, _ local: String, _ remote: String) -> String? {
        ThreeWayMerge.merge(base: syncSecret(base), local: syncSecret(local), remote: syncSecret(remote)).map(syncText)
    }

    func testEditsOfDifferentLinesAreBothKept() {
        XCTAssertEqual(merge("a\nb\nc\n", "A\nb\nc\n", "a\nb\nC\n"), "A\nb\nC\n")
    }

    func testLinesAddedAtBothEndsAreBothKept() {
        XCTAssertEqual(merge("milk\neggs", "cheese\nmilk\neggs", "milk\neggs\nbread"), "cheese\nmilk\neggs\nbread")
    }

    func testTheSameEditOnBothSidesIsTakenOnce() {
        XCTAssertEqual(merge("a\nb\n", "a\nB\n", "a\nB\n"), "a\nB\n")
    }

    func testDifferentEditsOfTheSameLineDoNotMerge() {
        XCTAssertNil(merge("a\nb\nc\n", "a\nX\nc\n", "a\nY\nc\n"))
    }

    func testAnInsertionNextToAnEditedLineIsKept() {
        XCTAssertEqual(merge("a\nb\n", "a\nb2\n", "a\nnew\nb\n"), "a\nnew\nb2\n")
    }

    func testOneSideUnchangedTakesTheOther() {
        XCTAssertEqual(merge("x\ny\n", "x\ny\n", ""), "")
        XCTAssertEqual(merge("x\ny\n", "x\n", "x\ny\n"), "x\n")
    }

    func testDeletionsOfDifferentLinesAreBothApplied() {
        XCTAssertEqual(merge("1\n2\n3\n4\n", "2\n3\n4\n", "1\n2\n3\n"), "2\n3\n")
    }
}
