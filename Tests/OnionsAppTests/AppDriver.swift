import Foundation
@testable import OnionsApp
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

    /// What the stand-in unlock agent hands over (its session's keys); nil: no agent runs.
    var agentKeys: SecretBytes?
    /// The users whose agent the interface asked to lock (on the loop's helper thread).
    private let agentLockLog = LockedLog()
    var agentLocksAsked: [String?] { agentLockLog.entries }

    func logInFromAgent(username: String) throws -> Session {
        guard let agentKeys else { throw VaultError.store(.unavailable("no agent runs for this vault")) }
        return try Session.logIn(store: store, username: username, handedOverKeys: agentKeys,
                                 stateDirectory: stateDirectory)
    }

    func lockAgent(username: String?) { agentLockLog.append(username) }

    func removeFiles() {
        try? FileManager.default.removeItem(at: directory)
    }
}

/// Drives the real `AppLoop` on a `HeadlessTerminal`: every message goes in as a terminal
/// event (or a runner's answer), and each call returns once the loop has handled it, the effect
/// runner has done the work it asked for, every answer has been handled and the frame drawn.
///
/// `effects` records, in the order the loop ran them, the effects a person would notice
/// (work on the vault is not listed; `vaultRequests` counts it).
final class AppDriver {
    enum Effect: Equatable {
        case authenticate(AuthRequest.Purpose), clearTerminal, repaint, suspend, quit
    }

    let service: TestVaultService
    let terminal: HeadlessTerminal
    /// Every frame the loop drew, as text.
    let frames: FrameRecorder
    let loop: AppLoop
    let clock = TestClock()
    /// Holds chosen jobs on the runner's thread until released.
    let gate = JobGate()
    private(set) var effects: [Effect] = []
    private(set) var vaultRequests = 0
    /// How many times the loop asked the unlock agent to lock.
    private(set) var agentLocks = 0
    /// Whether the vault was unlocked (in the state or in the runner) when each `.suspend` ran.
    private(set) var unlockedAtSuspend: [Bool] = []

    /// `vaults` opens the vaults when it is not `service` itself (a service with a server).
    init(service: TestVaultService, vaults: VaultService? = nil, width: Int = 80, height: Int = 24,
         lockAfter: Double = 300) {
        self.service = service
        terminal = HeadlessTerminal(width: width, height: height)
        frames = FrameRecorder(terminal)
        let clock = self.clock
        loop = AppLoop(terminal: frames, vaults: vaults ?? service, lockAfter: lockAfter, clock: { clock.now() })
        let gate = self.gate
        loop.runner.beforeJob = { gate.pass($0) }
        loop.onEffect = { [unowned self] in record($0) }
    }

    deinit { gate.releaseAll() }

    /// The loop's state now.
    var state: AppState { loop.currentState }

    /// The session the effect runner holds (nil while locked), read while the runner is idle.
    /// Checks that the state's snapshot is there exactly when the session is.
    var session: Session? {
        let session = loop.withIdleSession { $0 }
        XCTAssertEqual(state.vault != nil, session != nil, "the snapshot goes with the session")
        return session
    }

    /// When set, an `.authenticate` waits on the runner's thread (the key derivation is
    /// "running") until `finishAuthentication()`.
    var holdsAuthentication: Bool {
        get { gate.isHolding }
        set {
            gate.hold(newValue ? { if case .authenticate = $0 { return true } else { return false } } : nil)
        }
    }

    var clearCount: Int { effects.filter { $0 == .clearTerminal }.count }
    var suspendCount: Int { effects.filter { $0 == .suspend }.count }
    var quitCount: Int { effects.filter { $0 == .quit }.count }

    private func record(_ effect: AppEffect) {
        switch effect {
        case .authenticate(let request): effects.append(.authenticate(request.purpose))
        case .vault: vaultRequests += 1
        case .clearTerminal: effects.append(.clearTerminal)
        case .repaint: effects.append(.repaint)
        case .suspend:
            effects.append(.suspend)
            unlockedAtSuspend.append(state.vault != nil || loop.runner.isWorking || loop.withIdleSession { $0 != nil })
        case .quit: effects.append(.quit)
        case .writeTerminal, .deleteTmuxCopies, .generatePassword: break
        case .lockAgent: agentLocks += 1
        }
    }

    /// Sends one message through the terminal (a tick at its own time) and lets the loop
    /// settle.
    func send(_ message: AppMessage) {
        switch message {
        case .key(let key, _): terminal.push(key)
        case .paste(let paste, _): terminal.push(.paste(paste))
        case .mouse(let mouse, _): terminal.push(.mouse(mouse))
        case .resize(let size): terminal.resize(width: size.width, height: size.height)
        case .tick(let now, _):
            clock.fixed = now
            terminal.push(.tick)
            settle()
            clock.fixed = nil
            return
        case .suspendRequested: terminal.push(.suspendRequested)
        case .resumed: terminal.push(.resumed)
        case .hangup: terminal.push(.hangup)
        case .terminate: terminal.push(.terminate)
        case .authenticated, .vault, .openFromAgent, .fillUsername, .leaving, .generatedPassword, .syncProgress:
            return XCTFail("answers come from the runner, not from the test")
        }
        settle()
    }

    /// Handles every queued event; waits for the runner's answers unless a job is held.
    func settle() {
        if gate.isHolding {
            while loop.step() {}
        } else {
            loop.runUntilIdle()
        }
    }

    /// Lets a held key derivation finish and delivers its outcome.
    func finishAuthentication() {
        guard gate.isHolding else { return XCTFail("no key derivation is running") }
        gate.releaseAll()
        settle()
    }

    /// Types text one Unicode scalar per key, as a terminal delivers it.
    func type(_ text: String) {
        for scalar in text.unicodeScalars { press(.character(Character(scalar))) }
    }

    /// Pastes `text` in one piece (bracketed paste), as a terminal delivers it.
    func paste(_ text: String) {
        terminal.paste(text)
        settle()
    }

    func press(_ keys: Key...) {
        for key in keys {
            terminal.push(key)
            settle()
        }
    }

    /// A left click (press and release) at a cell, as the terminal reports it.
    func click(x: Int, y: Int) {
        terminal.push(.mouse(MouseEvent(.press(.left), x: x, y: y)))
        terminal.push(.mouse(MouseEvent(.release(.left), x: x, y: y)))
        settle()
    }

    /// One turn of the wheel over a cell.
    func wheel(down: Bool, x: Int = 10, y: Int = 5) {
        terminal.push(.mouse(MouseEvent(down ? .wheelDown : .wheelUp, x: x, y: y)))
        settle()
    }

    func resize(width: Int, height: Int) {
        send(.resize(Size(width: width, height: height)))
    }

    /// The frame the loop drew last, one string per row (trailing spaces trimmed).
    func screen() -> [String] {
        terminal.screenText()
    }

    /// The state drawn at another size (without resizing the terminal).
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
            press(scalar == "\n" ? .enter : .character(Character(scalar)))
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
        guard let session else { return [] }
        return session.onions.map { session.title($0) }
    }

    /// Titles of the rows the list screen shows, in order.
    var visibleTitles: [String] {
        guard let vault = state.vault, let list else { return [] }
        return list.visible.map { vault.title($0) }
    }
}

/// A test case with a fresh vault service per test.
class AppTestCase: XCTestCase {
    /// Vault keys at this test cost while a test runs (`TestingKDFFloor`); the real floor after it.
    override func invokeTest() { TestingKDFFloor.whileLowered(to: TestVaultService.kdf) { super.invokeTest() } }

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
        XCTAssertNotNil(driver.session, file: file, line: line)
        return driver
    }
}

/// A headless terminal that also keeps the text of every frame drawn.
final class FrameRecorder: TerminalBackend {
    let terminal: HeadlessTerminal
    private(set) var drawn: [[String]] = []

    init(_ terminal: HeadlessTerminal) { self.terminal = terminal }

    var size: Size { terminal.size }
    func nextEvent(timeoutMs: Int) -> Event? { terminal.nextEvent(timeoutMs: timeoutMs) }
    func draw(_ canvas: Canvas, cursor: Point?) {
        terminal.draw(canvas, cursor: cursor)
        drawn.append(terminal.screenText())
    }
    func suspend() { terminal.suspend() }
    func resume() { terminal.resume() }
    func clearAll() { terminal.clearAll() }
    func repaint() { terminal.repaint() }
    func writeRaw(_ bytes: UnsafeRawBufferPointer) { terminal.writeRaw(bytes) }
    func shutdown() { terminal.shutdown() }
    func setMouseReporting(_ on: Bool) { terminal.setMouseReporting(on) }
}

/// The clock the loop under test reads: `BootClock` unless a test fixed the time.
final class TestClock: @unchecked Sendable {
    var fixed: Double?
    func now() -> Double { fixed ?? BootClock.now() }
}

/// Holds the runner's jobs that a test picks, on the runner's thread, until released.
final class JobGate: @unchecked Sendable {
    private let condition = NSCondition()
    private var held = 0
    private var picks: ((EffectRunner.Job) -> Bool)?
    private var slowPicks: ((EffectRunner.Job) -> Bool)?
    private var slowSeconds = 0.0

    /// Jobs for which `picks` is true take `seconds` longer from now on.
    func slow(_ picks: @escaping (EffectRunner.Job) -> Bool, seconds: Double) {
        condition.lock()
        slowPicks = picks
        slowSeconds = seconds
        condition.unlock()
    }

    /// Jobs for which `picks` is true wait from now on (nil: none).
    func hold(_ picks: ((EffectRunner.Job) -> Bool)?) {
        condition.lock()
        self.picks = picks
        condition.broadcast()
        condition.unlock()
    }

    /// True while jobs are to be held or one waits here.
    var isHolding: Bool {
        condition.lock()
        defer { condition.unlock() }
        return held > 0 || picks != nil
    }

    /// Called by the runner before each job: waits while the job is picked.
    func pass(_ job: EffectRunner.Job) {
        condition.lock()
        defer { condition.unlock() }
        if let slowPicks, slowPicks(job) { _ = condition.wait(until: Date(timeIntervalSinceNow: slowSeconds)) }
        guard let picks, picks(job) else { return }
        held += 1
        while let picks = self.picks, picks(job) { condition.wait() }
        held -= 1
        condition.broadcast()
    }

    /// Lets every held job go on and waits until they have left the gate.
    func releaseAll() {
        condition.lock()
        picks = nil
        condition.broadcast()
        while held > 0 { condition.wait() }
        condition.unlock()
    }
}

/// A list appended to from any thread.
final class LockedLog: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String?] = []

    func append(_ item: String?) { lock.withLock { items.append(item) } }
    var entries: [String?] { lock.withLock { items } }
}
