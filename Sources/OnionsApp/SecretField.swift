import OnionsCrypto
import TerminalUI

/// A password input that keeps what is typed in secret memory, never in a String.
///
/// Each typed scalar is appended as UTF-8 to a buffer sized in advance; Backspace removes the
/// last scalar. Drawn masked, one bullet per scalar. `wipe()` zeroes it.
public struct SecretField {
    public static let capacity = 1_024
    public private(set) var bytes = SecretBytes(count: 0, capacity: SecretField.capacity)
    /// Scalars typed (the mask's length).
    public private(set) var count = 0

    public init() {}

    public var isEmpty: Bool { count == 0 }

    /// Applies a key: characters append, Backspace removes, Ctrl-U clears. Returns false for
    /// keys it does not handle.
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
        default:
            return false
        }
    }

    /// A copy of the typed bytes in a new secret owner (for the key derivation).
    public func copy() -> SecretBytes { bytes.copy() }

    public mutating func wipe() {
        bytes.wipe()
        count = 0
    }

    /// Draws the mask and returns the cursor position.
    public func render(in area: Rect, on canvas: inout Canvas, style: Style) -> Point? {
        TextField.drawMasked(count: count, cursor: count, in: area, on: &canvas, style: style)
    }
}
