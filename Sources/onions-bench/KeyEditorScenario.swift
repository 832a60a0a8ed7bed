import OnionsApp
import OnionsCore
import TerminalUI

extension Scenario {
    /// `key-editor-2500`: one key handled and the frame drawn at 80x24 in the editor, with the
    /// cursor in the middle of a 2,499-character info (a logged-in vault of 1,000 onions).
    ///
    /// Runs alternate "x" (the info reaches the 2,500 limit) and Backspace (back to 2,499), so
    /// every key changes the text: a key at 2,500 would be refused without rewrapping. Each run
    /// times `App.update(&state, .key(k))` plus `App.render(state, into: &canvas)`.
    static var keyEditor2500: Scenario {
        Scenario(name: "key-editor-2500", runs: 400, quickRuns: 60) { fixtures in
            let vault = try fixtures.vault(onions: 1_000, infoLength: 300)
            var state = try AppState.loggedIn(to: vault)
            guard let onion = state.session?.onions.first, let session = state.session else {
                throw BenchFailure("key-editor-2500: the vault lists no onion")
            }
            let title = Array(session.title(onion))
            var text = SampleText(seed: 2_499)
            let info = Array(String(decoding: text.info(length: 2_499), as: UTF8.self))
            var editor = EditorState(target: onion.id, title: title, info: info)
            editor.focus = .info
            editor.info.setCursor(info.count / 2)
            state.screen = .editor(editor)
            _ = App.update(&state, .resize(Size(width: 80, height: 24)))
            var canvas = Canvas(width: 80, height: 24)
            var typed = false
            return Trial(run: {
                let key: Key = typed ? .backspace : .character("x")
                let ms = Clock.time {
                    _ = App.update(&state, .key(key))
                    _ = App.render(state, into: &canvas)
                }
                typed.toggle()
                guard case .editor(let shown) = state.screen, shown.info.count == (typed ? 2_500 : 2_499),
                      state.notice == nil else {
                    throw BenchFailure("key-editor-2500: the key did not change the info as expected")
                }
                return ms
            }, finish: { AppState.close(&state) })
        }
    }
}
