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
        let count = sessionCount, threads = threadCount
        let limit = try database.adminQuery("SHOW max_connections").text(0, 0)
        XCTAssertEqual(limit, "100", "the test server has PostgreSQL's default max_connections")
        let sampler = BackendSampler(adminURL: try database.adminURL)
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
                for index in stride(from: part, to: count, by: threads) {
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

        // Another machine saves. Each session's own check must find the change within the check
        // interval (checkers), and a sync then lists it (syncers): apart, so that the thousand
        // syncs this one process runs for the thousand machines do not delay the checks.
        try save(writer, "after", "made while a thousand sessions were idle")
        let saved = Date()
        let stated = SyncRemote.defaultCheckInterval
        let found = SeenTimes(count: count), listed = SeenTimes(count: count)
        let queue = IndexQueue(producers: threads)
        let checkers = (0..<threads).map { part in
            Thread {
                var waiting = Set(stride(from: part, to: count, by: threads))
                while !waiting.isEmpty && Date().timeIntervalSince(saved) < stated + 60 {
                    for index in waiting {
                        guard let session = sessions.get(index) else { waiting.remove(index); continue }
                        if session.pollRemote(timeoutMs: 0) {
                            found.set(index, Date().timeIntervalSince(saved))
                            waiting.remove(index)
                            queue.push(index)
                        }
                    }
                    usleep(20_000)
                }
                queue.push(nil)
            }
        }
        let syncers = (0..<threads).map { _ in
            Thread {
                while let index = queue.pop() {
                    guard let session = sessions.get(index) else { continue }
                    let report = try? session.syncNow()
                    if let problem = report?.offline ?? report?.refused {
                        errors.add("session \(index) syncing: \(problem)")
                    }
                    if session.onions.contains(where: { session.title($0) == "after" }) {
                        listed.set(index, Date().timeIntervalSince(saved))
                    }
                }
                sessions.done()
            }
        }
        sessions.resetDone()
        checkers.forEach { $0.start() }
        syncers.forEach { $0.start() }
        XCTAssertTrue(sessions.waitDone(threads, seconds: stated + 600), "the sessions did not finish")
        sampler.stop()

        let times = found.all, shown = listed.all
        XCTAssertEqual(errors.list, [], "no session met an error")
        XCTAssertEqual(times.count, count, "every session's check found the other machine's save")
        XCTAssertEqual(shown.count, count, "every session lists the other machine's save")
        // A second of slack for this process's own threads (a check is a log in and a query).
        let slowest = times.max() ?? .infinity
        XCTAssertLessThanOrEqual(slowest, stated + 1, "an idle session found the change later than its check interval")
        XCTAssertLessThanOrEqual(sampler.highest, backendBudget,
                                 "the sessions held more backends than a server of 100 connections spares")
        let listedSorted = shown.sorted()
        let sorted = times.sorted()
        func at(_ q: Double) -> Double { sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(q * Double(sorted.count)))] }
        print(String(format: "%d idle sessions: the change found by every check within %.1f s (p50 %.1f s, p90 %.1f s), "
                     + "listed by all after %.1f s; backends of the test database: at most %d (%d with all sessions open)",
                     times.count, slowest, at(0.5), at(0.9), listedSorted.last ?? 0, sampler.highest, openBackends))
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

/// Sessions whose check found the change, for the syncers; nil from each checker when it ends.
private final class IndexQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [Int?] = []
    private var ended = 0
    private let producers: Int

    init(producers: Int) { self.producers = producers }

    func push(_ index: Int?) {
        condition.withLock { items.append(index) }
        condition.broadcast()
    }

    /// The next session; nil once every checker ended and nothing is left.
    func pop() -> Int? {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let first = items.first {
                items.removeFirst()
                if let first { return first }
                ended += 1
                condition.broadcast()
                continue
            }
            if ended >= producers { return nil }
            condition.wait()
        }
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
