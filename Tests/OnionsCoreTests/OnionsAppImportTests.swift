import Foundation
import OnionsCore
import OnionsCrypto
import XCTest

/// Importing the app's onions: what is saved and in which order, and the report lines for
/// onions that are cut, damaged or not opened, with no text of any onion in them.
final class OnionsAppImportTests: XCTestCase {
    private static let password = "old pässword"
    private let settings = RNCryptor.KeySettings(iterations: 1, prf: .sha1)

    private struct Onion {
        var objectId: String
        var title: String
        var info = "info"
        var updatedAt = "2016-01-01"
        var password = OnionsAppImportTests.password
        /// Replaces both messages with bytes that are not RNCryptor at all.
        var malformed = false
        /// Flips one byte of the info's ciphertext, so its HMAC fails.
        var damagedInfo = false
    }

    private func encrypt(_ text: [UInt8], _ password: String) throws -> String {
        let message = try text.withUnsafeBytes { plain in
            try Array(password.utf8).withUnsafeBytes { try RNCryptor.encrypt(plain, password: $0, settings: settings) }
        }
        return Base64.encode(message)
    }

    private func export(_ onions: [Onion], rawTitle: [UInt8]? = nil, before: [Any] = []) throws -> OnionsAppFile {
        let results = try before + onions.map { o -> [String: Any] in
            var info = try encrypt(Array(o.info.utf8), o.password)
            if o.malformed { info = Base64.encode([9, 9, 9]) }
            if o.damagedInfo {
                var bytes = Base64.decode(info)!
                bytes[40] ^= 1
                info = Base64.encode(bytes)
            }
            let title = o.malformed ? info : try encrypt(rawTitle ?? Array(o.title.utf8), o.password)
            return ["objectId": o.objectId, "onionTitle": title,
                    "onionInfo": info, "iterations": settings.iterations, "onionVersion": 2, "updatedAt": o.updatedAt]
        }
        return try OnionsAppFile(decoding: [UInt8](try JSONSerialization.data(withJSONObject: ["results": results])))
    }

    private struct Refused: Error, CustomStringConvertible {
        var description: String { "the store refused it" }
    }

    /// Runs the import with `password` (a save of the title `refuse` throws); returns the
    /// report, the notes and the saved (title, info) pairs in order.
    private func run(_ file: OnionsAppFile, password: String = OnionsAppImportTests.password, refuse: String? = nil)
        -> (OnionsAppImport.Report, [String], [(String, String)]) {
        var notes: [String] = []
        var saved: [(String, String)] = []
        let secret = SecretBytes(copying: Array(password.utf8))
        let report = OnionsAppImport.run(file, password: secret, save: { title, info in
            let pair = (title.withUnsafeBytes { String(decoding: $0, as: UTF8.self) },
                        info.withUnsafeBytes { String(decoding: $0, as: UTF8.self) })
            if pair.0 == refuse { throw Refused() }
            saved.append(pair)
        }, note: { notes.append($0) })
        return (report, notes, saved)
    }

    func testEveryOnionIsSavedOldestChangeFirst() throws {
        let file = try export([
            Onion(objectId: "b", title: "Newest", info: "家 three", updatedAt: "2016-03-01"),
            Onion(objectId: "a", title: "Oldest", info: "one", updatedAt: "2015-01-01"),
            Onion(objectId: "c", title: "Middle", info: "two\nlines", updatedAt: "2016-02-01"),
        ])
        let (report, notes, saved) = run(file)
        XCTAssertEqual(saved.map(\.0), ["Oldest", "Middle", "Newest"])
        XCTAssertEqual(saved.map(\.1), ["one", "two\nlines", "家 three"])
        XCTAssertEqual(notes, [])
        XCTAssertEqual(report.imported, 3)
        XCTAssertEqual(report.total, 3)
        XCTAssertNil(report.wrongPassword)
        XCTAssertTrue(report.isComplete)
    }

    func testAnOverlongTitleIsCutWithAMarkAndReportedByNumbers() throws {
        let title = String(repeating: "家", count: 38)
        let (report, notes, saved) = run(try export([Onion(objectId: "long1", title: title)]))
        XCTAssertEqual(saved.map(\.0), [String(repeating: "家", count: 29) + "…"])
        XCTAssertEqual(notes, [#"onion long1: the title had 38 characters (30 fit); imported cut to 30 ending in "…""#])
        XCTAssertEqual(report.imported, 1)
    }

    func testADamagedInfoIsReportedAndTheOthersSaved() throws {
        let file = try export([
            Onion(objectId: "broken", title: "B", updatedAt: "2015", damagedInfo: true),
            Onion(objectId: "fine", title: "F", updatedAt: "2016"),
        ])
        let (report, notes, saved) = run(file)
        XCTAssertEqual(saved.map(\.0), ["F"])
        XCTAssertEqual(notes, ["onion broken: the info did not open (damaged); not imported"])
        XCTAssertEqual(report.imported, 1)
        XCTAssertEqual(report.total, 2)
        XCTAssertFalse(report.isComplete)
    }

    func testAWrongPasswordSavesNothingAndSaysSo() throws {
        let file = try export([Onion(objectId: "a", title: "A"), Onion(objectId: "b", title: "B")])
        let (report, notes, saved) = run(file, password: "not it")
        XCTAssertTrue(saved.isEmpty)
        XCTAssertEqual(report.wrongPassword, 2)
        XCTAssertEqual(notes, [])
        XCTAssertFalse(report.isComplete)
    }

    func testAMalformedFieldIsDamagedWhateverThePassword() throws {
        let file = try export([Onion(objectId: "m", title: "M", malformed: true)])
        let (report, notes, _) = run(file, password: "not it")
        XCTAssertNil(report.wrongPassword, "a message not shaped like RNCryptor says nothing about the password")
        XCTAssertEqual(notes, ["onion m: the title and info did not open (damaged); not imported"])
    }

    func testOnionsThatDidNotOpenBeforeOneThatDidAreReportedOnce() throws {
        let file = try export([
            Onion(objectId: "other", title: "O", updatedAt: "2015", password: "another"),
            Onion(objectId: "good", title: "G", updatedAt: "2016"),
            Onion(objectId: "late", title: "L", updatedAt: "2017", damagedInfo: true),
        ])
        let (report, notes, saved) = run(file)
        XCTAssertEqual(saved.map(\.0), ["G"])
        XCTAssertEqual(notes, ["onion other: the title and info did not open (damaged); not imported",
                                      "onion late: the info did not open (damaged); not imported"])
        XCTAssertNil(report.wrongPassword)
    }

    func testARecordProblemAndARefusedSaveAreReported() throws {
        let file = try export([Onion(objectId: "ok", title: "Refused")], before: [["objectId": "bad"]])
        let (report, notes, saved) = run(file, refuse: "Refused")
        XCTAssertTrue(saved.isEmpty)
        XCTAssertEqual(notes, [
            "onion bad: no onionTitle; not imported",
            "onion ok: the store refused it; not imported",
        ])
        XCTAssertEqual(report.total, 2)
    }

    func testATitleThatIsNotUTF8IsReported() throws {
        let (report, notes, saved) = run(try export([Onion(objectId: "x", title: "")], rawTitle: [0x41, 0xff]))
        XCTAssertTrue(saved.isEmpty)
        XCTAssertEqual(notes, ["onion x: a field is not UTF-8 text; not imported"])
        XCTAssertEqual(report.imported, 0)
    }
}
