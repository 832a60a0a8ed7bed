import Glibc
import OnionsCore
import OnionsCrypto
import TerminalUI

/// The one loop: take an event or an effect's answer, hand it to `update`, run the effects
/// it asks for, draw.
///
/// Only this thread touches the state and the terminal. Every effect on the vault goes to the
/// `EffectRunner`, which owns the session on its own thread; its answers are messages taken
/// between events. The loop reads the clock and stamps keys and ticks with it; `update` does
/// not. Tests step the same loop on a `HeadlessTerminal` (`step()`, `runUntilIdle()`).
public final class AppLoop {
    private let terminal: TerminalBackend
    private let theme: Theme
    private let clock: () -> Double
    /// Seconds since 1970, for the one-time codes the ticks carry.
    private let wallClock: () -> Double
    private var state: AppState
    let runner: EffectRunner
    private let vaults: VaultService
    private var canvas: Canvas
    /// Milliseconds between ticks (spinner frames, idle checks, sync checks).
    private let tickMs: Int
    private var nextTick: Double
    /// When the runner last went from idle to working (nil while idle).
    private var workSince: Double?
    /// A frame waits for the runner's answer (see `present()`).
    private var framePending = false
    /// Set once the person quit or a hang-up or termination arrived.
    public private(set) var finished = false
    /// Tests: sees every effect just before it runs (`.suspend` after the vault work before it).
    var onEffect: ((AppEffect) -> Void)?
    /// Tests: sees what every call of `App.update` returned, before any of it runs. The loop
    /// runs these effects and nothing else: no other way out of `update` exists.
    var onUpdate: (([AppEffect]) -> Void)?

    public init(terminal: TerminalBackend, vaults: VaultService, lockAfter: Double, theme: Theme = .standard,
                tickMs: Int = 100, clipboard: ClipboardState = ClipboardState(),
                clock: @escaping () -> Double = BootClock.now, wallClock: @escaping () -> Double = WallClock.now) {
        self.terminal = terminal
        self.wallClock = wallClock
        self.theme = theme
        self.tickMs = tickMs
        self.clock = clock
        self.vaults = vaults
        runner = EffectRunner(vaults: vaults)
        let now = clock()
        state = AppState(size: terminal.size, lockAfter: lockAfter, now: now)
        state.clipboard = clipboard
        canvas = Canvas(size: terminal.size)
        nextTick = now + Double(tickMs) / 1000
    }

    deinit { runner.stop() }

    /// Runs until the person quits or a hang-up or termination arrives.
    public func run() {
        draw()
        while !finished {
            step()
            if !finished, clock() >= nextTick { tick() }
            if !finished, framePending, !waitsForAnswer { draw() }
        }
    }

    /// Handles the oldest answer of the runner, or else the next terminal event (waiting at
    /// most until the next tick is due, and only briefly while the runner works). False when
    /// neither came.
    @discardableResult
    public func step() -> Bool {
        if let answer = runner.takeResult() {
            handle(answer)
            return true
        }
        let untilTick = max(0, Int(((nextTick - clock()) * 1000).rounded(.up)))
        let wait = runner.isWorking ? min(untilTick, 10) : untilTick
        guard let event = terminal.nextEvent(timeoutMs: wait) else { return false }
        handle(message(for: event))
        return true
    }

    /// Opens the vault of `username` from the unlock agent that holds it open (before `run`,
    /// when the interface was asked to start that way); the log-in screen says why when not.
    public func openFromAgent(username: String) {
        handle(.openFromAgent(username: username))
    }

    /// Fills the log-in form's username with `username` (from `--user` or `ONIONS_USER`) and
    /// puts the cursor in the password field, before `run`; a name the form cannot take is
    /// left out with a notice.
    public func fillUsername(_ username: String) {
        handle(.fillUsername(username))
    }

    /// Sends a tick now (the loop does this every `tickMs`).
    public func tick() {
        let now = clock()
        nextTick = now + Double(fastTicks ? CardArt.frameMilliseconds : tickMs) / 1000
        handle(.tick(now: now, wall: wallClock()))
    }

    /// Tests: handles every queued event and every answer until the runner has nothing left.
    public func runUntilIdle() {
        while !finished {
            if step() { continue }
            if runner.waitForResult() { continue }
            if framePending { draw() }
            return
        }
    }

    /// The state now (for tests and benchmarks).
    public var currentState: AppState { state }

    /// Tests: the session the runner holds, while nothing runs.
    func withIdleSession<R>(_ body: (Session?) throws -> R) rethrows -> R { try runner.withIdleSession(body) }

    /// Spinner or card animation: ticks come every frame.
    private var fastTicks: Bool {
        if state.busy != nil { return true }
        if case .cards(let cards) = state.screen { return cards.isAnimating }
        return false
    }

    private func message(for event: Event) -> AppMessage {
        switch event {
        case .key(let key): return .key(key, now: clock())
        case .paste(let paste): return .paste(paste, now: clock())
        case .mouse(let mouse): return .mouse(mouse, now: clock())
        case .resize(let width, let height): return .resize(Size(width: width, height: height))
        case .tick: return .tick(now: clock(), wall: wallClock())
        case .suspendRequested: return .suspendRequested
        case .resumed: return .resumed
        case .hangup: return .hangup
        case .terminate, .interrupt: return .terminate
        }
    }

    private func handle(_ message: AppMessage) {
        let animated = fastTicks
        let face = App.clockFace(state) + OneTimeCode.face(state)
        let effects = App.update(&state, message)
        onUpdate?(effects)
        // Before the effects: a suspend or a quit among them finds the mouse as the state wants it.
        terminal.setMouseReporting(state.wantsMouse)
        for effect in effects { perform(effect) }
        if state.wantsQuit || finished {
            let cleared = App.update(&state, .leaving)  // our copy on the clipboard goes with us
            onUpdate?(cleared)
            for effect in cleared { perform(effect) }
            settle()
            runner.stop()
            finished = true
            return
        }
        // A quiet tick changes nothing on screen unless a spinner turns, the countdown to the
        // idle lock moves on or the vault locked.
        if case .tick = message, !fastTicks, !animated, effects.allSatisfy(Self.isQuiet),
           App.clockFace(state) + OneTimeCode.face(state) == face {
            return
        }
        if terminal.size != state.size {
            handle(.resize(terminal.size))
            return
        }
        if effects.contains(where: Self.clears) { draw() } else { present() }
    }

    /// True for the effect that blanks the terminal: the next frame is drawn at once.
    private static func clears(_ effect: AppEffect) -> Bool {
        switch effect {
        case .clearTerminal, .repaint: return true
        default: return false
        }
    }

    /// Draws now, or, while quick work on the vault is in flight and no dialog is up, leaves
    /// the frame to the work's answer (so a moved selection and its preview, or a save and the
    /// list it returns to, show in one frame). After `Busy.showAfter` seconds of work the frame
    /// is drawn anyway. A background sync (after a tick, or the push after a save) holds up no
    /// frame.
    private func present() {
        if waitsForAnswer {
            framePending = true
        } else {
            draw()
        }
    }

    private var waitsForAnswer: Bool {
        // An answer already posted but not yet handled counts: drawing now would show the
        // state from before it.
        guard runner.isAnswerDue else {
            workSince = nil
            return false
        }
        guard let since = workSince, state.busy?.shown != true else { return false }
        return clock() - since < Busy.showAfter
    }

    /// True for an effect that draws nothing by itself (a background sync check).
    private static func isQuiet(_ effect: AppEffect) -> Bool {
        if case .vault(.sync) = effect { return true }
        return false
    }

    private func perform(_ effect: AppEffect) {
        switch effect {
        case .authenticate(let request):
            onEffect?(effect)
            startWork()
            runner.submit(.authenticate(request))
        case .vault(let request):
            onEffect?(effect)
            if !Self.isQuiet(effect) { startWork() }
            runner.submit(.vault(request))
        case .clearTerminal:
            onEffect?(effect)
            canvas = Canvas(size: state.size)
            terminal.clearAll()
        case .repaint:
            onEffect?(effect)
            terminal.repaint()
        case .suspend:
            settle()  // the lock asked for before has wiped the session
            onEffect?(effect)
            terminal.suspend()
        case .quit:
            settle()
            onEffect?(effect)
            finished = true
        case .generatePassword:
            onEffect?(effect)
            handle(.generatedPassword(PasswordGenerator.generate()))
        case .writeTerminal(let bytes):
            onEffect?(effect)
            bytes.withUnsafeBytes { terminal.writeRaw($0) }
            bytes.wipe()
        case .deleteTmuxCopies(let copied):
            onEffect?(effect)
            TmuxBuffers.delete(copied, environment: getenv("TMUX").map { ["TMUX": String(cString: $0)] } ?? [:])
        case .lockAgent(let username):
            onEffect?(effect)
            lockAgent(username: username)
        }
    }

    /// Asks the unlock agent to lock on a thread of its own, so a busy agent never holds up
    /// the keys (on this thread only when no thread can be had; the service's wait is short).
    private func lockAgent(username: String?) {
        let vaults = self.vaults
        if !Thread({ vaults.lockAgent(username: username) }).start() { vaults.lockAgent(username: username) }
    }

    private func startWork() {
        if workSince == nil || !runner.isAnswerDue { workSince = clock() }
    }

    /// Waits for the runner to finish what was asked before and lets `update` take (and wipe)
    /// every answer, without drawing: before the process stops or leaves.
    private func settle() {
        runner.waitUntilIdle()
        while let answer = runner.takeResult() {
            let effects = App.update(&state, answer)
            onUpdate?(effects)
            for effect in effects { perform(effect) }
        }
    }

    private func draw() {
        framePending = false
        if canvas.size != state.size { canvas = Canvas(size: state.size) }
        let cursor = App.render(state, into: &canvas, theme: theme)
        terminal.draw(canvas, cursor: cursor)
    }
}
