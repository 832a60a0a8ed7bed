/// A mouse report from the terminal: a button pressed or released, or the wheel turned, at a
/// cell (0-based, from the top left).
///
/// Terminals send reports only while mouse reporting is on (`enableSequence`); this program
/// asks for the SGR form (mode 1006), `ESC [ < b ; x ; y M` (press) or `m` (release), whose
/// coordinates have no upper limit (the older form stops at column 223). While reporting is
/// on, the terminal selects text only with Shift held.
public struct MouseEvent: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        case press(Button)
        case release(Button)
        case wheelUp, wheelDown
    }

    public enum Button: Hashable, Sendable {
        case left, middle, right
    }

    public var kind: Kind
    public var x: Int
    public var y: Int

    public init(_ kind: Kind, x: Int, y: Int) {
        self.kind = kind
        self.x = x
        self.y = y
    }

    /// Reports of button presses and releases (1000) in the SGR form (1006).
    public static let enableSequence = Array("\u{1B}[?1000h\u{1B}[?1006h".utf8)
    public static let disableSequence = Array("\u{1B}[?1006l\u{1B}[?1000l".utf8)
    /// What every SGR report starts with.
    public static let sgrPrefix = "\u{1B}[<"
    /// The most bytes a report's body (`b;x;y`) may take: three numbers of up to five digits.
    public static let maximumBodyBytes = 17

    /// Decodes the body of an SGR report (the bytes after `ESC [ <`, up to its final `M` or
    /// `m`). Nil for anything else: a malformed body, numbers out of range, motion, a wheel
    /// tilted sideways, or buttons beyond the third.
    public init?(sgrBody body: [UInt8], final: UInt8) {
        guard final == UInt8(ascii: "M") || final == UInt8(ascii: "m"), body.count <= Self.maximumBodyBytes else {
            return nil
        }
        var numbers: [Int] = [0]
        var digits = 0
        for byte in body {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                digits += 1
                guard digits <= 5 else { return nil }
                numbers[numbers.count - 1] = numbers[numbers.count - 1] * 10 + Int(byte - UInt8(ascii: "0"))
            case UInt8(ascii: ";"):
                guard digits > 0, numbers.count < 3 else { return nil }
                numbers.append(0)
                digits = 0
            default:
                return nil
            }
        }
        guard numbers.count == 3, digits > 0, numbers[1] >= 1, numbers[2] >= 1 else { return nil }
        let code = numbers[0]
        // Shift, Alt and Ctrl (4, 8, 16) do not change what a click does here.
        let base = code & ~(4 | 8 | 16)
        let pressed = final == UInt8(ascii: "M")
        switch base {
        case 0, 1, 2:
            let button: Button = base == 0 ? .left : base == 1 ? .middle : .right
            kind = pressed ? .press(button) : .release(button)
        case 64 where pressed: kind = .wheelUp
        case 65 where pressed: kind = .wheelDown
        default: return nil
        }
        x = numbers[1] - 1
        y = numbers[2] - 1
    }
}
