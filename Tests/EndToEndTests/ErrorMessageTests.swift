import Foundation
import XCTest

/// What the command line prints when something fails reads as a sentence, not a Swift value.
final class ErrorMessageTests: XCTestCase {
    func testADamagedStoreIsReportedInASentence() throws {
        let vault = try TestVault(for: self)
        try vault.signUpWithCLI(onions: [("Groceries", "milk")])
        // Keep SQLite's magic and page size, scramble the rest: the schema no longer reads.
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: vault.store)))
        for i in 100..<bytes.count { bytes[i] = UInt8(truncatingIfNeeded: i &* 131 &+ 7) }
        try Data(bytes).write(to: URL(fileURLWithPath: vault.store))
        let listed = try vault.cli(["list"])
        XCTAssertEqual(listed.status, 1, listed.stderrText)
        XCTAssertTrue(listed.stderrText.hasPrefix("onions: "), listed.stderrText)
        XCTAssertTrue(listed.stderrText.contains("damaged"), listed.stderrText)
        for swiftValue in ["damaged(\"", "unavailable(\"", "store(", "Error("] {
            XCTAssertFalse(listed.stderrText.contains(swiftValue), listed.stderrText)
        }
    }
}
