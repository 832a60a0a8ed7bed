// Sync between machines without PostgreSQL: one server in memory, reached by each machine
// through a connection of its own, and a local store in memory that keeps sync state.

import Foundation
import OnionsCore
import OnionsCrypto
import XCTest

/// A server in memory that several machines share: a `MemoryStore` holds what it keeps.
///
/// Machines reach it through `connect(as:)`. A machine set unreachable has its connections
/// ended (every later call throws `.unavailable`, as a terminated server session would) and
/// cannot connect until it is reachable again.
final class MemoryServer {
    let store = MemoryStore()
    /// How many times a machine connected (or tried to) and called a connection.
    var calls = 0
    /// Sync rounds begun through any connection (`RemoteStore.beginRound`), and reads of
    /// records made outside a round (what the round's read budget would not count together).
    var roundsBegun = 0
    var readsOutsideRounds = 0
    private var unreachable: Set<String> = []
    private var connections: [Weak] = []

    private struct Weak { weak var connection: MemoryServerConnection? }

    /// A new connection for the machine `client`; throws `.unavailable` while it is unreachable.
    func connect(as client: String) throws -> MemoryServerConnection {
        calls += 1
        guard isReachable(client) else { throw StoreError.unavailable("the server is unreachable from \(client)") }
        let connection = MemoryServerConnection(server: self, client: client)
        connections.removeAll { $0.connection == nil }
        connections.append(Weak(connection: connection))
        return connection
    }

    func isReachable(_ client: String) -> Bool { !unreachable.contains(client) }

    /// Takes a machine off the server (ending its connections), or lets it back.
    func setReachable(_ reachable: Bool, _ client: String) {
        if reachable {
            unreachable.remove(client)
        } else {
            unreachable.insert(client)
            for weak in connections where weak.connection?.client == client { weak.connection?.close() }
        }
    }

    /// Tells every other connection that listens for `vault` that it changed.
    fileprivate func announce(_ vault: VaultID, from origin: MemoryServerConnection) {
        for weak in connections {
            guard let connection = weak.connection, connection !== origin else { continue }
            connection.changed(vault)
        }
    }
}

/// One machine's connection to a `MemoryServer`, with the server's rules (PostgresStore's).
///
/// `authorize` remembers the key (as its SHA-256, the verifier it must match) for the calls
/// that follow; every call for a vault checks it against the vault's current verifier, so a
/// password changed through another connection refuses this one (`.unauthorized`) and the key
/// is forgotten. `prelogin`, `createVault` and `listen` need no key. Writes through one
/// connection are announced to the others that listen, never to itself.
final class MemoryServerConnection: RemoteStore {
    let client: String
    private let server: MemoryServer
    private var keys: [VaultID: [UInt8]] = [:]
    private var listening: Set<VaultID> = []
    private var announced = false
    private var closed = false

    fileprivate init(server: MemoryServer, client: String) {
        self.server = server
        self.client = client
    }

    fileprivate func close() { closed = true }

    /// True between `beginRound` and `endRound`.
    private(set) var inRound = false

    func beginRound() {
        server.roundsBegun += 1
        inRound = true
    }

    func endRound() { inRound = false }

    private func countRead() { if !inRound { server.readsOutsideRounds += 1 } }

    fileprivate func changed(_ vault: VaultID) {
        if listening.contains(vault) { announced = true }
    }

    private var store: MemoryStore { server.store }

    private func checkOpen() throws {
        server.calls += 1
        if closed { throw StoreError.unavailable("the connection to the server was ended") }
    }

    /// Checks the remembered key against the vault's verifier now.
    private func checkKey(_ vault: VaultID) throws {
        try checkOpen()
        guard let header = try store.header(vault: vault) else {
            keys[vault] = nil
            throw StoreError.noVault
        }
        guard let key = keys[vault] else { throw StoreError.unauthorized }
        guard ConstantTime.equals(key, header.verifier) else {
            keys[vault] = nil
            throw StoreError.unauthorized
        }
    }

    // MARK: Turns

    /// Every call runs alone here, so a turn is always had at once and holds nothing.
    func takeTurn(vault: VaultID) throws -> Bool {
        try checkKey(vault)
        return true
    }

    func endTurn(vault: VaultID) {}

    // MARK: Store

    func prelogin(vault: VaultID) throws -> [UInt8]? {
        try checkOpen()
        return try store.prelogin(vault: vault)
    }

    func authorize(vault: VaultID, authKey: SecretBytes) throws {
        try checkOpen()
        do {
            try store.authorize(vault: vault, authKey: authKey)
        } catch {
            keys[vault] = nil
            throw error
        }
        keys[vault] = authKey.withUnsafeBytes { SHA256.hash($0) }
    }

    func header(vault: VaultID) throws -> VaultHeaderBlob? {
        do { try checkKey(vault) } catch StoreError.noVault { return nil }
        return try store.header(vault: vault)
    }

    func createVault(_ vault: VaultID, header: VaultHeaderBlob) throws {
        try checkOpen()
        try store.createVault(vault, header: header)
        server.announce(vault, from: self)
    }

    func replaceHeader(_ vault: VaultID, expected: VaultHeaderBlob, with new: VaultHeaderBlob) throws {
        try checkKey(vault)
        try store.replaceHeader(vault, expected: expected, with: new)
        server.announce(vault, from: self)
    }

    func deleteVault(_ vault: VaultID) throws {
        do { try checkKey(vault) } catch StoreError.noVault { return }
        try store.deleteVault(vault)
        keys[vault] = nil
        server.announce(vault, from: self)
    }

    func record(vault: VaultID, name: RecordName) throws -> StoredRecord? {
        try checkKey(vault)
        countRead()
        return try store.record(vault: vault, name: name)
    }

    func records(vault: VaultID) throws -> [StoredRecord] {
        try checkKey(vault)
        countRead()
        return try store.records(vault: vault)
    }

    @discardableResult
    func apply(vault: VaultID, writes: [RecordWrite]) throws -> Int64 {
        try checkKey(vault)
        let sequence = try store.apply(vault: vault, writes: writes)
        if !writes.isEmpty { server.announce(vault, from: self) }
        return sequence
    }

    func changes(vault: VaultID, since: Int64) throws -> [StoredRecord] {
        try checkKey(vault)
        countRead()
        return try store.changes(vault: vault, since: since)
    }

    @discardableResult
    func apply(vault: VaultID, writes: [RecordWrite], commits: [[UInt8]]) throws -> Int64 {
        try checkKey(vault)
        let sequence = try store.apply(vault: vault, writes: writes, commits: commits)
        if !writes.isEmpty || !commits.isEmpty { server.announce(vault, from: self) }
        return sequence
    }

    func commits(vault: VaultID, since: Int64) throws -> [StoredCommit] {
        try checkKey(vault)
        return try store.commits(vault: vault, since: since)
    }

    /// The head record and how many commits the server holds, as the real server's `get_head`.
    func headRecord(vault: VaultID, name: RecordName) throws -> (record: StoredRecord?, commits: Int?) {
        try checkKey(vault)
        countRead()
        return (try store.record(vault: vault, name: name), try store.commits(vault: vault, since: 0).count)
    }

    // MARK: RemoteStore

    func listen(vault: VaultID) throws {
        try checkOpen()
        listening.insert(vault)
    }

    func pollNotifications(timeoutMs: Int, after sequence: Int64) -> Bool {
        server.calls += 1
        defer { announced = false }
        return !closed && announced
    }

    var socketDescriptor: Int32 { -1 }
}

/// A machine's own store in memory: a `MemoryStore` plus the sync state SQLiteStore keeps in
/// its `local_state` table (per vault, removed with the vault).
final class MemoryLocalStore: SyncStateStore {
    let store = MemoryStore()
    private var state: [VaultID: [String: [UInt8]]] = [:]

    func localState(vault: VaultID, key: String) throws -> [UInt8]? { state[vault]?[key] }

    func setLocalState(vault: VaultID, key: String, value: [UInt8]?) throws {
        state[vault, default: [:]][key] = value
    }

    func prelogin(vault: VaultID) throws -> [UInt8]? { try store.prelogin(vault: vault) }

    func authorize(vault: VaultID, authKey: SecretBytes) throws { try store.authorize(vault: vault, authKey: authKey) }

    func header(vault: VaultID) throws -> VaultHeaderBlob? { try store.header(vault: vault) }

    func createVault(_ vault: VaultID, header: VaultHeaderBlob) throws { try store.createVault(vault, header: header) }

    func replaceHeader(_ vault: VaultID, expected: VaultHeaderBlob, with new: VaultHeaderBlob) throws {
        try store.replaceHeader(vault, expected: expected, with: new)
    }

    func deleteVault(_ vault: VaultID) throws {
        try store.deleteVault(vault)
        state[vault] = nil
    }

    func record(vault: VaultID, name: RecordName) throws -> StoredRecord? { try store.record(vault: vault, name: name) }

    func records(vault: VaultID) throws -> [StoredRecord] { try store.records(vault: vault) }

    @discardableResult
    func apply(vault: VaultID, writes: [RecordWrite]) throws -> Int64 { try store.apply(vault: vault, writes: writes) }

    func changes(vault: VaultID, since: Int64) throws -> [StoredRecord] { try store.changes(vault: vault, since: since) }

    @discardableResult
    func apply(vault: VaultID, writes: [RecordWrite], commits: [[UInt8]]) throws -> Int64 {
        try store.apply(vault: vault, writes: writes, commits: commits)
    }

    func commits(vault: VaultID, since: Int64) throws -> [StoredCommit] { try store.commits(vault: vault, since: since) }
}

/// A machine of a sync test: its own local store and state folder, the shared server.
final class MemoryMachine {
    /// The cheapest cost a vault header accepts: keeps every test fast.
    static let cheap = ScryptParameters(logN: 10, r: 8, p: 1)
    let name: String
    let server: MemoryServer
    let store = MemoryLocalStore()
    let stateDirectory: String

    init(_ name: String, server: MemoryServer, directory: URL) {
        self.name = name
        self.server = server
        stateDirectory = directory.appendingPathComponent("\(name)-state").path
    }

    /// A remote that connects at once again after a failure (tests do not wait).
    func remote() -> SyncRemote {
        let remote = SyncRemote { [server, name] in try server.connect(as: name) }
        remote.retryInterval = 0
        return remote
    }

    func signUp(_ username: String, _ password: String) throws -> Session {
        try Session.signUp(store: store, remote: remote(), username: username,
                           password: SecretBytes(copying: Array(password.utf8)),
                           kdf: Self.cheap, stateDirectory: stateDirectory)
    }

    func logIn(_ username: String, _ password: String) throws -> Session {
        try Session.logIn(store: store, remote: remote(), username: username,
                          password: SecretBytes(copying: Array(password.utf8)), stateDirectory: stateDirectory)
    }
}

/// Two machines, A and B, with one vault on one server in memory, and the edits both make
/// while apart.
class MemorySyncTestCase: XCTestCase {
    /// Vault keys at this test cost while a test runs (`TestingKDFFloor`); the real floor after it.
    override func invokeTest() { TestingKDFFloor.whileLowered(to: ScryptParameters(logN: 10, r: 8, p: 1)) { super.invokeTest() } }

    var directory: URL!
    var server: MemoryServer!
    var a: MemoryMachine!
    var b: MemoryMachine!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("onions-merge-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        server = MemoryServer()
        a = MemoryMachine("a", server: server, directory: directory)
        b = MemoryMachine("b", server: server, directory: directory)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    /// A signs up and prepares the vault with `setUp` (and sends it); B logs in and gets all of it.
    func twoMachines(_ setUp: (Session) throws -> Void = { _ in }) throws -> (Session, Session) {
        let onA = try a.signUp("alice", "pw")
        try setUp(onA)
        onA.pushPending()
        let onB = try b.logIn("alice", "pw")
        XCTAssertEqual(onB.issues, [])
        return (onA, onB)
    }

    /// Runs `onA` and `onB` while both machines cannot reach the server, then syncs A (its edits
    /// reach the server first), B (which merges, its own version being "this machine's"), and A
    /// again. Returns B's report: the one that tells what was merged.
    @discardableResult
    func apart(_ onA: Session, _ onB: Session, a editA: (Session) throws -> Void,
               b editB: (Session) throws -> Void) throws -> SyncReport {
        server.setReachable(false, a.name)
        server.setReachable(false, b.name)
        try editA(onA)
        try editB(onB)
        XCTAssertNotNil(try onA.syncNow().offline)
        XCTAssertNotNil(try onB.syncNow().offline)
        server.setReachable(true, a.name)
        server.setReachable(true, b.name)
        let first = try onA.syncNow()
        XCTAssertNil(first.offline)
        XCTAssertTrue(first.conflicts.isEmpty && first.merged.isEmpty, "A only pushes: \(first.lines)")
        let merge = try onB.syncNow()
        XCTAssertNil(merge.offline)
        try onA.syncNow()
        XCTAssertEqual(onA.issues + onB.issues, [])
        return merge
    }

    // MARK: Reading a session

    func secret(_ text: String) -> SecretBytes { SecretBytes(copying: Array(text.utf8)) }

    func text(_ bytes: SecretBytes) -> String { bytes.withUnsafeBytes { String(decoding: $0, as: UTF8.self) } }

    func titles(_ session: Session) -> [String] { session.onions.map { session.title($0) }.sorted() }

    func id(_ session: Session, _ title: String) throws -> ItemID {
        try XCTUnwrap(session.onions.first { session.title($0) == title }, "no onion '\(title)'").id
    }

    func info(_ session: Session, _ title: String) throws -> String {
        text(try session.info(of: id(session, title)))
    }

    /// Title and info of every onion, sorted by title: what both machines must agree on.
    func onions(_ session: Session) throws -> [String] {
        try titles(session).map { "\($0): \(try info(session, $0))" }
    }

    /// Saves an onion and then sends it, as the interface and the command line do (two steps:
    /// the save itself never waits on the server).
    @discardableResult
    func save(_ session: Session, id: ItemID? = nil, _ title: String, _ info: String) throws -> ItemID {
        let saved = try session.saveOnion(id: id, title: secret(title), info: secret(info))
        session.pushPending()
        return saved
    }

    /// Saves a new version of the onion titled `title`.
    func edit(_ session: Session, _ title: String, title newTitle: String? = nil, info: String) throws {
        try save(session, id: id(session, title), newTitle ?? title, info)
    }

    func tasks(_ session: Session) -> [String] {
        session.tasks.map { "\($0.id) \(text(session.texts.copy($0.text)))\($0.done ? " done" : "")" }
    }

    func recipients(_ session: Session) -> [String] {
        session.cards.map { session.texts.string($0.recipient) }.sorted()
    }
}
