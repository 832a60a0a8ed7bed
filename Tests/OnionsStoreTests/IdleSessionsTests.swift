// A thousand open sessions on a server of max_connections = 100 (the test server's setting):
// idle sessions hold no connection (SyncIdle.swift), and each still sees another machine's
// save within the stated delay. Needs ONIONS_TEST_PG_URL (see PostgresStoreTests.swift).

import Foundation
import OnionsCore
import OnionsCrypto
@testable import OnionsStore
import XCTest

final class IdleSessionsTests: SyncTestCase {
    private let sessionCount = 1_000
    private let threadCount = 4
    /// What the test may use of the shared test server's 100 connections (other tests run
    /// beside it): half.
    private let backendBudget = 50

    func testAThousandOpenSessionsUseFewBackendsAndAllSeeAnotherMachinesSave() throws {
        let url = try database.clientURL()
        let limit = try database.adminQuery("SHOW max_connections").text(0, 0)
        XCTAssertEqual(limit, "100", "the test server has PostgreSQL's default max_connections")
        let sampler = BackendSampler(adminURL: database.adminURL)
        sampler.start()
        defer { sampler.stop() }

        let writerMachine = try machine("writer")
        let writer = try Session.signUp(store: writerMachine.store, remote: PostgresStore.remote(url: url),
                                        username: "idle", password: secret("idle-password"),
                                        kdf: ScryptParameters(logN: 10, r: 8, p: 1),
                                        stateDirectory: writerMachine.stateDirectory)
        defer { writer.lock() }
        try save(writer, "before", "the vault every session opens")

        // Each session is a machine of its own (store and state folder), logged in with the
        // password and polled as the interface's loop polls it.
        let sessions = SessionTable(count: sessionCount)
        let root = directory!
        let errors = ErrorList()
        let openers = (0..<threadCount).map { part in
            Thread {
                for index in stride(from: part, to: self.sessionCount, by: self.threadCount) {
                    do {
                        let store = try SQLiteStore(path: root.appendingPathComponent("s\(index).db").path)
                        let session = try Session.logIn(store: store, remote: PostgresStore.remote(url: url),
                                                        username: "idle", password: syncSecret("idle-password"),
                                                        stateDirectory: root.appendingPathComponent("s\(index)").path)
                        if let problem = session.lastSyncReport?.offline ?? session.lastSyncReport?.refused {
                            errors.add("session \(index) logging in: \(problem)")
                        }
                        _ = session.pollRemote(timeoutMs: 0)
                        sessions.set(index, session)
                    } catch {
                        errors.add("session \(index) logging in: \(error)")
                    }
                }
                sessions.done()
            }
        }
        openers.forEach { $0.start() }
        XCTAssertTrue(sessions.waitDone(threadCount, seconds: 600), "the sessions did not open")
        defer { sessions.all.forEach { $0.lock() } }
        XCTAssertEqual(errors.list, [], "every session opened")
        XCTAssertEqual(sessions.all.count, sessionCount)
        let openBackends = sampler.current()

        // Another machine saves; every session must list it within the check interval and the
        // sync that follows.
        try save(writer, "after", "made while a thousand sessions were idle")
        let saved = Date()
        let stated = SyncRemote.defaultCheckInterval + 5
        let seen = SeenTimes(count: sessionCount)
        let pollers = (0..<threadCount).map { part in
            Thread {
                let mine = stride(from: part, to: self.sessionCount, by: self.threadCount).map { $0 }
                var waiting = Set(mine)
                while !waiting.isEmpty && Date().timeIntervalSince(saved) < stated + 30 {
                    for index in waiting {
                        guard let session = sessions.get(index) else { waiting.remove(index); continue }
                        if session.pollRemote(timeoutMs: 0) {
                            let report = try? session.syncNow()
                            if let problem = report?.offline ?? report?.refused {
                                errors.add("session \(index) syncing: \(problem)")
                            }
                        }
                        if session.onions.contains(where: { session.title($0) == "after" }) {
                            seen.set(index, Date().timeIntervalSince(saved))
                            waiting.remove(index)
                        }
                    }
                    usleep(20_000)
                }
                sessions.done()
            }
        }
        sessions.resetDone()
        pollers.forEach { $0.start() }
        XCTAssertTrue(sessions.waitDone(threadCount, seconds: stated + 120), "the sessions did not finish")
        sampler.stop()

        let times = seen.all
        XCTAssertEqual(errors.list, [], "no session met an error")
        XCTAssertEqual(times.count, sessionCount, "every session lists the other machine's save")
        let slowest = times.max() ?? .infinity
        XCTAssertLessThanOrEqual(slowest, stated, "an idle session saw the change later than the stated delay")
        XCTAssertLessThanOrEqual(sampler.highest, backendBudget,
                                 "the sessions held more backends than a server of 100 connections spares")
        let sorted = times.sorted()
        func at(_ q: Double) -> Double { sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(q * Double(sorted.count)))] }
        print(String(format: "%d idle sessions: the change seen by all after %.1f s (p50 %.1f s, p90 %.1f s); "
                     + "backends of the test database: at most %d (%d with all sessions open)",
                     times.count, slowest, at(0.5), at(0.9), sampler.highest, openBackends))
    }
}

/// The number of server processes of the test's database, sampled every 50 ms.
private final class BackendSampler: @unchecked Sendable {
    private let adminURL: String
    private let lock = NSLock()
    private var running = false
    private var highestSeen = 0
    private var last = 0

    init(adminURL: String) { self.adminURL = adminURL }

    var highest: Int { lock.withLock { highestSeen } }
    func current() -> Int { lock.withLock { last } }

    func start() {
        lock.withLock { running = true }
        Thread { [self] in
            guard let admin = try? PostgresConnection(url: adminURL) else { return }
            while lock.withLock({ running }) {
                // The sampler's own connection is left out.
                if let rows = try? admin.query("SELECT count(*) FROM pg_stat_activity "
                                               + "WHERE datname = current_database() AND pid <> pg_backend_pid()"),
                   let count = rows.integer(0, 0) {
                    lock.withLock {
                        last = Int(count)
                        highestSeen = max(highestSeen, Int(count))
                    }
                }
                usleep(50_000)
            }
        }.start()
    }

    func stop() { lock.withLock { running = false } }
}

/// Sessions handed between the test's threads; each is used by one thread at a time.
private final class SessionTable: @unchecked Sendable {
    private let lock = NSLock()
    private var sessions: [Session?]
    private var finished = 0

    init(count: Int) { sessions = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ session: Session) { lock.withLock { sessions[index] = session } }
    func get(_ index: Int) -> Session? { lock.withLock { sessions[index] } }
    var all: [Session] { lock.withLock { sessions.compactMap { $0 } } }
    func done() { lock.withLock { finished += 1 } }
    func resetDone() { lock.withLock { finished = 0 } }

    func waitDone(_ count: Int, seconds: Double) -> Bool {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            if lock.withLock({ finished >= count }) { return true }
            usleep(50_000)
        }
        return false
    }
}

private final class SeenTimes: @unchecked Sendable {
    private let lock = NSLock()
    private var times: [Double?]
    init(count: Int) { times = Array(repeating: nil, count: count) }
    func set(_ index: Int, _ seconds: Double) { lock.withLock { times[index] = seconds } }
    var all: [Double] { lock.withLock { times.compactMap { $0 } } }
}

private final class ErrorList: @unchecked Sendable {
    private let lock = NSLock()
    private var errors: [String] = []
    func add(_ error: String) { lock.withLock { if errors.count < 20 { errors.append(error) } } }
    var list: [String] { lock.withLock { errors } }
}
