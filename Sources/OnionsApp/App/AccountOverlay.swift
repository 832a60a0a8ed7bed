import OnionsCore
import TerminalUI

/// The account view (`v` in the views of the vault): the six words of this machine's latest
/// save with its count and time, as `onions verify` prints them, this machine's id within the
/// vault, and the server head it last verified, with how to compare the words with another
/// machine. Drawn from the snapshot alone (`VaultSnapshot.chain`).
enum AccountOverlay {
    /// The view's lines: (key or heading, label, is a heading), as the help's.
    static func lines(_ state: AppState) -> [(String, String, Bool)] {
        guard let chain = state.vault?.chain else {
            return [("", "No save yet: the vault's first save gives it its first words.", false)]
        }
        let when = ChangeTime.text(chain.time) ?? "time not recorded"
        let pinned: String
        if let pin = chain.pinned {
            pinned = pin.words == chain.words ? "save \(pin.count), the same (verified at the last sync)"
                : "save \(pin.count): \(pin.words)"
        } else {
            pinned = state.remote.configured ? "none yet: no sync has verified the server's head"
                : "none: this vault syncs with no server"
        }
        return [
            ("Latest save on this machine", "", true),
            ("", chain.words, false),
            ("", "save \(chain.count), \(when)", false),
            ("", "", false),
            ("This machine", "", true),
            ("id", chain.machine, false),
            ("server head", pinned, false),
            ("", "", false),
            ("Comparing", "", true),
            ("", "Run 'onions verify' on another machine after a sync on both: the same words mean the same "
                + "vault at the same save. Words that differ although both synced just now mean the server showed "
                + "the two machines two histories. 'onions verify --at N' compares a save both hold.", false),
        ]
    }

    /// The rows of the view at the state's terminal size.
    static func rows(_ state: AppState) -> [HelpOverlay.Row] {
        HelpOverlay.rows(of: lines(state), width: HelpOverlay.box(state.size).innerWidth)
    }

    static func render(_ state: AppState, _ canvas: inout Canvas, _ theme: Theme) {
        HelpOverlay.drawBox(title: "account · \(state.username)", rows: rows(state), &canvas, theme,
                            scroll: state.helpScroll)
    }
}
