/// A key the user pressed, decoded from whatever the terminal sent.
///
/// Printable input arrives as `.character`, one scalar at a time from the terminal; editing
/// widgets join combining marks and ZWJ sequences onto the grapheme before the cursor.
/// Control keys that have names of their own (Tab = ^I, Enter = ^M, Backspace = ^H or DEL,
/// Esc = ^[) arrive under those names, never as `.ctrl`.
public enum Key: Hashable, Sendable {
    case character(Character)
    /// Control plus a letter, as a lowercase letter: `.ctrl("l")` for Ctrl-L.
    case ctrl(Character)
    /// Alt (Meta) plus a character, sent by terminals as Esc followed by the character.
    case alt(Character)
    case enter, tab, backTab, backspace, delete, insert, escape
    case up, down, left, right
    /// Shift-↑ and Shift-↓ (terminfo's `kri` and `kind`).
    case shiftUp, shiftDown
    case home, end, pageUp, pageDown
    /// Ctrl with an arrow, Home or End (`ESC[1;5D` and the like): word motions and the ends of
    /// a text.
    case ctrlLeft, ctrlRight, ctrlHome, ctrlEnd
    /// Alt-Backspace (Esc then DEL or ^H): delete the word before the cursor.
    case altBackspace
    /// F1 is `.function(1)`.
    case function(Int)

    /// Decodes a character code as terminals send it in raw mode.
    ///
    /// Returns nil for Ctrl-Z (26), which the backends turn into `Event.suspendRequested`,
    /// and for codes that are not Unicode scalars.
    public init?(code: UInt32) {
        switch code {
        case 9: self = .tab
        case 10, 13: self = .enter
        case 8, 127: self = .backspace
        case 27: self = .escape
        case 26: return nil
        case 0: self = .ctrl(" ")
        case 1...25: self = .ctrl(Character(Unicode.Scalar(UInt8(code) + 0x60)))
        case 28...31: self = .ctrl(Character(Unicode.Scalar(UInt8(code) + 0x40)))
        case 0x80..<0xA0: return nil
        default:
            guard let scalar = Unicode.Scalar(code) else { return nil }
            self = .character(Character(scalar))
        }
    }
}
