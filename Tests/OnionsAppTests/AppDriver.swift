import Foundation
import OnionsApp
import OnionsCore
import OnionsCrypto
import OnionsStore
import TerminalUI
import XCTest

/// Vaults in a real SQLite store inside a temporary folder, with a cheap scrypt cost.
///
/// Call `removeFiles()` when the test is done (tests do it in `tearDown`).
final class TestVaultService: VaultService, @unchecked Sendable {
    static let kdf = ScryptParameters(logN: 10, r: 8, p: 1)
    let directory: URL
    let store: SQLiteStore
    var stateDirectory: String { directory.appendingPathComponent("state").path }

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("onions-app-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("state"),
                                                withIntermediateDirectories: true)
        store = try SQLiteStore(path: directory.appendingPathComponent("onions.db").path)
    }

    func logIn(username: String, password: SecretBytes) throws -> Session {
        try Session.logIn(store: store, username: username, password: password, stateDirectory: stateDirectory)
    }

    func signUp(username: String, password: SecretBytes) throws -> Session {
        try Session.signUp(store: store, username: username, password: password, kdf: Self.kdf,
                           stateDirectory: stateDirectory)
    }

    func removeFiles() {
        try? FileManager.default.removeItem(at: directory)
    }
}

/// Drives `App.update` and `App.render` the way `AppLoop` does, but synchronously.
///
/// Effects run at once: `.authenticate` calls the service and feeds `.authenticated` back,
/// `.suspend` is counted and answered with `.resumed`, `.clearTerminal` and `.quit` are counted.
/// `effects` records every effect in the order it ran.
final class AppDriver {
    enum Effect: Equatable {
        case authenticate(AuthRequest.Purpose), clearTerminal, suspend, quit
    }

    var state: AppState
    let service: TestVaultService
    private(set) var effects: [Effect] = []
    /// Whether the vault was unlocked when each `.suspend` ran.
    private(set) var unlockedAtSuspend: [Bool] = []
    /// When set, an `.authenticate` waits in `pendingAuthentication` (the key derivation is
    /// "running") until `finishAuthentication()`.
    var holdsAuthentication = false
    private(set) var pendingAuthentication: AuthRequest?

    init(service: TestVaultService, width: Int = 80, height: Int = 24, lockAfter: Double = 300) {
        self.service = service
        state = AppState(size: Size(width: width, height: height), lockAfter: lockAfter, now: BootClock.now())
    }

    var clearCount: Int { effects.filter { $0 == .clearTerminal }.count }
    var suspendCount: Int { effects.filter { $0 == .suspend }.count }
    var quitCount: Int { effects.filter { $0 == .quit }.count }

    /// Sends one message and runs the effects it asks for (and those of the answers).
    func send(_ message: AppMessage) {
        for effect in App.update(&state, message) { perform(effect) }
    }

    private func perform(_ effect: AppEffect) {
        switch effect {
        case .authenticate(let request):
            effects.append(.authenticate(request.purpose))
            if holdsAuthentication {
                pendingAuthentication = request
            } else {
                send(.authenticated(service.perform(request)))
            }
        case .clearTerminal:
            effects.append(.clearTerminal)
        case .suspend:
            effects.append(.suspend)
            unlockedAtSuspend.append(state.session != nil)
            send(.resumed)
        case .quit:
            effects.append(.quit)
            state.wantsQuit = true
        case .writeTerminal(let bytes):
            bytes.wipe()
        }
    }

    /// Lets a held key derivation finish and delivers its outcome.
    func finishAuthentication() {
        guard let request = pendingAuthentication else { return XCTFail("no key derivation is running") }
        pendingAuthentication = nil
        send(.authenticated(service.perform(request)))
    }

    /// Types text one Unicode scalar per key, as a terminal delivers it.
    func type(_ text: String) {
        for scalar in text.unicodeScalars { send(.key(.character(Character(scalar)))) }
    }

    func press(_ keys: Key...) {
        for key in keys { send(.key(key)) }
    }

    func resize(width: Int, height: Int) {
        send(.resize(Size(width: width, height: height)))
    }

    /// The rendered screen at the state's size, one string per row (trailing spaces trimmed).
    func screen() -> [String] {
        render(width: state.size.width, height: state.size.height)
    }

    func render(width: Int, height: Int) -> [String] {
        var canvas = Canvas(width: width, height: height)
        _ = App.render(state, into: &canvas)
        return canvas.lines()
    }

    /// The screen as one string, for `contains` checks.
    var screenText: String { screen().joined(separator: "\n") }

    // MARK: Journeys

    /// Signs up from the log in screen: username, password, the "no vault" answer, repeat.
    func signUp(_ username: String = "alice", password: String = "correct horse") {
        type(username)
        press(.enter)
        type(password)
        press(.enter)
        type(password)
        press(.enter)
    }

    func logIn(_ username: String = "alice", password: String = "correct horse") {
        type(username)
        press(.enter)
        type(password)
        press(.enter)
    }

    /// From the list: `n`, the title, Tab, the info, Ctrl-S.
    func writeOnion(title: String, info: String) {
        press(.character("n"))
        type(title)
        press(.tab)
        typeInfo(info)
        press(.ctrl("s"))
    }

    /// Types into the info area; "\n" is sent as Enter.
    func typeInfo(_ text: String) {
        for scalar in text.unicodeScalars {
            send(.key(scalar == "\n" ? .enter : .character(Character(scalar))))
        }
    }

    // MARK: State probes

    var isLocked: Bool {
        if case .locked = state.screen { return true }
        return false
    }

    var isOnLogin: Bool {
        if case .login = state.screen { return true }
        return false
    }

    var list: OnionListState? {
        if case .list(let list) = state.screen { return list }
        return nil
    }

    var editor: EditorState? {
        if case .editor(let editor) = state.screen { return editor }
        return nil
    }

    var editorTitle: String? { editor.map { String($0.title.characters) } }
    var editorInfo: String? { editor.map { String($0.info.characters) } }

    /// The titles the open session lists, in its order.
    var sessionTitles: [String] {
        guard let session = state.session else { return [] }
        return session.onions.map { session.title($0) }
    }

    /// Titles of the rows the list screen shows, in order.
    var visibleTitles: [String] {
        guard let session = state.session, let list else { return [] }
        return list.visible.map { session.title($0) }
    }
}

/// A test case with a fresh vault service per test.
class AppTestCase: XCTestCase {
    var service: TestVaultService!

    override func setUpWithError() throws {
        service = try TestVaultService()
    }

    override func tearDown() {
        service?.removeFiles()
        service = nil
    }

    func makeDriver(width: Int = 80, height: Int = 24, lockAfter: Double = 300) -> AppDriver {
        AppDriver(service: service, width: width, height: height, lockAfter: lockAfter)
    }

    /// A driver on the onion list of a new, empty vault of "alice".
    func signedUpDriver(width: Int = 80, height: Int = 24, file: StaticString = #filePath,
                        line: UInt = #line) -> AppDriver {
        let driver = makeDriver(width: width, height: height)
        driver.signUp()
        XCTAssertNotNil(driver.list, "sign up should open the onion list", file: file, line: line)
        XCTAssertNotNil(driver.state.session, file: file, line: line)
        return driver
    }
}
