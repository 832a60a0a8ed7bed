import OnionsCore
import OnionsCrypto
import TerminalUI

/// Log in: a Username field and a masked Password field; an unknown username asks for the
/// password again and creates the vault. A server does not say whether a username has a vault
/// (it answers unknown ones like known ones), so Ctrl-N asks for the new vault directly.
enum LoginScreen {
    static func update(_ form: inout LoginForm, _ state: inout AppState, _ key: Key) -> [AppEffect] {
        switch key {
        case .ctrl("c"):
            form.wipe()
            return App.quit(&state)
        case .escape:
            if form.creating {
                form.creating = false
                form.repeatPassword.wipe()
                form.focus = .password
            } else if form.focus != .username {
                form.focus = .username
            }
            return []
        case .tab, .down:
            form.focus = next(form)
            return []
        case .backTab, .up:
            form.focus = previous(form)
            return []
        case .enter:
            return submit(&form, &state)
        case .ctrl("n") where !form.creating:
            form.creating = true
            form.focus = String(form.username.characters).isEmpty ? .username
                : form.password.isEmpty ? .password : .repeatPassword
            state.notice = Notice("A new vault: type the username and password, then repeat the password "
                                  + "(Esc to go back).")
            return []
        default:
            break
        }
        switch form.focus {
        case .username:
            if form.username.handle(key) == .refused { state.notice = Notice("Usernames are limited to 64 characters.", isError: true) }
        case .password:
            let before = form.password.count
            _ = form.password.handle(key)
            if form.creating, form.password.count != before || key == .ctrl("u") { form.gate.changed(form.password) }
        case .repeatPassword:
            _ = form.repeatPassword.handle(key)
        }
        return []
    }

    /// Why a username given from outside (`--user`, `ONIONS_USER`) does not go into the form,
    /// or nil when it does: more characters than the field takes, or a control character.
    static func refusal(ofGivenUsername username: String, limit: Int?) -> String? {
        if username.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return "it holds a control character"
        }
        if let limit, username.count > limit { return "it is longer than \(limit) characters" }
        return nil
    }

    private static func previous(_ form: LoginForm) -> LoginForm.Focus {
        switch form.focus {
        case .username: return form.creating ? .repeatPassword : .password
        case .password: return .username
        case .repeatPassword: return .password
        }
    }

    private static func next(_ form: LoginForm) -> LoginForm.Focus {
        switch form.focus {
        case .username: return .password
        case .password: return form.creating ? .repeatPassword : .username
        case .repeatPassword: return .username
        }
    }

    private static func submit(_ form: inout LoginForm, _ state: inout AppState) -> [AppEffect] {
        let username = String(form.username.characters)
        switch form.focus {
        case .username:
            form.focus = .password
            return []
        case .password:
            guard !username.isEmpty else {
                state.notice = Notice("Type a username first.", isError: true)
                form.focus = .username
                return []
            }
            guard !form.password.isEmpty else {
                state.notice = Notice("Type the password.", isError: true)
                return []
            }
            if form.creating {
                form.focus = .repeatPassword
                return []
            }
            state.busy = Busy(label: "Opening the vault", since: state.now, shown: true)
            return [.authenticate(AuthRequest(purpose: .logIn, username: username, password: form.password.copy(),
                                              heldDraft: state.heldDraft))]
        case .repeatPassword:
            guard form.password.bytes.constantTimeEquals(form.repeatPassword.bytes) else {
                form.repeatPassword.wipe()
                state.notice = Notice("The passwords differ. Repeat the password.", isError: true)
                return []
            }
            guard form.gate.passes(form.password, &state) else {
                if form.gate.refusedShort {
                    form.password.wipe()
                    form.repeatPassword.wipe()
                    form.gate.changed(form.password)
                    form.focus = .password
                }
                return []
            }
            state.busy = Busy(label: "Creating the vault", since: state.now, shown: true)
            return [.authenticate(AuthRequest(purpose: .signUp, username: username, password: form.password.copy(),
                                              heldDraft: state.heldDraft))]
        }
    }

    /// A log in or sign up failed: say why and stay.
    static func failed(_ form: inout LoginForm, _ state: inout AppState, _ error: VaultError,
                       purpose: AuthRequest.Purpose) {
        switch error {
        case _ where purpose == .fromAgent:
            form.focus = .password
            var why = "\(error)"
            if case .store(.unavailable(let reason)) = error { why = reason }
            state.notice = Notice("Not opened from the agent: \(why).", isError: true)
        case .noSuchVault where purpose == .logIn:
            form.creating = true
            form.gate.changed(form.password)
            form.focus = .repeatPassword
            state.notice = Notice("No vault for '\(String(form.username.characters))' here. "
                                  + "Repeat the password to create it (Esc to go back).")
        default:
            form.password.wipe()
            form.repeatPassword.wipe()
            form.gate.wipe()
            form.creating = false
            form.focus = .password
            var why = "\(error)"
            if error == .wrongPassword && purpose == .logIn {
                why += " (or no vault of that name on the server yet: Ctrl-N creates one)"
            }
            state.notice = Notice(why, isError: true)
        }
    }

    static func render(_ form: LoginForm, _ state: AppState, _ canvas: inout Canvas, _ theme: Theme) -> Point? {
        let area = Layout.body(canvas)
        let boxWidth = min(area.width, 46)
        // On short terminals the fields close up, then the caption goes, then the fields above
        // the focused one scroll away.
        let fields = form.creating ? 4 : 2  // creating: Repeat and the strength line
        let step = area.height >= 2 * fields + 3 ? 2 : 1
        let first = step == 2 || area.height >= fields + 3 ? step : 0
        let rows = first + step * (fields - 1) + 3
        let box = area.centered(width: boxWidth, height: min(area.height, rows))
        let inner = canvas.drawBox(box, border: .rounded, style: theme.border, title: "onions",
                                   titleStyle: theme.title).inset(horizontal: 1, vertical: 0)
        var cursor: Point?
        let labelWidth = form.creating ? 10 : 10
        let focusIndex = form.focus == .username ? 0 : form.focus == .password ? 1 : 2
        let skip = first == 0 ? max(0, focusIndex - (inner.height - 1)) : 0
        func field(_ index: Int, _ label: String, focused: Bool, draw: (Rect) -> Point?) {
            let row = first + step * (index - skip)
            guard row >= 0, row < inner.height else { return }
            let line = inner.row(row)
            canvas.put(label, x: line.x, y: line.y, style: focused ? theme.title : theme.text, maxWidth: labelWidth)
            let input = Rect(x: line.x + labelWidth, y: line.y, width: max(0, line.width - labelWidth), height: 1)
            let point = draw(input)
            if focused { cursor = point }
        }
        if inner.height > 0, first > 0 {
            canvas.put(form.creating ? "Create a vault" : "Unlock your vault", x: inner.x, y: inner.y,
                       style: theme.dim, maxWidth: inner.width)
        }
        field(0, "Username", focused: form.focus == .username) { rect in
            form.username.render(in: rect, on: &canvas, style: theme.text.underlined())
        }
        field(1, "Password", focused: form.focus == .password) { rect in
            form.password.render(in: rect, on: &canvas, style: theme.text.underlined())
        }
        if form.creating {
            field(2, "Repeat", focused: form.focus == .repeatPassword) { rect in
                form.repeatPassword.render(in: rect, on: &canvas, style: theme.text.underlined())
            }
            field(3, "", focused: false) { rect in
                let width = rect.width + labelWidth
                canvas.put(form.gate.line(width: width), x: rect.x - labelWidth, y: rect.y, style: form.gate.style(theme),
                           maxWidth: width)
                return nil
            }
        }
        return state.busy == nil ? cursor : nil
    }

    static func hints(_ form: LoginForm) -> [KeyHint] {
        let field = form.focus == .password ? form.password : form.focus == .repeatPassword ? form.repeatPassword : nil
        return [KeyHint("Tab", "next field"), KeyHint("Enter", form.creating ? "create the vault" : "log in")]
            + (form.creating ? [] : [KeyHint("^N", "new vault")])
            + [KeyHint("Esc", "back")] + (field.map { [KeyHint("^T", $0.revealed ? "hide" : "show")] } ?? [])
            + [KeyHint("^C", "quit")]
    }
}

/// The lock screen: the username and a password field.
enum LockScreen {
    static func update(_ lockState: inout LockState, _ state: inout AppState, _ key: Key) -> [AppEffect] {
        switch key {
        case .enter:
            guard !lockState.password.isEmpty else {
                state.notice = Notice("Type the password.", isError: true)
                return []
            }
            state.busy = Busy(label: "Unlocking", since: state.now, shown: true)
            let request = AuthRequest(purpose: .unlock, username: state.username, password: lockState.password.copy(),
                                      heldDraft: state.heldDraft)
            lockState.password.wipe()
            return [.authenticate(request)]
        case .ctrl("c"), .ctrl("q"):
            lockState.password.wipe()
            return App.quit(&state)
        default:
            _ = lockState.password.handle(key)
            return []
        }
    }

    static func render(_ lockState: LockState, _ state: AppState, _ canvas: inout Canvas, _ theme: Theme) -> Point? {
        let area = Layout.body(canvas)
        let box = area.centered(width: min(area.width, 46), height: min(area.height, 7))
        let inner = canvas.drawBox(box, border: .rounded, style: theme.border, title: "locked",
                                   titleStyle: theme.title).inset(horizontal: 1, vertical: 0)
        guard inner.height >= 1 else { return nil }
        canvas.put("The vault of \(state.username) is locked.", x: inner.x, y: inner.y, style: theme.text,
                   maxWidth: inner.width)
        let passwordRow = inner.height >= 4 ? 3 : 1
        guard inner.height > passwordRow else { return nil }
        let line = inner.row(passwordRow)
        canvas.put("Password", x: line.x, y: line.y, style: theme.title, maxWidth: 10)
        let input = Rect(x: line.x + 10, y: line.y, width: max(0, line.width - 10), height: 1)
        let cursor = lockState.password.render(in: input, on: &canvas, style: theme.text.underlined())
        return state.busy == nil ? cursor : nil
    }

    static let hints = [KeyHint("Enter", "unlock"), KeyHint("^C", "quit")]
}
