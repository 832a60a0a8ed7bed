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
    /// (back to "pi"); each refilters all 10,000 titles and infos. Each run times the real
    /// loop: the key, the search effect on the runner's thread, its answer and the frame.
    static var keyList10000: Scenario { keyList10000(versions: 1) }

    /// `key-list-10000-history` with `versions` above 1: the same on a vault whose onions were
    /// each saved that many times (the store keeps their earlier versions).
    static func keyList10000(versions: Int) -> Scenario {
        Scenario(name: "key-list-10000" + (versions > 1 ? "-history" : ""), runs: 200, quickRuns: 40) { fixtures in
            let vault = try fixtures.vault(onions: 10_000, infoLength: 300, versions: versions)
            let app = try LoggedInApp(vault: vault)
            app.press(.character("/"), .character("p"), .character("i"))
            var typed = false
            return Trial(run: {
                let key: Key = typed ? .backspace : .character("n")
                let ms = Clock.time { app.press(key) }
                typed.toggle()
                guard case .list(let list) = app.state.screen, list.searching,
                      list.search.characters == Array(typed ? "pin" : "pi") else {
                    throw BenchFailure("key-list-10000: the key did not reach the search as expected")
                }
                guard !list.visible.isEmpty, list.visible.count < 10_000 else {
                    throw BenchFailure("key-list-10000: the search matched \(list.visible.count) onions, not some")
                }
                return ms
            }, finish: { app.close() })
        }
    }
}
