import TerminalUI

/// Puts a bracketed paste into the focused field, always as text.
///
/// A paste never runs a command: with no field focused it is refused, and in a field every
/// pasted character is inserted as text (a newline into a multi-line field as a line break),
/// so the keys a screen binds (Enter, y, d, q) never see it. A paste that holds a line break
/// is refused in a one-line field; one that would pass the field's limit goes in as far as
/// it fits, and the notice says how many characters were left out (a password field takes a
/// paste whole or not at all). Control characters other than tabs were already left out by
/// `Paste`; a tab goes into a multi-line field only. The notice says what was left out.
enum PasteInput {
    /// The focused field, as far as a paste needs to know it.
    enum Field {
        /// A one-line field holding `count` graphemes of at most `limit`.
        case line(count: Int, limit: Int?)
        /// A multi-line field.
        case area(count: Int, limit: Int?)
        /// A password field in secret memory with `freeBytes` left.
        case secret(freeBytes: Int)
    }

    /// Applies `paste` to the focused field of `state`; `key` hands one key to the screen.
    static func apply(_ paste: Paste, _ state: inout AppState,
                      key: (inout AppState, Key) -> [AppEffect]) -> [AppEffect] {
        guard let field = focusedField(state) else {
            state.notice = Notice("Nothing here takes text; nothing was pasted.", isError: true)
            return []
        }
        // A tab goes into a multi-line field as a tab; a one-line field or a password leaves it out.
        var keepsTabs = false
        if case .area = field { keepsTabs = true }
        let leftOutCount = paste.leftOut + (keepsTabs ? 0 : paste.tabCount)
        let leftOut = leftOutCount == 0 ? "" :
            " Left out \(leftOutCount) control character\(leftOutCount == 1 ? "" : "s") (tabs, escapes and the like)."
        if paste.overflowed {
            state.notice = Notice("That paste is over \(Paste.maximumScalars) characters; nothing was pasted.", isError: true)
            return []
        }
        if paste.isEmpty {
            state.notice = Notice("The paste held no text; nothing was pasted." + leftOut, isError: true)
            return []
        }
        switch field {
        case .line(let count, let limit):
            if paste.containsNewline {
                state.notice = Notice("This field holds one line and the paste has line breaks; nothing was pasted.",
                                      isError: true)
                return []
            }
            if let over = overflow(paste, count: count, limit: limit) {
                return insertWhatFits(paste, over: over, limit: limit, keepsTabs: false, &state, key: key)
            }
        case .area(let count, let limit):
            if let over = overflow(paste, count: count, limit: limit) {
                let effects = insertWhatFits(paste, over: over, limit: limit, keepsTabs: true, &state, key: key)
                if case .editor = state.screen { offerRest(paste, over: over, &state) }
                return effects
            }
        case .secret(let freeBytes):
            if paste.containsNewline {
                state.notice = Notice("A password is one line and the paste has line breaks; nothing was pasted.",
                                      isError: true)
                return []
            }
            if paste.utf8Count > freeBytes {
                state.notice = Notice("That paste is \(paste.utf8Count - freeBytes) bytes too long for this field; "
                                      + "nothing was pasted.", isError: true)
                return []
            }
        }
        // Typed one scalar at a time (editing joins combining marks and ZWJ sequences). Any
        // refusal on the way (a limit this check does not know) puts everything back.
        let before = state
        var effects: [AppEffect] = []
        for scalar in paste.scalars where keepsTabs || scalar != "\t" {
            effects += key(&state, .character(Character(scalar)))
            if state.notice?.isError == true {
                state = before
                state.notice = Notice("That paste does not fit in this field; nothing was pasted.", isError: true)
                return []
            }
        }
        state.notice = leftOut.isEmpty ? nil : Notice(String(leftOut.dropFirst()))
        return effects
    }

    /// The pasted text as the field would take it (tabs left out of a one-line field).
    private static func graphemes(_ paste: Paste, keepsTabs: Bool) -> TextArea {
        var scratch = TextArea(limit: nil)
        for scalar in paste.scalars where keepsTabs || scalar != "\t" { _ = scratch.insert(Character(scalar)) }
        return scratch
    }

    /// Graphemes past `limit` once the paste is in, nil when it fits.
    private static func overflow(_ paste: Paste, count: Int, limit: Int?) -> Int? {
        guard let limit else { return nil }
        var scratch = graphemes(paste, keepsTabs: true)
        let over = count + scratch.count - limit
        scratch.wipe()
        return over > 0 ? over : nil
    }

    /// A paste past the field's limit: the part that fits goes in, and the notice says how many
    /// characters did not (they are not kept anywhere).
    private static func insertWhatFits(_ paste: Paste, over: Int, limit: Int?, keepsTabs: Bool, _ state: inout AppState,
                                       key: (inout AppState, Key) -> [AppEffect]) -> [AppEffect] {
        var scratch = graphemes(paste, keepsTabs: keepsTabs)
        defer { scratch.wipe() }
        let fits = max(0, scratch.count - over)
        let holds = limit.map { " (it holds at most \($0))" } ?? ""
        let before = state
        var effects: [AppEffect] = []
        for character in scratch.characters.prefix(fits) {
            effects += key(&state, .character(character))
            if state.notice?.isError == true {
                state = before
                state.notice = Notice("That paste does not fit in this field; nothing was pasted.", isError: true)
                return []
            }
        }
        let left = scratch.count - fits
        state.notice = Notice("Pasted the first \(fits) character\(fits == 1 ? "" : "s"); the last \(left) did not fit in this "
                              + "field\(holds) and were left out.", isError: true)
        return effects
    }

    /// The editor's info: what did not fit is held (in secret memory) and offered as a new
    /// onion, never dropped unasked.
    private static func offerRest(_ paste: Paste, over: Int, _ state: inout AppState) {
        var scratch = graphemes(paste, keepsTabs: true)
        defer { scratch.wipe() }
        let rest = Array(scratch.characters.suffix(over))
        guard !rest.isEmpty else { return }
        state.pasteRest?.wipe()
        state.pasteRest = App.secretText(rest)
        state.overlay = .offerPasteRest(count: rest.count)
        state.notice = Notice("Pasted what fits in the info; \(rest.count) character\(rest.count == 1 ? "" : "s") did not fit.")
    }

    /// The field that has focus, nil when the screen takes no text.
    static func focusedField(_ state: AppState) -> Field? {
        switch state.screen {
        case .login(let form):
            switch form.focus {
            case .username: return line(form.username)
            case .password: return secret(form.password)
            case .repeatPassword: return secret(form.repeatPassword)
            }
        case .locked(let lockState):
            return secret(lockState.password)
        case .list(let list):
            return list.searching ? line(list.search) : nil
        case .editor(let editor):
            return editor.focus == .title ? line(editor.title) : .area(count: editor.info.count, limit: editor.info.limit)
        case .cards(let cards):
            if let form = cards.form {
                switch form.focus {
                case .recipient: return line(form.recipient)
                case .description: return .area(count: form.description.count, limit: form.description.limit)
                case .password: return secret(form.password)
                case .repeatPassword: return secret(form.repeatPassword)
                }
            }
            if let prompt = cards.passwordPrompt { return secret(prompt) }
            return cards.filtering ? line(cards.filter) : nil
        case .tasks(let tasks):
            return tasks.input.map(line) ?? (tasks.filtering ? line(tasks.filter) : nil)
        case .history, .trash:
            return nil
        }
    }

    private static func line(_ field: TextField) -> Field { .line(count: field.count, limit: field.limit) }

    private static func secret(_ field: SecretField) -> Field {
        .secret(freeBytes: field.bytes.capacity - field.bytes.count)
    }
}
