import OnionsApp
import OnionsCore
import TerminalUI

extension Scenario {
    /// `key-editor-2500`: one key handled and the frame drawn at 80x24 in the editor, with the
    /// cursor in the middle of a 2,499-character info (a logged-in vault of 1,000 onions).
    ///
    /// Setup opens the newest onion (2,500 characters) in the editor, moves to the middle of
    /// its info and deletes one character. Runs alternate "x" (the info reaches the 2,500
    /// limit) and Backspace (back to 2,499), so every key changes the text: a key at 2,500
    /// would be refused without rewrapping. Each run times the real loop handling the key and
    /// drawing the frame.
    static var keyEditor2500: Scenario {
        Scenario(name: "key-editor-2500", runs: 400, quickRuns: 60) { fixtures in
            let vault = try fixtures.vault(onions: 1_000, infoLength: 2_500)
            let app = try LoggedInApp(vault: vault)
            app.press(.character("e"))
            app.press(.tab)
            for _ in 0..<16 { app.press(.down) }
            app.press(.backspace)
            guard case .editor(let opened) = app.state.screen, opened.info.count == 2_499 else {
                app.close()
                throw BenchFailure("key-editor-2500: the editor did not open a 2,500-character info")
            }
            var typed = false
            return Trial(run: {
                let key: Key = typed ? .backspace : .character("x")
                let ms = Clock.time { app.press(key) }
                typed.toggle()
                guard case .editor(let shown) = app.state.screen, shown.info.count == (typed ? 2_500 : 2_499),
                      app.state.notice == nil else {
                    throw BenchFailure("key-editor-2500: the key did not change the info as expected")
                }
                return ms
            }, finish: {
                app.press(.escape, .character("y"))  // discard: the shared vault stays as it was
                app.close()
            })
        }
    }
}
