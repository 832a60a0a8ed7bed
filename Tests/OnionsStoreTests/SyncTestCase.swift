// Two machines against one server: two SQLite files and two state folders, one test database.
// Needs ONIONS_TEST_PG_URL (see PostgresStoreTests.swift); without it every test fails.

import Foundation
import OnionsCrypto
@testable import OnionsCore
@testable import OnionsStore
import XCTest

/// A machine: its own store file and state folder; sessions log in against the shared server.
final class SyncMachine {
    let storePath: String
    let stateDirectory: String
    /// The server URL; change it to a dead one to take the machine offline.
    var url: String
    let store: SQLiteStore

    init(directory: URL, name: String, url: String) throws {
        storePath = directory.appendingPathComponent("\(name).db").path
        stateDirectory = directory.appendingPathComponent("\(name)-state").path
        self.url = url
        store = try SQLiteStore(path: storePath)
    }

    /// The remotes of this machine's sessions, so that `setOnline` can take them off the server.
    private var remotes: [WeakRemote] = []
    private struct WeakRemote { weak var remote: SyncRemote? }

    /// A remote that connects to whatever `url` says at the time.
    func remote() -> SyncRemote {
        let remote = SyncRemote { [unowned self] in try PostgresStore(url: self.url) }
        remote.retryInterval = 0
        remotes.append(WeakRemote(remote: remote))
        return remote
    }

    /// Takes the machine off the server (its connections closed, every new one refused), or
    /// lets it back.
    func setOnline(_ online: Bool, serverURL: String) {
        url = online ? serverURL : "postgresql://127.0.0.1:1/offline?connect_timeout=2"
        if !online {
            for weak in remotes { weak.remote?.dropConnection(because: .unavailable("the test took the machine offline")) }
        }
    }

    func signUp(_ username: String, _ password: String) throws -> Session {
        try Session.signUp(store: store, remote: remote(), username: username, password: syncSecret(password),
                           kdf: ScryptParameters(logN: 10, r: 8, p: 1), stateDirectory: stateDirectory)
    }

    func logIn(_ username: String, _ password: String) throws -> Session {
        try Session.logIn(store: store, remote: remote(), username: username, password: syncSecret(password),
                          stateDirectory: stateDirectory)
    }
}

func syncSecret(_ text: String) -> SecretBytes { SecretBytes(copying: Array(text.utf8)) }

func syncText(_ bytes: SecretBytes) -> String { bytes.withUnsafeBytes { String(decoding: $0, as: UTF8.self) } }

class SyncTestCase: PostgresTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        try super.setUpWithError()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("onions-sync-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
        try super.tearDownWithError()
    }

    /// A new machine on the test server.
    func machine(_ name: String) throws -> SyncMachine {
        try SyncMachine(directory: directory, name: name, url: database.clientURL())
    }

    func secret(_ text: String) -> SecretBytes { syncSecret(text) }
    func text(_ bytes: SecretBytes) -> String { syncText(bytes) }

    /// Takes machines off the server (their connections closed, new ones refused), or lets
    /// them back.
    func setOnline(_ online: Bool, _ machines: SyncMachine...) throws {
        let url = try database.clientURL()
        for m in machines { m.setOnline(online, serverURL: url) }
    }

    func titles(_ session: Session) -> [String] { session.onions.map { session.title($0) }.sorted() }

    func info(_ session: Session, _ title: String) throws -> String {
        let onion = try XCTUnwrap(session.onions.first { session.title($0) == title }, "no onion '\(title)'")
        return text(try session.info(of: onion.id))
    }

    func id(_ session: Session, _ title: String) throws -> ItemID {
        try XCTUnwrap(session.onions.first { session.title($0) == title }, "no onion '\(title)'").id
    }

    @discardableResult
    func save(_ session: Session, id: ItemID? = nil, _ title: String, _ info: String) throws -> ItemID {
        // Then sent, as the interface and the command line do: the save itself never waits on the server.
        defer { session.pushPending() }
        return try session.saveOnion(id: id, title: secret(title), info: secret(info))
    }

    func tasks(_ session: Session) -> [String] {
        session.tasks.map { "\($0.id) \(text(session.texts.copy($0.text)))\($0.done ? " done" : "")" }
    }
}
