// A first sync and a first push copy the vault a page at a time and tell their progress.
// Needs ONIONS_TEST_PG_URL (see PostgresStoreTests.swift).

import OnionsCrypto
@testable import OnionsCore
@testable import OnionsStore
import XCTest

final class SyncPagingTests: SyncTestCase {
    /// Logs in on `machine` with a remote that records every progress report.
    private func logIn(_ machine: SyncMachine) throws -> (Session, [SyncProgress]) {
        let remote = machine.remote()
        var seen: [SyncProgress] = []
        remote.progress = { seen.append($0) }
        let session = try Session.logIn(store: machine.store, remote: remote, username: "alice",
                                        password: secret("pw"), stateDirectory: machine.stateDirectory)
        return (session, seen)
    }

    /// Several pages, counted up from 0 to the total, in one direction.
    private func checkPages(_ seen: [SyncProgress], sending: Bool, atLeast records: Int,
                            file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertGreaterThanOrEqual(seen.count, 3, "\(seen)", file: file, line: line)
        XCTAssertEqual(seen.first?.done, 0, "\(seen)", file: file, line: line)
        XCTAssertGreaterThanOrEqual(seen.last?.total ?? 0, records, "\(seen)", file: file, line: line)
        XCTAssertEqual(seen.last?.done, seen.last?.total, "\(seen)", file: file, line: line)
        XCTAssertTrue(seen.allSatisfy { $0.sending == sending && $0.total == seen.last?.total }, "\(seen)",
                      file: file, line: line)
        XCTAssertEqual(seen.map(\.done), seen.map(\.done).sorted(), "\(seen)", file: file, line: line)
        XCTAssertEqual(Set(seen.map(\.done)).count, seen.count, "\(seen)", file: file, line: line)
    }

    func testAPushAfterOfflineAndAFirstSyncCopyTheVaultAPageAtATimeAndTellTheirProgress() throws {
        let a = try machine("a")
        let alice = try a.signUp("alice", "pw")
        try setOnline(false, a)
        for i in 0..<300 {
            _ = try alice.saveOnion(id: nil, title: secret("Note \(i)"), info: secret("text of note \(i)"))
        }
        alice.lock()
        try setOnline(true, a)

        // 300 titles and 300 infos go out in more than one page: sent from the store as they are.
        let (again, sent) = try logIn(a)
        defer { again.lock() }
        checkPages(sent, sending: true, atLeast: 600)
        XCTAssertEqual(again.lastSyncReport?.pushed, 600, "every title and info, once")
        XCTAssertFalse(again.hasPendingPush)

        // An empty machine takes them in the same way, each checked as it comes.
        let b = try machine("b")
        let (onB, received) = try logIn(b)
        defer { onB.lock() }
        checkPages(received, sending: false, atLeast: 600)
        XCTAssertEqual(onB.issues, [])
        XCTAssertEqual(titles(onB).count, 300)
        XCTAssertEqual(try info(onB, "Note 299"), "text of note 299")
        // Nothing is left to send or take: both hold the same records at the same versions.
        XCTAssertEqual(try onB.syncNow().pulled, 0)
        XCTAssertEqual(try b.store.recordVersions(vault: onB.vault).count,
                       try a.store.recordVersions(vault: again.vault).count)
    }

    func testARecordAlteredAmongManyIsReportedByNameAndTheOthersAreTaken() throws {
        let a = try machine("a")
        let alice = try a.signUp("alice", "pw")
        for i in 0..<150 {
            _ = try alice.saveOnion(id: nil, title: secret("Note \(i)"), info: secret("text of note \(i)"))
        }
        alice.pushPending()
        XCTAssertFalse(alice.hasPendingPush)
        let name = try newestServerName(alice, alice.keys.name(.onionInfo(try id(alice, "Note 77"))))
        // The server flips a byte of one info's ciphertext (same version, same length).
        _ = try database.adminQuery("""
            UPDATE onions.records SET blob = overlay(blob placing '\\x00'::bytea from 40 for 1),
                seq = nextval('onions.changes') WHERE name = $1
            """, [.bytes(name.bytes)])
        let b = try machine("b")
        let (onB, _) = try logIn(b)
        defer { onB.lock() }
        XCTAssertTrue(onB.issues.contains { $0.kind == .altered && $0.label.contains("onion 'Note 77'") },
                      "\(onB.issues)")
        XCTAssertTrue(onB.issues.allSatisfy { $0.label.contains("onion 'Note 77'") }, "\(onB.issues)")
        XCTAssertEqual(titles(onB).count, 150, "the title still opens; the others are all taken")
        XCTAssertEqual(try info(onB, "Note 76"), "text of note 76")
    }
}
