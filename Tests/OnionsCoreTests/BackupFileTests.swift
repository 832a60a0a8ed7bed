import OnionsCore
import OnionsCrypto
import XCTest

/// The sealed backup file: what it writes, that it reads its own output back, and every kind of
/// file it refuses, each with the message a person sees.
final class BackupFileTests: XCTestCase {
    private let vault = VaultID(Base64.encode([UInt8](repeating: 7, count: 32)))
    private let header = VaultHeaderBlob(parameters: [1, 2, 3], wrappedKey: [4, 5, 6, 7], verifier: [8])
    private let live = RecordName([UInt8](repeating: 0xab, count: 32))
    private let gone = RecordName([UInt8](repeating: 0x01, count: 32))

    private var backup: BackupFile {
        BackupFile(vault: vault, header: header, records: [
            StoredRecord(name: live, version: 3, blob: [0xff, 0x00, 0x10], deleted: false, sequence: 0),
            StoredRecord(name: gone, version: 2, blob: [], deleted: true, sequence: 0),
        ])
    }

    /// The lines of `backup.encoded()`, for tests that change one of them.
    private var lines: [String] {
        String(decoding: backup.encoded(), as: UTF8.self).components(separatedBy: "\n")
    }

    private func decoding(_ lines: [String]) throws -> BackupFile {
        try BackupFile(decoding: Array(lines.joined(separator: "\n").utf8))
    }

    private func assertRefused(_ lines: [String], _ message: String, file: StaticString = #filePath,
                               line: UInt = #line) {
        XCTAssertThrowsError(try decoding(lines), file: file, line: line) { error in
            XCTAssertEqual((error as? BackupFile.FormatError)?.description, message, file: file, line: line)
        }
    }

    // MARK: Writing and reading back

    func testTheFileIsTheHeaderThenOneLinePerRecordThenTheCount() {
        XCTAssertEqual(lines, [
            "onions-backup 1",
            "vault " + vault.value,
            "parameters AQID",
            "wrapped-key BAUGBw==",
            "verifier CA==",
            "record " + String(repeating: "ab", count: 32) + " 3 /wAQ",
            "deleted " + String(repeating: "01", count: 32) + " 2",
            "end 2",
            "",
        ])
    }

    func testAFileReadsBackAsTheBackupThatWroteIt() throws {
        XCTAssertEqual(try BackupFile(decoding: backup.encoded()), backup)
    }

    func testAnEmptyVaultReadsBack() throws {
        let empty = BackupFile(vault: vault, header: header, records: [])
        XCTAssertEqual(try BackupFile(decoding: empty.encoded()), empty)
    }

    func testUpperCaseNamesAndTrailingBlankLinesAreTaken() throws {
        var changed = lines
        changed[5] = "record " + String(repeating: "AB", count: 32) + " 3 /wAQ"
        changed.append("")
        XCTAssertEqual(try decoding(changed), backup)
    }

    func testRestoringWritesEachRecordOnceAtItsVersion() {
        XCTAssertEqual(backup.restoringWrites(), [
            .put(name: live, blob: [0xff, 0x00, 0x10], expectedVersion: 0, version: 3),
            .delete(name: gone, expectedVersion: 0, version: 2),
        ])
        XCTAssertEqual(backup.restoringWriteCount, 2)
    }

    // MARK: Refusals

    func testAnotherMagicLineIsNotABackup() {
        var changed = lines
        changed[0] = "onions-backup 2"
        assertRefused(changed, "not an onions backup (the first line is not 'onions-backup 1')")
        XCTAssertThrowsError(try BackupFile(decoding: []))
    }

    func testAFileCutInsideTheHeaderNamesTheMissingLine() {
        assertRefused(Array(lines.prefix(3)), "line 4: the file ends before 'wrapped-key'")
    }

    func testAFileCutBeforeItsEndLineIsRefused() {
        assertRefused(Array(lines.prefix(6)), "the file is cut off (no 'end' line)")
        assertRefused(Array(lines.prefix(7)) + [""], "the file is cut off (no 'end' line)")
    }

    func testAHeaderLineOutOfPlaceIsRefused() {
        var changed = lines
        changed.swapAt(2, 3)
        assertRefused(changed, "line 3: expected 'parameters …'")
    }

    func testAVaultIdThatIsNotAStretchedNameIsRefused() {
        var changed = lines
        changed[1] = "vault " + Base64.encode([1, 2, 3])
        assertRefused(changed, "line 2: the vault id is not a stretched name")
    }

    func testBadBase64InTheHeaderIsRefused() {
        for bad in ["AQ*D", "", "AQID ", "AQ\tID", "AQJ=", "QR=="] {
            var changed = lines
            changed[2] = "parameters " + bad
            assertRefused(changed, bad.contains(" ") ? "line 3: expected 'parameters …'" : "line 3: parameters is not base64")
        }
    }

    func testBadBase64InABlobIsRefused() {
        for bad in ["/wA*", "", "/w A"] {
            var changed = lines
            changed[5] = "record " + String(repeating: "ab", count: 32) + " 3 " + bad
            assertRefused(changed, bad.contains(" ")
                ? "line 6: expected 'record NAME VERSION BLOB', 'deleted NAME VERSION' or 'end N'"
                : "line 6: the blob is not base64")
        }
    }

    func testANameThatIsNotSixtyFourHexDigitsIsRefused() {
        for bad in [String(repeating: "ab", count: 31), String(repeating: "ab", count: 31) + "xy",
                    String(repeating: "ab", count: 33)] {
            var changed = lines
            changed[6] = "deleted \(bad) 2"
            assertRefused(changed, "line 7: the name is not 64 hex digits")
        }
    }

    func testANameGivenTwiceIsRefused() {
        var changed = lines
        changed[6] = "deleted " + String(repeating: "ab", count: 32) + " 2"
        assertRefused(changed, "line 7: the name appears twice")
    }

    func testAVersionOutsideOneToTheMaximumIsRefused() {
        XCTAssertEqual(BackupFile.maximumVersion, 1_048_576)
        for bad in ["0", "1048577", "18446744073709551616", "-1", "two"] {
            var changed = lines
            changed[6] = "deleted " + String(repeating: "01", count: 32) + " " + bad
            assertRefused(changed, "line 7: the version is not a number from 1 to 1048576")
        }
        var highest = lines
        highest[6] = "deleted " + String(repeating: "01", count: 32) + " 1048576"
        XCTAssertNoThrow(try decoding(highest))
    }

    func testAnUnknownLineIsRefused() {
        var changed = lines
        changed[6] = "moved " + String(repeating: "01", count: 32) + " 2"
        assertRefused(changed, "line 7: expected 'record NAME VERSION BLOB', 'deleted NAME VERSION' or 'end N'")
        changed[6] = "deleted " + String(repeating: "01", count: 32) + " 2 AQID"
        assertRefused(changed, "line 7: expected 'record NAME VERSION BLOB', 'deleted NAME VERSION' or 'end N'")
    }

    func testAnEndLineWithTheWrongCountIsRefused() {
        var changed = lines
        changed[7] = "end 3"
        assertRefused(changed, "line 8: the 'end' line does not count 2 records")
        changed.remove(at: 6)
        changed[6] = "end 2"
        assertRefused(changed, "line 7: the 'end' line does not count 1 records")
    }

    func testTextAfterTheEndLineIsRefused() {
        var changed = lines
        changed.insert("record " + String(repeating: "cd", count: 32) + " 1 AQID", at: 8)
        assertRefused(changed, "line 9: text after the 'end' line")
    }

    // MARK: Limits

    func testABackupOfMoreRecordsThanAVaultMayHoldIsRefused() {
        var lines = Array(self.lines.prefix(5))
        let limit = Limits.maximumRecordsPerVault
        for i in 0...limit {
            let hex = String(i, radix: 16)
            let name = String(repeating: "0", count: 64 - hex.count) + hex
            lines.append("deleted \(name) 1")
        }
        lines.append("end \(limit + 1)")
        assertRefused(lines, "line \(limit + 6): more than the limit of \(limit) records")
    }

    func testABlobLargerThanAStoreMayHoldIsRefusedBeforeItIsDecoded() {
        var lines = self.lines
        let index = lines.firstIndex { $0.hasPrefix("record ") }!
        let parts = lines[index].split(separator: " ")
        let big = Base64.encode([UInt8](repeating: 1, count: Limits.maximumBlobBytes + 3))
        lines[index] = "\(parts[0]) \(parts[1]) \(parts[2]) \(big)"
        assertRefused(lines, "line \(index + 1): the blob is larger than the limit of \(Limits.maximumBlobBytes) bytes")
    }
}
