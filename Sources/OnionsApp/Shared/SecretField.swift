import OnionsCrypto
import TerminalUI

/// A password input that keeps what is typed in secret memory, never in a String.
///
/// Each typed scalar is appended as UTF-8 to a buffer sized in advance; Backspace removes the
/// last scalar. Drawn as a mask of `maskWidth` bullets whatever its length (the length is a
/// secret too), or as typed while `revealed` (Ctrl-T toggles it). `wipe()` zeroes it.
public struct SecretField {
    public static let capacity = 1_024
    public private(set) var bytes = SecretBytes(count: 0, capacity: SecretField.capacity)
    /// Bullets shown for any non-empty password.
    public static let maskWidth = 8
    /// Scalars typed.
    public private(set) var count = 0
    /// True while the password is shown as typed.
    public private(set) var revealed = false

    public init() {}

    public var isEmpty: Bool { count == 0 }

    /// Applies a key: characters append, Backspace removes, Ctrl-U clears, Ctrl-T shows or
    /// hides what is typed. Returns false for keys it does not handle.
    public mutating func handle(_ key: Key) -> Bool {
        switch key {
        case .character(let c):
            for scalar in c.unicodeScalars where scalar.value >= 0x20 && scalar.value != 0x7f {
                guard bytes.capacity - bytes.count >= UTF8.width(scalar) else { break }
                for byte in scalar.utf8 { bytes.append(byte: byte) }
                count += 1
            }
            return true
        case .backspace:
            guard count > 0 else { return true }
            var end = bytes.count - 1
            bytes.withUnsafeBytes { b in while end > 0 && b[end] & 0xC0 == 0x80 { end -= 1 } }
            bytes.truncate(to: end)
            count -= 1
            return true
        case .ctrl("u"):
            wipe()
            return true
        case .ctrl("t"):
            revealed.toggle()
            return true
        default:
            return false
        }
    }

    /// A copy of the typed bytes in a new secret owner (for the key derivation).
    public func copy() -> SecretBytes { bytes.copy() }

    public mutating func wipe() {
        bytes.wipe()
        count = 0
        revealed = false
    }

    /// Draws the mask (or, revealed, the text through a transient String) and returns the
    /// cursor position.
    public func render(in area: Rect, on canvas: inout Canvas, style: Style) -> Point? {
        guard revealed, count > 0, !area.isEmpty else {
            let shown = count == 0 ? 0 : Self.maskWidth
            return TextField.drawMasked(count: shown, cursor: shown, in: area, on: &canvas, style: style)
        }
        let row = area.row(0)
        canvas.fill(row, style: style)
        let text = bytes.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
        let end = canvas.put(text, x: row.x, y: row.y, style: style, maxWidth: row.width)
        return Point(x: min(row.x + end, row.maxX - 1), y: row.y)
    }
}
