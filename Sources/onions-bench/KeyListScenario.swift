import OnionsApp
import OnionsCore
import TerminalUI

extension Scenario {
    /// `key-list-10000`: one key typed into the list's search and the frame drawn at 80x24, in
    /// a logged-in vault of 10,000 onions.
    ///
    /// Setup (not timed) presses `/` and types "pi": the first search character opens every
    /// info once (the session keeps them for later searches), so that warm-up key is not timed.
    /// Runs then alternate "n" (query "pin", matching the titles with "PIN") and Backspace
    /// (back to "pi"); each refilters all 10,000 titles and infos. Each run times
    /// `App.update(&state, .key(k))` plus `App.render(state, into: &canvas)`.
    static var keyList10000: Scenario {
        Scenario(name: "key-list-10000", runs: 200, quickRuns: 40) { fixtures in
            let vault = try fixtures.vault(onions: 10_000, infoLength: 300)
            var state = try AppState.loggedIn(to: vault)
            for key: Key in [.character("/"), .character("p"), .character("i")] {
                _ = App.update(&state, .key(key))
            }
            var canvas = Canvas(width: 80, height: 24)
            _ = App.render(state, into: &canvas)
            var typed = false
            return Trial(run: {
                let key: Key = typed ? .backspace : .character("n")
                let ms = Clock.time {
                    _ = App.update(&state, .key(key))
                    _ = App.render(state, into: &canvas)
                }
                typed.toggle()
                guard case .list(let list) = state.screen, list.searching,
                      list.search.characters == Array(typed ? "pin" : "pi") else {
                    throw BenchFailure("key-list-10000: the key did not reach the search as expected")
                }
                guard !list.visible.isEmpty, list.visible.count < 10_000 else {
                    throw BenchFailure("key-list-10000: the search matched \(list.visible.count) onions, not some")
                }
                return ms
            }, finish: { AppState.close(&state) })
        }
    }
}
