import Foundation
@testable import OnionsApp
import OnionsCore
import OnionsCrypto
import OnionsStore
import TerminalUI
import XCTest

/// The open interface follows a server: the sync runs on the effect runner when a tick asks
/// for it, and its answer redraws the list. The "server" is a SQLite file behind a
/// `RemoteStore` whose change announcements the test makes.
final class InterfaceSyncTests: AppTestCase {
    func testAnAnnouncedChangeSyncsOnATickAndTheListShowsIt() throws {
        let server = try AnnouncingServer(path: service.directory.appendingPathComponent("server.db").path)
        let vaults = SyncingVaultService(service: service, server: server)
        let driver = AppDriver(service: service, vaults: vaults)
        driver.signUp()
        XCTAssertNotNil(driver.list)
        XCTAssertTrue(driver.screen()[0].hasSuffix("synced · 0 onions"), driver.screen()[0])

        let other = try vaults.otherMachine()
        defer { other.lock() }
        let title = SecretBytes(copying: Array("From the laptop".utf8))
        let info = SecretBytes(copying: Array("charger in the drawer".utf8))
        try other.saveOnion(id: nil, title: title, info: info)
        other.pushPending()
        title.wipe()
        info.wipe()
        server.announce()

        driver.press(.character("j"))
        XCTAssertEqual(driver.visibleTitles, [], "a key does not sync; nothing arrives before a tick")
        driver.send(.tick(now: driver.state.now + 1))
        XCTAssertEqual(driver.visibleTitles, ["From the laptop"])
        XCTAssertEqual(driver.sessionTitles, ["From the laptop"])
        XCTAssertTrue(driver.screenText.contains("Updated from another machine."), driver.screenText)
        XCTAssertEqual(driver.screen()[2], " › From the laptop              │ charger in the drawer")
        XCTAssertFalse(driver.state.syncing, "the sync's answer was handled")
    }

    func testASaveIsPushedByAnEffectOfItsOwnOnceItsAnswerCame() throws {
        let server = try AnnouncingServer(path: service.directory.appendingPathComponent("server.db").path)
        let vaults = SyncingVaultService(service: service, server: server)
        let driver = AppDriver(service: service, vaults: vaults)
        driver.signUp()
        var updates: [[String]] = []
        driver.loop.onUpdate = { effects in
            updates.append(effects.compactMap { effect in
                guard case .vault(let request) = effect else { return nil }
                switch request {
                case .saveOnion: return "save"
                case .sync: return "sync"
                default: return "other"
                }
            })
        }
        driver.press(.character("n"))
        driver.type("Pushed")
        driver.press(.ctrl("s"))
        XCTAssertEqual(driver.sessionTitles, ["Pushed"])
        guard let save = updates.firstIndex(where: { $0.contains("save") }), save + 1 < updates.count else {
            return XCTFail("no save, or no answer to it: \(updates)")
        }
        XCTAssertEqual(updates[save], ["save"], "the key asks for the local save alone")
        XCTAssertTrue(updates[save + 1].contains("sync"), "the save's answer asks for the push: \(updates)")
        XCTAssertFalse(driver.state.syncing, "the push's answer was handled")
    }

    func testAPushStillInFlightHoldsUpNeitherTheFrameNorTheKeys() throws {
        let server = try AnnouncingServer(path: service.directory.appendingPathComponent("server.db").path)
        let vaults = SyncingVaultService(service: service, server: server)
        let driver = AppDriver(service: service, vaults: vaults)
        driver.signUp()
        driver.press(.character("n"))
        driver.type("Pushed")
        // Only the push after the save is held (a tick's sync check before it runs as usual).
        let saved = LockedLog()
        driver.gate.hold { job in
            if case .vault(.saveOnion) = job { saved.append("save") }
            if case .vault(.sync) = job { return !saved.entries.isEmpty }
            return false
        }
        driver.press(.ctrl("s"))
        for _ in 0..<20 where driver.state.busy != nil {
            _ = driver.loop.runner.waitForResult()  // the save's answer comes before the held push runs
            driver.settle()
        }
        // Then the preview of the list it returns to (asked for with the push, answered first).
        for _ in 0..<200 where driver.loop.runner.isAnswerDue {
            usleep(5000)
            driver.settle()
        }
        XCTAssertEqual(driver.state.vault?.onions.count, 1, "the save's answer came")
        XCTAssertTrue(driver.loop.runner.isWorking, "the push is held in flight")
        XCTAssertTrue(driver.screenText.contains("Saved."), "the save's frame did not wait for the push: \(driver.screenText)")
        XCTAssertNil(driver.state.busy, "nobody waits for a push")
        driver.press(.character("n"))
        XCTAssertNotNil(driver.editor, "a key typed during the push is handled at once")
        driver.gate.releaseAll()
        driver.settle()
    }
}

/// Opens the test service's vaults with the announcing server as their remote.
final class SyncingVaultService: VaultService, @unchecked Sendable {
    let service: TestVaultService
    let server: AnnouncingServer

    init(service: TestVaultService, server: AnnouncingServer) {
        self.service = service
        self.server = server
    }

    func remote() -> SyncRemote {
        let server = self.server
        let remote = SyncRemote { server }
        remote.retryInterval = 0
        return remote
    }

    func logIn(username: String, password: SecretBytes) throws -> Session {
        try Session.logIn(store: service.store, remote: remote(), username: username, password: password,
                          stateDirectory: service.stateDirectory)
    }

    func signUp(username: String, password: SecretBytes) throws -> Session {
        try Session.signUp(store: service.store, remote: remote(), username: username, password: password,
                           kdf: TestVaultService.kdf, stateDirectory: service.stateDirectory)
    }

    /// Alice on another machine: its own store and state folder, the same server.
    func otherMachine() throws -> Session {
        let folder = service.directory.appendingPathComponent("laptop")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let store = try SQLiteStore(path: folder.appendingPathComponent("onions.db").path)
        let password = SecretBytes(copying: Array("correct horse".utf8))
        defer { password.wipe() }
        return try Session.logIn(store: store, remote: remote(), username: "alice", password: password,
                                 stateDirectory: folder.path)
    }
}

/// A server in a SQLite file that announces a change only when the test says so.
final class AnnouncingServer: RemoteStore, @unchecked Sendable {
    private let store: SQLiteStore
    private let lock = NSLock()
    private var announced = false

    init(path: String) throws { store = try SQLiteStore(path: path) }

    /// Another machine changed the vault: the next poll says so.
    func announce() {
        lock.lock()
        announced = true
        lock.unlock()
    }

    func listen(vault: VaultID) throws {}

    func pollNotifications(timeoutMs: Int, after sequence: Int64) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        defer { announced = false }
        return announced
    }

    var socketDescriptor: Int32 { -1 }
    /// No turns: every round goes on without one (compare-and-set in the file).
    func takeTurn(vault: VaultID) throws -> Bool { false }
    func endTurn(vault: VaultID) {}

    func prelogin(vault: VaultID) throws -> [UInt8]? { try store.prelogin(vault: vault) }
    func authorize(vault: VaultID, authKey: SecretBytes) throws { try store.authorize(vault: vault, authKey: authKey) }
    func header(vault: VaultID) throws -> VaultHeaderBlob? { try store.header(vault: vault) }
    func createVault(_ vault: VaultID, header: VaultHeaderBlob) throws { try store.createVault(vault, header: header) }
    func replaceHeader(_ vault: VaultID, expected: VaultHeaderBlob, with new: VaultHeaderBlob) throws {
        try store.replaceHeader(vault, expected: expected, with: new)
    }
    func deleteVault(_ vault: VaultID) throws { try store.deleteVault(vault) }
    func record(vault: VaultID, name: RecordName) throws -> StoredRecord? { try store.record(vault: vault, name: name) }
    func records(vault: VaultID) throws -> [StoredRecord] { try store.records(vault: vault) }
    func apply(vault: VaultID, writes: [RecordWrite]) throws -> Int64 { try store.apply(vault: vault, writes: writes) }
    func changes(vault: VaultID, since: Int64) throws -> [StoredRecord] { try store.changes(vault: vault, since: since) }
}
