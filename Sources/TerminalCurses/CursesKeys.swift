import CNcursesW
import TerminalUI

/// Maps curses function-key codes (`KEY_CODE_YES` results of `get_wch`) to keys.
enum CursesKeys {
    /// The key for a curses key code, nil for codes the app has no use for (mouse, KEY_RESIZE).
    static func key(forKeyCode code: Int32) -> Key? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_SR: return .shiftUp
        case KEY_SF: return .shiftDown
        case KEY_HOME, KEY_A1: return .home
        case KEY_END, KEY_C1: return .end
        case KEY_PPAGE, KEY_A3: return .pageUp
        case KEY_NPAGE, KEY_C3: return .pageDown
        case KEY_DC: return .delete
        case KEY_IC: return .insert
        case KEY_BACKSPACE: return .backspace
        case KEY_ENTER: return .enter
        case KEY_BTAB: return .backTab
        case (KEY_F0 + 1)...(KEY_F0 + 24): return .function(Int(code - KEY_F0))
        default: return definedKeys.first { $0.code == code }?.key ?? extendedKey(code)
        }
    }

    /// Sequences terminals send for Ctrl with an arrow, Home or End (xterm and tmux:
    /// `ESC[1;5C`; rxvt: `ESC Oc`, `ESC[7^`), each bound to a code of ours with `define_key`,
    /// so they decode whatever terminfo says about the terminal.
    static let definedKeys: [(sequence: String, code: Int32, key: Key)] = [
        ("\u{1B}[1;5D", 0x4F60, .ctrlLeft), ("\u{1B}[1;5C", 0x4F61, .ctrlRight),
        ("\u{1B}[1;5H", 0x4F62, .ctrlHome), ("\u{1B}[1;5F", 0x4F63, .ctrlEnd),
        ("\u{1B}Od", 0x4F64, .ctrlLeft), ("\u{1B}Oc", 0x4F65, .ctrlRight),
        ("\u{1B}[7^", 0x4F66, .ctrlHome), ("\u{1B}[8^", 0x4F67, .ctrlEnd),
    ]

    /// Binds `definedKeys` in the running curses screen.
    static func defineKeys() {
        for entry in definedKeys { define_key(entry.sequence, entry.code) }
    }

    /// Keys terminfo describes as extended capabilities (kLFT5, kRIT5, kHOM5, kEND5), whose
    /// codes curses hands out at run time.
    private static func extendedKey(_ code: Int32) -> Key? {
        guard let name = keyname(code) else { return nil }
        switch String(cString: name) {
        case "kLFT5": return .ctrlLeft
        case "kRIT5": return .ctrlRight
        case "kHOM5": return .ctrlHome
        case "kEND5": return .ctrlEnd
        default: return nil
        }
    }
}
