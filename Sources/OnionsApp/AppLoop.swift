import Dispatch
import Glibc
import OnionsCore
import TerminalUI

/// The one loop: read an event (with a timeout, so ticks run), update, run effects, draw.
///
/// The key derivation of a log in runs on a background thread; its result comes back through
/// a locked mailbox the loop polls between events, so only this thread touches the state, the
/// session and the terminal.
public final class AppLoop {
    private let terminal: TerminalBackend
    private let vaults: VaultService
    private let theme: Theme
    private var state: AppState
    private let mailbox = Mailbox()
    private var canvas: Canvas
    /// Milliseconds between ticks (spinner frames, idle checks).
    private let tickMs: Int

    public init(terminal: TerminalBackend, vaults: VaultService, lockAfter: Double, theme: Theme = .standard,
                tickMs: Int = 100, clipboard: ClipboardState = ClipboardState()) {
        self.terminal = terminal
        self.vaults = vaults
        self.theme = theme
        self.tickMs = tickMs
        state = AppState(size: terminal.size, lockAfter: lockAfter, now: BootClock.now())
        state.clipboard = clipboard
        canvas = Canvas(size: terminal.size)
    }

    /// Runs until the person quits or a hang-up or termination arrives.
    public func run() {
        draw()
        while !state.wantsQuit {
            let message: AppMessage
            if let outcome = mailbox.take() {
                message = .authenticated(outcome)
            } else if let report = pendingSync() {
                message = .synced(report)
            } else if let event = terminal.nextEvent(timeoutMs: fastTicks ? CardArt.frameMilliseconds : tickMs) {
                message = Self.message(for: event)
            } else {
                message = .tick(now: BootClock.now())
            }
            let animated = fastTicks
            let effects = App.update(&state, message)
            for effect in effects { perform(effect) }
            if state.wantsQuit {
                for effect in Clipboard.clear(&state) { perform(effect) }  // our copy goes with us
                break
            }
            // A quiet tick changes nothing on screen unless a spinner turns or the vault locked.
            if case .tick = message, !fastTicks, effects.isEmpty, !animated { continue }
            draw()
        }
    }

    /// Runs a sync when the server announced another machine's change (or a save waits to be
    /// pushed, or an offline server may be back). Checked between events, at most every tick.
    private func pendingSync() -> SyncReport? {
        guard let session = state.session, session.hasRemote else { return nil }
        let now = BootClock.now()
        guard now - lastSyncCheck >= Double(tickMs) / 1000 else { return nil }
        lastSyncCheck = now
        guard session.pollRemote(timeoutMs: 0) else { return nil }
        return try? session.syncNow()
    }

    private var lastSyncCheck: Double = 0

    /// Spinner or card animation: ticks come every frame.
    private var fastTicks: Bool {
        if state.busy != nil { return true }
        if case .cards(let cards) = state.screen { return cards.isAnimating }
        return false
    }

    /// The state after the loop ended (for tests).
    public var finalState: AppState { state }

    static func message(for event: Event) -> AppMessage {
        switch event {
        case .key(let key): return .key(key)
        case .resize(let width, let height): return .resize(Size(width: width, height: height))
        case .tick: return .tick(now: BootClock.now())
        case .suspendRequested: return .suspendRequested
        case .resumed: return .resumed
        case .hangup: return .hangup
        case .terminate, .interrupt: return .terminate
        }
    }

    private func perform(_ effect: AppEffect) {
        switch effect {
        case .authenticate(let request):
            let vaults = self.vaults
            let mailbox = self.mailbox
            let thread = Thread { mailbox.put(vaults.perform(request)) }
            thread.start()
        case .clearTerminal:
            canvas = Canvas(size: state.size)
            terminal.clearAll()
        case .suspend:
            terminal.suspend()
        case .quit:
            state.wantsQuit = true
        case .writeTerminal(let bytes):
            bytes.withUnsafeBytes { terminal.writeRaw($0) }
            bytes.wipe()
        }
    }

    private func draw() {
        if canvas.size != terminal.size { canvas = Canvas(size: terminal.size) }
        if state.size != terminal.size { state.size = terminal.size }
        let cursor = App.render(state, into: &canvas, theme: theme)
        terminal.draw(canvas, cursor: cursor)
    }
}

/// One slot for a background result, guarded by a lock.
final class Mailbox: @unchecked Sendable {
    private var lock = pthread_mutex_t()
    private var outcome: AuthOutcome?

    init() { pthread_mutex_init(&lock, nil) }
    deinit { pthread_mutex_destroy(&lock) }

    func put(_ value: AuthOutcome) {
        pthread_mutex_lock(&lock)
        outcome = value
        pthread_mutex_unlock(&lock)
    }

    func take() -> AuthOutcome? {
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        let value = outcome
        outcome = nil
        return value
    }
}

/// A detached POSIX thread running a closure once.
final class Thread: @unchecked Sendable {
    private let body: @Sendable () -> Void

    init(_ body: @escaping @Sendable () -> Void) { self.body = body }

    func start() {
        let box = Unmanaged.passRetained(self).toOpaque()
        var handle = pthread_t()
        let started = pthread_create(&handle, nil, { raw in
            let thread = Unmanaged<Thread>.fromOpaque(raw!).takeRetainedValue()
            thread.body()
            return nil
        }, box)
        if started == 0 {
            pthread_detach(handle)
        } else {
            Unmanaged<Thread>.fromOpaque(box).release()
            body()
        }
    }
}
