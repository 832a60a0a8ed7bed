import Foundation
@testable import OnionsCore
import OnionsCrypto
import XCTest

/// An idle session holds no server connection and learns of changes by its checks; a session
/// that saved keeps its connection and hears change notices (SyncIdle.swift).
final class SyncIdleTests: MemorySyncTestCase {
    private var checks = 0

    /// B's remote, with a check that asks the memory server for a change above `since`.
    private func idleRemote(idleAfter: Double) -> SyncRemote {
        let server = self.server!
        let remote = SyncRemote(connect: { try server.connect(as: "b") }, check: { [unowned self] vault, _, since, head in
            self.checks += 1
            return try server.store.changes(vault: vault, since: since).contains { $0.name != head }
        })
        remote.retryInterval = 0
        remote.idleAfter = idleAfter
        remote.checkInterval = 0.05
        return remote
    }

    private func logInB(_ remote: SyncRemote) throws -> Session {
        try Session.logIn(store: b.store, remote: remote, username: "alice", password: SecretBytes(copying: Array("pw".utf8)),
                          stateDirectory: b.stateDirectory)
    }

    func testASessionThatNeverSavedLetsItsConnectionGoAndItsCheckFindsAChange() throws {
        let onA = try a.signUp("alice", "pw")
        let remote = idleRemote(idleAfter: 60)
        let onB = try logInB(remote)
        XCTAssertNil(remote.connected, "the log in's sync let the connection go")
        XCTAssertFalse(onB.pollRemote(timeoutMs: 0))
        usleep(60_000)
        XCTAssertFalse(onB.pollRemote(timeoutMs: 0), "nothing changed")
        XCTAssertEqual(checks, 1)

        try save(onA, "Groceries", "milk\n")
        usleep(60_000)
        XCTAssertTrue(onB.pollRemote(timeoutMs: 0), "the check found A's save")
        XCTAssertNil(try onB.syncNow().offline)
        XCTAssertEqual(titles(onB), ["Groceries"])
        XCTAssertNil(remote.connected, "the sync let the connection go again")
        // The chain's head record, which moved with the save, is no change of its own.
        let before = checks
        for _ in 0..<3 {
            usleep(60_000)
            XCTAssertFalse(onB.pollRemote(timeoutMs: 0), "the change was taken in: the next checks find none")
        }
        XCTAssertEqual(checks, before + 3)
        XCTAssertNil(remote.connected)
    }

    func testASessionThatSavedKeepsItsConnectionAndHearsNoticesUntilItIsIdle() throws {
        let onA = try a.signUp("alice", "pw")
        // Idle after 2 s: the active part below (two saves and two syncs) must end well before,
        // also under ThreadSanitizer on a slow machine, where it took over 0.3 s.
        let remote = idleRemote(idleAfter: 2)
        let onB = try logInB(remote)
        try save(onB, "Mine", "x\n")
        XCTAssertNotNil(remote.connected, "a session that saved keeps its connection")
        XCTAssertNil(try onA.syncNow().offline)
        try save(onA, "Theirs", "y\n")
        XCTAssertTrue(onB.pollRemote(timeoutMs: 0), "the change notice came on the connection")
        XCTAssertNil(try onB.syncNow().offline)
        XCTAssertEqual(titles(onB), ["Mine", "Theirs"])
        XCTAssertEqual(checks, 0, "no check while active")
        XCTAssertNotNil(remote.connected)

        usleep(2_100_000)
        XCTAssertFalse(onB.pollRemote(timeoutMs: 0))
        XCTAssertNil(remote.connected, "idle for longer than idleAfter: the connection went")
    }
}
