@testable import OnionsCore
import XCTest

/// What a clear knows of a copy: enough to tell its text again, under a key of its own.
final class CopiedTextTests: XCTestCase {
    func testItMatchesTheCopiedTextAndNothingElse() {
        let text = Array("user: ada".utf8)
        let copied = text.withUnsafeBytes { CopiedText($0) }
        XCTAssertTrue(text.withUnsafeBytes { copied.matches($0) })
        for other in ["user: adb", "user: ada\n", "", " "] {
            XCTAssertFalse(Array(other.utf8).withUnsafeBytes { copied.matches($0) }, other)
        }
        // Two copies of one text hold different keys: nothing to compare across processes.
        XCTAssertNotEqual(copied, text.withUnsafeBytes { CopiedText($0) })
    }

    func testOutsideTmuxNothingIsListedOrDeleted() {
        XCTAssertNil(TmuxBuffers.names(environment: [:]))
        let copied = Array("x".utf8).withUnsafeBytes { CopiedText($0) }
        XCTAssertEqual(TmuxBuffers.delete(copied, environment: ["TMUX": ""]), 0)
    }
}
