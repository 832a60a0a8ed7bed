// Turns on a real PostgreSQL (RemoteStore.takeTurn): the vault's sessions sync one after
// another instead of racing for the manifest. Needs ONIONS_TEST_PG_URL (PostgresStoreTests.swift).

import Foundation
@testable import OnionsCore
import OnionsCrypto
@testable import OnionsStore
import XCTest

final class PostgresTurnTests: SyncTestCase {
    /// A second connection to the vault of `key`, logged in as its role.
    private func connection(_ vault: VaultID, _ key: SecretBytes) throws -> PostgresStore {
        let store = try database.clientStore()
        try store.authorize(vault: vault, authKey: key)
        return store
    }

    /// Runs `body` on another thread; the returned check waits (up to 30 s) for it to end and
    /// says when it did and what it threw.
    private func inBackground(_ body: @escaping () throws -> Void) -> () -> Background.Outcome? {
        let job = Background(body)
        Thread { job.run() }.start()
        return { job.wait() }
    }

    func testAHeldTurnKeepsTheVaultsOtherSessionsWaitingUntilItsWriteCommits() throws {
        let holder = try database.clientStore()
        let (vault, key) = try makeVault(holder)
        let other = try connection(vault, key)
        let name = randomName()

        XCTAssertTrue(try holder.takeTurn(vault: vault))
        var otherSaw: UInt64?
        let waited = inBackground {
            guard try other.takeTurn(vault: vault) else { throw StoreError.unavailable("no turn") }
            otherSaw = try other.record(vault: vault, name: name)?.version
            _ = try other.apply(vault: vault, writes: [.put(name: name, blob: [2], expectedVersion: 1)])
        }
        usleep(400_000)
        let committed = Date()
        try holder.apply(vault: vault, writes: [.put(name: name, blob: [1], expectedVersion: 0)])

        let outcome = try XCTUnwrap(waited(), "the other session never got its turn")
        XCTAssertNil(outcome.error, "the other session: \(String(describing: outcome.error))")
        XCTAssertGreaterThanOrEqual(outcome.ended, committed, "the other session went on while the turn was held")
        XCTAssertEqual(otherSaw, 1, "the other session's turn began before the holder's write was committed")
        XCTAssertEqual(try holder.record(vault: vault, name: name)?.version, 2)
    }

    func testAPlainWriteWaitsForAHeldTurnAndAReadInTheTurnSeesNoneOfIt() throws {
        let holder = try database.clientStore()
        let (vault, key) = try makeVault(holder)
        let writer = try connection(vault, key)
        let name = randomName()

        XCTAssertTrue(try holder.takeTurn(vault: vault))
        let waited = inBackground {
            _ = try writer.apply(vault: vault, writes: [.put(name: name, blob: [9], expectedVersion: 0)])
        }
        usleep(400_000)
        XCTAssertNil(try holder.record(vault: vault, name: name), "a write landed inside the held turn")
        let ended = Date()
        holder.endTurn(vault: vault)
        let outcome = try XCTUnwrap(waited(), "the write never went through")
        XCTAssertNil(outcome.error)
        XCTAssertGreaterThanOrEqual(outcome.ended, ended)
        XCTAssertEqual(try holder.record(vault: vault, name: name)?.blob, [9])
    }

    func testAnotherVaultsRoleCannotHoldUpATurn() throws {
        let mine = try database.clientStore()
        let (vault, _) = try makeVault(mine)
        let stranger = try database.clientStore()
        let (theirs, _) = try makeVault(stranger)
        XCTAssertTrue(try stranger.takeTurn(vault: theirs))
        defer { stranger.endTurn(vault: theirs) }

        let start = Date()
        XCTAssertTrue(try mine.takeTurn(vault: vault))
        XCTAssertLessThan(Date().timeIntervalSince(start), 1, "another vault's turn held this one up")
        try mine.apply(vault: vault, writes: [put(randomName(), 0)])
    }

    func testATurnNotHadInTimeIsRefusedAndTheStoreStaysUsable() throws {
        let holder = try database.clientStore()
        let (vault, key) = try makeVault(holder)
        let other = try connection(vault, key)
        XCTAssertTrue(try holder.takeTurn(vault: vault))

        XCTAssertFalse(try other.takeTurn(vault: vault), "a turn was had while another session held it")
        // Without the turn the store still reads and, once the holder is done, writes.
        XCTAssertEqual(try other.changes(vault: vault, since: 0).count, 0)
        holder.endTurn(vault: vault)
        try other.apply(vault: vault, writes: [put(randomName(), 0)])
        XCTAssertEqual(try holder.changes(vault: vault, since: 0).count, 1)
    }

    func testAConflictEndsTheTurnAndFreesTheVault() throws {
        let holder = try database.clientStore()
        let (vault, key) = try makeVault(holder)
        let other = try connection(vault, key)
        let name = randomName()
        try holder.apply(vault: vault, writes: [put(name, 0)])

        XCTAssertTrue(try holder.takeTurn(vault: vault))
        XCTAssertThrowsError(try holder.apply(vault: vault, writes: [put(name, 0)])) {
            XCTAssertEqual($0 as? StoreError, .conflict(name: name, current: 1))
        }
        // The aborted transaction was rolled back: the vault is free and this store works.
        XCTAssertTrue(try other.takeTurn(vault: vault))
        try other.apply(vault: vault, writes: [put(name, 1)])
        XCTAssertEqual(try holder.record(vault: vault, name: name)?.version, 2)
        XCTAssertTrue(try holder.takeTurn(vault: vault))
        holder.endTurn(vault: vault)
    }

    func testTheServerEndsATurnThatIdlesPastItsLimit() throws {
        let holder = try database.clientStore()
        let (vault, key) = try makeVault(holder)
        let other = try connection(vault, key)
        XCTAssertTrue(try holder.takeTurn(vault: vault))
        // A machine stopped in its turn (kill -STOP) holds no one up past the idle limit.
        let start = Date()
        var had = false
        while !had && Date().timeIntervalSince(start) < 30 {
            had = try other.takeTurn(vault: vault)
        }
        XCTAssertTrue(had, "the idle turn was never ended")
        XCTAssertLessThan(Date().timeIntervalSince(start), 20)
        other.endTurn(vault: vault)
    }

    func testASyncReadsAndWritesOnlyInItsTurn() throws {
        let a = try machine("a")
        let session = try a.signUp("turns", "correct horse battery")
        defer { session.lock() }
        let holder = try connection(session.vault, session.passwordKeys.authKey)

        // Even a round with nothing to write waits: it reads nothing of a round in progress.
        XCTAssertTrue(try holder.takeTurn(vault: session.vault))
        let syncing = inBackground { _ = try session.syncNow() }
        usleep(500_000)
        var ended = Date()
        holder.endTurn(vault: session.vault)
        var outcome = try XCTUnwrap(syncing(), "the sync never ended")
        XCTAssertNil(outcome.error)
        XCTAssertGreaterThanOrEqual(outcome.ended, ended, "the sync read the vault while another session held its turn")

        // A save does not wait for the turn (it reaches for no server); its push waits, then goes
        // out at once.
        XCTAssertTrue(try holder.takeTurn(vault: session.vault))
        _ = try session.saveOnion(id: nil, title: syncSecret("Groceries"), info: syncSecret("eggs"))
        XCTAssertTrue(session.hasPendingPush)
        let pushing = inBackground { _ = session.pushPending() }
        usleep(500_000)
        ended = Date()
        holder.endTurn(vault: session.vault)
        outcome = try XCTUnwrap(pushing(), "the push never ended")
        XCTAssertNil(outcome.error)
        XCTAssertGreaterThanOrEqual(outcome.ended, ended, "the save's push went on while another session held the turn")
        XCTAssertNil(session.lastSyncReport?.refused)
        XCTAssertFalse(session.sync?.pending ?? true, "the save was not pushed once the turn was had")

        let b = try machine("b")
        let other = try b.logIn("turns", "correct horse battery")
        defer { other.lock() }
        XCTAssertEqual(titles(other), ["Groceries"])
    }
}

/// A job on another thread (the test thread waits for it; nothing else touches it meanwhile).
private final class Background: @unchecked Sendable {
    struct Outcome {
        var ended: Date
        var error: (any Error)?
    }

    private let body: () throws -> Void
    private let done = DispatchSemaphore(value: 0)
    private var outcome: Outcome?

    init(_ body: @escaping () throws -> Void) { self.body = body }

    func run() {
        var thrown: (any Error)?
        do { try body() } catch { thrown = error }
        outcome = Outcome(ended: Date(), error: thrown)
        done.signal()
    }

    func wait() -> Outcome? {
        guard done.wait(timeout: .now() + 30) == .success else { return nil }
        return outcome
    }
}
