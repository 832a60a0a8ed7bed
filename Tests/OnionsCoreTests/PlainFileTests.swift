import Foundation
import OnionsCore
import XCTest

/// Reading a file that holds no secret: its bytes, one byte past the limit to show a file is
/// too large, and the two ways of failing.
final class PlainFileTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("onions-plain-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
    }

    override func tearDownWithError() throws {
        try FileManager.default.removeItem(at: folder)
    }

    private func file(_ bytes: [UInt8]) throws -> String {
        let url = folder.appendingPathComponent("file")
        try Data(bytes).write(to: url)
        return url.path
    }

    func testAFileWithinTheLimitIsReadWhole() throws {
        let bytes = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 * 7) }
        XCTAssertEqual(try PlainFile.read(try file(bytes), limit: bytes.count), bytes)
        XCTAssertEqual(try PlainFile.read(try file([]), limit: 10), [])
    }

    func testAFileOverTheLimitGivesOneByteMore() throws {
        let bytes = [UInt8](repeating: 1, count: 100_000)
        XCTAssertEqual(try PlainFile.read(try file(bytes), limit: 70_000).count, 70_001)
        XCTAssertEqual(try PlainFile.read(try file(bytes), limit: 0).count, 1)
    }

    func testAMissingFileSaysSo() {
        XCTAssertThrowsError(try PlainFile.read(folder.appendingPathComponent("none").path, limit: 10)) {
            XCTAssertEqual(($0 as? PlainFile.Failure)?.missing, true)
        }
    }

    func testAFolderIsUnreadableWithTheSystemsReason() {
        XCTAssertThrowsError(try PlainFile.read(folder.path, limit: 10)) {
            let failure = $0 as? PlainFile.Failure
            XCTAssertEqual(failure?.missing, false)
            XCTAssertEqual(failure?.reason, "Is a directory")
        }
    }
}
