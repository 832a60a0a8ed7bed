import OnionsCore
import OnionsCrypto
import TerminalUI

/// The built-in editor: a title field and an info area with live counters.
enum EditorScreen {
    static func update(_ editor: inout EditorState, _ state: inout AppState, _ key: Key) -> [AppEffect] {
        fit(&editor, state.size)
        switch key {
        case .ctrl("y"):
            let info = App.secretText(editor.info.characters)
            defer { info.wipe() }
            return Clipboard.copy(info, &state)
        case .ctrl("s"):
            return save(&editor, &state)
        case .ctrl("g"):
            return [.generatePassword]
        case .escape:
            if editor.dirty {
                state.overlay = .confirmDiscard
                return []
            }
            editor.wipe()
            return App.openList(&state, selecting: editor.target)
        case .tab, .backTab:
            editor.focus = editor.focus == .title ? .info : .title
            return []
        case .function(1):
            state.overlay = .help
            state.helpScroll = HelpOverlay.firstLine(of: "Editor", state.size)
            return []
        case .enter where editor.focus == .title:
            editor.focus = .info
            return []
        default:
            break
        }
        let result: EditResult
        switch editor.focus {
        case .title:
            result = editor.title.handle(key)
            if result == .refused {
                state.notice = Notice(FieldLimit.onionTitle.refusal(characters: editor.title.count), isError: true)
            }
        case .info:
            result = editor.info.handle(key)
            if result == .refused {
                state.notice = Notice(FieldLimit.onionInfo.refusal(characters: editor.info.count), isError: true)
            }
        }
        if result == .changed { editor.dirty = true }
        return []
    }

    /// Ctrl-G's answer: the new password typed at the cursor of the focused field, or, when it
    /// does not fit the field's limit, nothing and a notice.
    static func insertGenerated(_ state: inout AppState, _ password: SecretBytes) -> [AppEffect] {
        guard case .editor(var editor) = state.screen else { return [] }
        let before = editor
        var refused = false
        password.withUnsafeBytes { bytes in
            for byte in bytes where !refused {
                // ASCII only (PasswordGenerator's alphabet): one byte, one character.
                let result = editor.focus == .title ? editor.title.handle(.character(Character(Unicode.Scalar(byte))))
                                                    : editor.info.handle(.character(Character(Unicode.Scalar(byte))))
                refused = result == .refused
            }
        }
        if refused {
            editor.title.wipe()  // this copy's texts; `before` keeps its own (and the shared base)
            editor.info.wipe()
            state.screen = .editor(before)
            state.notice = Notice("A new password does not fit here; nothing was added.", isError: true)
            return []
        }
        editor.dirty = true
        state.screen = .editor(editor)
        state.notice = Notice("A new password of \(password.count) characters (letters, digits, symbols) was added.")
        return []
    }

    /// A click: on the title's row it focuses the title, in the info it focuses the info, and
    /// either way the cursor goes to the grapheme clicked.
    static func click(_ editor: inout EditorState, at point: Point, _ size: Size) {
        fit(&editor, size)
        let area = Layout.body(size)
        guard area.height >= 3, area.contains(point) else { return }
        if point.y == area.y {
            let titleLimit = FieldLimit.onionTitle
            let counter = titleLimit.counter(characters: editor.title.count, bytes: editor.title.byteCount)
            let fieldX = area.x + 6, fieldWidth = max(0, area.maxX - counter.count - area.x - 7)
            guard point.x >= fieldX, point.x < fieldX + fieldWidth else { return }
            editor.focus = .title
            editor.title.setCursor(editor.title.index(atColumn: point.x - fieldX, width: fieldWidth))
        } else if point.y >= area.y + 2 {
            editor.focus = .info
            editor.info.setCursor(editor.info.index(atVisibleRow: point.y - area.y - 2, column: point.x - area.x))
        }
    }

    /// Lays the info area out for the terminal's size (wrapping and up/down follow it).
    static func fit(_ editor: inout EditorState, _ size: Size) {
        let want = Layout.infoArea(size)
        if editor.info.width != want.width || editor.info.height != want.height {
            editor.info.resize(width: want.width, height: want.height)
        }
    }

    /// Asks to save the onion (Ctrl-S); the answer comes to `saved`.
    private static func save(_ editor: inout EditorState, _ state: inout AppState) -> [AppEffect] {
        guard state.vault != nil else { return [] }
        App.startWork(&state, "Saving")
        let base = editor.base
        editor.base = nil  // the save owns it now; a failed save gives it back
        return [.vault(.saveOnion(id: editor.target, title: App.secretText(editor.title.characters),
                                  info: App.secretText(editor.info.characters), base: base))]
    }

    /// The save's answer: back to the list on the saved onion, or the editor stays open with
    /// the reason (a broken limit).
    static func saved(_ editor: inout EditorState, _ state: inout AppState, _ result: Result<ItemID, any Error>,
                      _ outcome: PeerSaveOutcome = .saved) -> [AppEffect] {
        switch result {
        case .success(let id):
            editor.wipe()
            let effects = App.openList(&state, selecting: id)
            switch outcome {
            case .saved: state.notice = Notice("Saved.")
            case .merged: state.notice = Notice("Saved; another program had changed this onion too, and both edits are kept.")
            case .keptAsCopy:
                state.notice = Notice("Another program had changed the same lines; its version stays and yours is "
                                      + "saved as a conflict copy.")
            case .restored: state.notice = Notice("Another program had deleted this onion; your edit is saved as a new one.")
            }
            return effects
        case .failure(VaultError.limit(let limit)):
            state.notice = Notice(sentence(limit.description), isError: true)
            if case .tooShort(let field, _) = limit, field == FieldLimit.onionTitle.name { editor.focus = .title }
            state.screen = .editor(editor)
        case .failure(let error):
            state.notice = Notice(sentence("\(error)"), isError: true)
        }
        return []
    }

    private static func sentence(_ text: String) -> String {
        guard let first = text.first else { return text }
        return first.uppercased() + text.dropFirst() + "."
    }

    static func render(_ editor: EditorState, _ state: AppState, _ canvas: inout Canvas, _ theme: Theme) -> Point? {
        let area = Layout.body(canvas)
        guard area.height >= 3 else { return nil }
        var cursor: Point?
        let titleRow = area.row(0)
        let titleLimit = FieldLimit.onionTitle, infoLimit = FieldLimit.onionInfo
        let titleCounter = titleLimit.counter(characters: editor.title.count, bytes: editor.title.byteCount)
        let labelStyle = editor.focus == .title ? theme.title : theme.dim
        canvas.put("Title ", x: titleRow.x, y: titleRow.y, style: labelStyle)
        let counterX = titleRow.maxX - titleCounter.count
        canvas.put(titleCounter, x: counterX, y: titleRow.y,
                   style: counterStyle(titleLimit.isFull(characters: editor.title.count, bytes: editor.title.byteCount), theme))
        let titleField = Rect(x: titleRow.x + 6, y: titleRow.y, width: max(0, counterX - titleRow.x - 7), height: 1)
        let titlePoint = editor.title.render(in: titleField, on: &canvas, style: theme.text.underlined())
        if editor.focus == .title { cursor = titlePoint }

        let ruleRow = area.row(1)
        let infoCounter = infoLimit.counter(characters: editor.info.count, bytes: editor.info.byteCount)
        canvas.fill(ruleRow, with: "─", style: theme.border)
        canvas.put(" Info ", x: ruleRow.x + 1, y: ruleRow.y, style: editor.focus == .info ? theme.title : theme.dim)
        canvas.put(" " + infoCounter + " ", x: ruleRow.maxX - infoCounter.count - 3, y: ruleRow.y,
                   style: counterStyle(infoLimit.isFull(characters: editor.info.count, bytes: editor.info.byteCount), theme))
        let infoArea = Rect(x: area.x, y: area.y + 2, width: area.width, height: area.height - 2)
        let infoPoint = editor.info.render(in: infoArea, on: &canvas, style: theme.text)
        if editor.focus == .info { cursor = infoPoint }
        return cursor
    }

    private static func counterStyle(_ full: Bool, _ theme: Theme) -> Style {
        full ? theme.error : theme.dim
    }

    static func hints(_ editor: EditorState) -> [KeyHint] {
        [KeyHint("^S", "save"), KeyHint("Tab", editor.focus == .title ? "to info" : "to title"),
         KeyHint("Esc", "back"), KeyHint("^Y", "copy"), KeyHint("^G", "new password"), KeyHint("^L", "lock"),
         KeyHint("F1", "help")]
    }
}
