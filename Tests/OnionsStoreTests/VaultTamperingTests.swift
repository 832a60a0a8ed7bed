import Foundation
import OnionsCore
import OnionsCrypto
import OnionsStore
import XCTest

/// Someone who edits the SQLite file (rows changed with plain SQL, or the whole file put back
/// to an older copy) is caught at log in, and every change is reported by name, never shown.
final class VaultTamperingTests: VaultFileTestCase {
    private var vaultID: VaultID!
    private var groceries: ItemID!
    private var groceriesTitle: StoredRecord!
    private var groceriesInfo: StoredRecord!
    private var gardenTitle: StoredRecord!

    /// A closed file holding Alice's vault with the onions "Groceries" and "Garden".
    override func setUpWithError() throws {
        try super.setUpWithError()
        let store = try openStore()
        let session = try signUp(store, "alice", password: "correct horse")
        vaultID = session.vault
        var written = try recordsWritten(store, of: session) {
            groceries = try session.saveOnion(id: nil, title: secret("Groceries"), info: secret("milk"))
        }
        groceriesTitle = try XCTUnwrap(written.first { $0.blob.count == Self.smallLength })
        groceriesInfo = try XCTUnwrap(written.first { $0.blob.count == Self.largeLength })
        written = try recordsWritten(store, of: session) {
            try session.saveOnion(id: nil, title: secret("Garden"), info: secret("roses"))
        }
        gardenTitle = try XCTUnwrap(written.first { $0.blob.count == Self.smallLength })
        session.lock()
    }

    private func logIn() throws -> Session {
        try logIn(try openStore(), "alice", password: "correct horse")
    }

    private func flipped(_ bytes: [UInt8], at index: Int) -> [UInt8] {
        var copy = bytes
        copy[index] ^= 0x01
        return copy
    }

    private func setBlob(of record: StoredRecord, to blob: [UInt8]) throws {
        XCTAssertEqual(try rawSQL("UPDATE records SET blob = ?1 WHERE name = ?2", blob, record.name.bytes), 1)
    }

    private func assertIssue(_ kind: IntegrityIssue.Kind, naming name: String, in session: Session,
                             file: StaticString = #filePath, line: UInt = #line) {
        let matching = session.issues.filter { $0.kind == kind && $0.label.contains(name) }
        XCTAssertEqual(matching.count, 1, "no \(kind) issue naming \(name) in \(session.issues)", file: file, line: line)
        XCTAssertTrue(matching.allSatisfy { $0.description.contains(name) }, file: file, line: line)
    }

    private func isRollback(_ issue: IntegrityIssue) -> Bool {
        if case .rolledBack = issue.kind { return true }
        return false
    }

    func testTheUntouchedFileOpensWithoutIssues() throws {
        let session = try logIn()
        XCTAssertEqual(Set(titles(session)), ["Groceries", "Garden"])
        XCTAssertTrue(session.issues.isEmpty, "\(session.issues)")
    }

    func testAByteFlippedInARecordIsReportedByNameAndTheOnionIsNotShown() throws {
        try setBlob(of: groceriesTitle, to: flipped(groceriesTitle.blob, at: 700))
        let session = try logIn()
        assertIssue(.damaged, naming: "Groceries", in: session)
        XCTAssertEqual(titles(session), ["Garden"])
    }

    func testAByteFlippedInAnInfoIsReportedByNameWhenItIsOpened() throws {
        try setBlob(of: groceriesInfo, to: flipped(groceriesInfo.blob, at: 4_000))
        let session = try logIn()
        XCTAssertThrowsError(try session.info(of: groceries)) { error in
            guard case .damaged(let label)? = error as? VaultError else { return XCTFail("\(error)") }
            XCTAssertTrue(label.contains("Groceries"), label)
        }
        assertIssue(.damaged, naming: "Groceries", in: session)
    }

    func testTwoRecordsWithTheirBlobsSwappedAreBothReportedByName() throws {
        try setBlob(of: groceriesTitle, to: gardenTitle.blob)
        try setBlob(of: gardenTitle, to: groceriesTitle.blob)
        let session = try logIn()
        assertIssue(.damaged, naming: "Groceries", in: session)
        assertIssue(.damaged, naming: "Garden", in: session)
        XCTAssertTrue(session.onions.isEmpty, "\(titles(session))")
    }

    func testADeletedRowIsReportedMissingByName() throws {
        XCTAssertEqual(try rawSQL("DELETE FROM records WHERE name = ?1", groceriesTitle.name.bytes), 1)
        let session = try logIn()
        assertIssue(.missing, naming: "Groceries", in: session)
        XCTAssertEqual(titles(session), ["Garden"])
    }

    func testAnOlderRowPutBackIsReportedByTheCurrentName() throws {
        let session = try logIn()
        try session.saveOnion(id: groceries, title: secret("Shopping"), info: secret("milk and bread"))
        session.lock()
        XCTAssertEqual(try rawSQL("UPDATE records SET version = 1, blob = ?1 WHERE name = ?2",
                                  groceriesTitle.blob, groceriesTitle.name.bytes), 1)
        let rolled = try logIn()
        assertIssue(.older, naming: "Shopping", in: rolled)
        XCTAssertEqual(titles(rolled), ["Garden"])
    }

    func testRecordsMovedInFromAnotherVaultAreNotShown() throws {
        let store = try openStore()
        let bob = try signUp(store, "bob", password: "correct horse")
        let bobTitle = try XCTUnwrap(recordsWritten(store, of: bob) {
            try bob.saveOnion(id: nil, title: secret("Bob's secret"), info: secret(""))
        }.first { $0.blob.count == Self.smallLength })
        bob.lock()
        // Bob's title blob under Alice's name for "Groceries", and Bob's record itself moved over.
        try setBlob(of: groceriesTitle, to: bobTitle.blob)
        XCTAssertEqual(try rawSQL("UPDATE records SET vault = CAST(?1 AS TEXT) WHERE name = ?2",
                                  Array(vaultID.value.utf8), bobTitle.name.bytes), 1)
        let session = try logIn()
        assertIssue(.damaged, naming: "Groceries", in: session)
        XCTAssertTrue(session.issues.contains { $0.kind == .unlisted(count: 1) }, "\(session.issues)")
        XCTAssertEqual(titles(session), ["Garden"])
    }

    /// Removes the database file and its log, and puts `copy` in its place. Every connection
    /// to the file must be closed (a session holds its store open).
    private func replaceFile(with copy: String) throws {
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
            try FileManager.default.removeItem(atPath: path + suffix)
        }
        try FileManager.default.copyItem(atPath: copy, toPath: path)
    }

    func testTheWholeFileReplacedByAnOlderCopyIsReportedAsARollback() throws {
        let old = directory.appendingPathComponent("old copy.db").path
        for suffix in ["-wal", "-shm"] {
            XCTAssertFalse(FileManager.default.fileExists(atPath: path + suffix), "the closed file has a \(suffix)")
        }
        try FileManager.default.copyItem(atPath: path, toPath: old)

        var session: Session? = try logIn()
        try session!.addTask(secret("water the roses"))
        try session!.saveOnion(id: nil, title: secret("Books"), info: secret(""))
        session = nil

        try replaceFile(with: old)
        let rolled = try logIn()
        let rollbacks = rolled.issues.filter(isRollback)
        XCTAssertEqual(rollbacks.count, 1, "\(rolled.issues)")
        XCTAssertEqual(rollbacks.first?.kind, .rolledBack(seen: 5, found: 3))
        XCTAssertTrue(rollbacks.first?.description.contains("rolled back") ?? false)
    }

    func testACopyTakenAfterACheckpointWhileOpenAndPutBackLaterIsReportedAsARollback() throws {
        var session: Session? = try logIn()
        try session!.saveOnion(id: nil, title: secret("Books"), info: secret(""))
        try rawSQL("PRAGMA wal_checkpoint(TRUNCATE)")
        let old = directory.appendingPathComponent("old copy.db").path
        try FileManager.default.copyItem(atPath: path, toPath: old)
        try session!.addTask(secret("read"))
        session = nil

        try replaceFile(with: old)
        let rolled = try logIn()
        XCTAssertEqual(rolled.issues.filter(isRollback).count, 1, "\(rolled.issues)")
        XCTAssertEqual(Set(titles(rolled)), ["Groceries", "Garden", "Books"], "the copy holds Books")
        XCTAssertTrue(rolled.tasks.isEmpty)
    }

    func testAWrappedKeyAlteredInTheFileIsReportedAsAnAlteredHeader() throws {
        let header = try XCTUnwrap(try openStore().header(vault: vaultID))
        XCTAssertEqual(try rawSQL("UPDATE vault_headers SET wrapped_key = ?1",
                                  flipped(header.wrappedKey, at: 20)), 1)
        assertThrows(.headerAltered) { try logIn() }
    }

    func testASaltAlteredInTheFileIsReportedAsAnAlteredHeader() throws {
        let header = try XCTUnwrap(try openStore().header(vault: vaultID))
        XCTAssertEqual(try rawSQL("UPDATE vault_headers SET parameters = ?1", flipped(header.parameters, at: 15)), 1)
        assertThrows(.headerAltered) { try logIn() }
    }

    func testGarbageParametersInTheFileAreRefusedNotCrashed() throws {
        XCTAssertEqual(try rawSQL("UPDATE vault_headers SET parameters = ?1", [1, 1, 99]), 1)
        XCTAssertThrowsError(try logIn()) { error in
            guard case .headerUnreadable? = error as? VaultError else { return XCTFail("\(error)") }
        }
    }
}
