import Foundation
import OnionsCore
import OnionsCrypto
import XCTest

/// The original app's JSON export: what is taken, and the message for each file or record that
/// is not. Records carry their problem instead of failing the whole file.
final class OnionsAppFileTests: XCTestCase {
    private func file(_ json: String) throws -> OnionsAppFile {
        try OnionsAppFile(decoding: Array(json.utf8))
    }

    private func assertRefused(_ json: String, _ message: String, line: UInt = #line) {
        XCTAssertThrowsError(try file(json), line: line) { error in
            XCTAssertEqual((error as? OnionsAppFile.FormatError)?.description, message, line: line)
        }
    }

    /// The problem of the one record in `{"results": [record]}`.
    private func problem(_ record: String, line: UInt = #line) throws -> String? {
        let parsed = try file(#"{"results": [\#(record)]}"#)
        XCTAssertEqual(parsed.records.count, 1, line: line)
        return parsed.records.first?.problem
    }

    private let good = #""objectId": "a1", "onionTitle": "AwE=", "onionInfo": "AwEC", "updatedAt": "2016-01-02""#

    // MARK: The file

    func testAFileThatIsNotJSONIsRefused() {
        assertRefused("{\"results\": [", "not JSON")
        assertRefused("", "not JSON")
    }

    func testAFileWithoutAResultsListIsRefused() {
        let message = "no \"results\" list (expected an export of the app's Onion class)"
        assertRefused("[]", message)
        assertRefused(#"{"result": []}"#, message)
        assertRefused(#"{"results": {"objectId": "a1"}}"#, message)
        assertRefused(#"{"results": "none"}"#, message)
    }

    func testAnEmptyResultsListHasNoRecords() throws {
        XCTAssertEqual(try file(#"{"results": []}"#).records.count, 0)
    }

    // MARK: Records

    func testAGoodRecordCarriesItsBytesSettingsAndDate() throws {
        let parsed = try file(#"{"results": [{\#(good), "iterations": 10000, "onionVersion": 1}]}"#)
        let record = try XCTUnwrap(parsed.records.first)
        XCTAssertNil(record.problem)
        XCTAssertEqual(record.objectId, "a1")
        XCTAssertEqual(record.title, [3, 1])
        XCTAssertEqual(record.info, [3, 1, 2])
        XCTAssertEqual(record.settings, RNCryptor.KeySettings(iterations: 10_000, prf: .sha512))
        XCTAssertEqual(record.updatedAt, "2016-01-02")
    }

    func testVersionTwoIsSHA1AndNumbersMayBeWrittenAsText() throws {
        let record = try XCTUnwrap(try file(#"{"results": [{\#(good), "iterations": "250", "onionVersion": "2.0"}]}"#)
            .records.first)
        XCTAssertNil(record.problem)
        XCTAssertEqual(record.settings, RNCryptor.KeySettings(iterations: 250, prf: .sha1))
    }

    func testBase64InLinesIsTaken() throws {
        let record = try XCTUnwrap(try file(
            #"{"results": [{"onionTitle": "Aw\r\nE=", "onionInfo": "AwEC", "iterations": 1, "onionVersion": 2}]}"#
        ).records.first)
        XCTAssertNil(record.problem)
        XCTAssertEqual(record.title, [3, 1])
    }

    func testARecordWithoutObjectIdIsNamedByItsPlace() throws {
        let parsed = try file(#"{"results": [{"objectId": "x"}, {"objectId": ""}, 7]}"#)
        XCTAssertEqual(parsed.records.map(\.objectId), ["x", "#2", "#3"])
    }

    func testTheDateFallsBackToCreatedAt() throws {
        let parsed = try file(#"{"results": [{"createdAt": "2015"}, {"createdAt": "2015", "updatedAt": "2017"}, {}]}"#)
        XCTAssertEqual(parsed.records.map(\.updatedAt), ["2015", "2017", ""])
    }

    func testARecordThatIsNotAnObjectIsReported() throws {
        XCTAssertEqual(try problem("[1, 2]"), "not an object")
        XCTAssertEqual(try problem(#""text""#), "not an object")
    }

    func testMissingOrMistypedTextFieldsAreReported() throws {
        XCTAssertEqual(try problem(#"{"onionInfo": "AwEC", "iterations": 1, "onionVersion": 1}"#), "no onionTitle")
        XCTAssertEqual(try problem(#"{"onionTitle": 5, "onionInfo": "AwEC", "iterations": 1, "onionVersion": 1}"#),
                       "no onionTitle")
        XCTAssertEqual(try problem(#"{"onionTitle": "AwE=", "iterations": 1, "onionVersion": 1}"#), "no onionInfo")
        XCTAssertEqual(try problem(#"{"onionTitle": "AwE=", "onionInfo": null, "iterations": 1, "onionVersion": 1}"#),
                       "no onionInfo")
    }

    func testTextFieldsThatAreNotBase64AreReported() throws {
        XCTAssertEqual(try problem(#"{"onionTitle": "Aw*E", "onionInfo": "AwEC", "iterations": 1, "onionVersion": 1}"#),
                       "onionTitle is not base64")
        XCTAssertEqual(try problem(#"{"onionTitle": "AwE=", "onionInfo": "A", "iterations": 1, "onionVersion": 1}"#),
                       "onionInfo is not base64")
    }

    func testIterationsOutsideOneToTheMaximumAreReported() throws {
        let message = "iterations is missing or not a number from 1 to 1000000"
        for bad in ["0", "-5", "1000001", "2.5", "\"many\"", "true", "null", "[1]"] {
            XCTAssertEqual(try problem(#"{\#(good), "iterations": \#(bad), "onionVersion": 1}"#), message, bad)
        }
        XCTAssertEqual(try problem(#"{\#(good), "onionVersion": 1}"#), message)
        XCTAssertNil(try problem(#"{\#(good), "iterations": 1000000, "onionVersion": 1}"#))
    }

    /// Each onion within its own cap, but together more PBKDF2 work than an import may ask for:
    /// refused as a whole before any key is derived.
    func testAnExportWhoseOnionsTogetherAskForTooManyIterationsIsRefused() {
        let onion = #"{\#(good), "iterations": 1000000, "onionVersion": 2}"#
        let fits = Limits.maximumPBKDF2IterationsPerImport / 2_000_000
        XCTAssertNoThrow(try file(#"{"results": [\#(Array(repeating: onion, count: fits).joined(separator: ","))]}"#))
        let tooMany = Array(repeating: onion, count: fits + 1).joined(separator: ",")
        assertRefused(#"{"results": [\#(tooMany)]}"#,
                      "the export's onions together has \(2_000_000 * (fits + 1)) PBKDF2 iterations, over the limit of "
                      + "2000000000 PBKDF2 iterations")
    }

    func testAnExportOfMoreOnionsThanTheLimitIsRefused() {
        let onions = Array(repeating: "1", count: Limits.maximumOnionsPerImport + 1).joined(separator: ",")
        assertRefused(#"{"results": [\#(onions)]}"#, "the export has 100001 onions, over the limit of 100000 onions")
    }

    func testAnExportLargerThanTheLimitIsRefusedBeforeItIsParsed() {
        let bytes = [UInt8](repeating: 0x20, count: Limits.maximumOnionsAppFileBytes + 1)
        XCTAssertThrowsError(try OnionsAppFile(decoding: bytes)) { error in
            XCTAssertEqual((error as? OnionsAppFile.FormatError)?.description,
                           "the file has 67108865 bytes, over the limit of 67108864 bytes")
        }
    }

    func testAnUnknownOnionVersionIsReported() throws {
        let message = "onionVersion is missing or neither 1 nor 2"
        for bad in ["0", "3", "1.5", "\"one\"", "null"] {
            XCTAssertEqual(try problem(#"{\#(good), "iterations": 1, "onionVersion": \#(bad)}"#), message, bad)
        }
        XCTAssertEqual(try problem(#"{\#(good), "iterations": 1}"#), message)
    }

    // MARK: Opening a field

    func testAFieldOpensWithTheRightPasswordOnly() throws {
        let settings = RNCryptor.KeySettings(iterations: 1, prf: .sha512)
        let message = try Array("secret".utf8).withUnsafeBytes { text in
            try Array("pw".utf8).withUnsafeBytes { try RNCryptor.encrypt(text, password: $0, settings: settings) }
        }
        let right = SecretBytes(copying: Array("pw".utf8))
        let wrong = SecretBytes(copying: Array("px".utf8))
        let opened = try XCTUnwrap(OnionsAppFile.open(message, settings, password: right).opened)
        XCTAssertEqual(opened.withUnsafeBytes { Array($0) }, Array("secret".utf8))
        XCTAssertTrue(OnionsAppFile.open(message, settings, password: wrong).isRejected)
        let other = RNCryptor.KeySettings(iterations: 2, prf: .sha512)
        XCTAssertTrue(OnionsAppFile.open(message, other, password: right).isRejected)
        let cut = OnionsAppFile.open(Array(message.prefix(20)), settings, password: right)
        XCTAssertNil(cut.opened)
        XCTAssertFalse(cut.isRejected, "a cut message is malformed, not a wrong password")
    }
}
