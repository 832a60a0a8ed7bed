import OnionsCore
import OnionsCrypto

/// The one-time code of an `otpauth://totp/...` line in a text the person is reading (the read
/// view, an open card), for the time the last tick brought (`AppState.wallTime`).
///
/// The code is computed from the text at each frame and drawn; nothing of it or its seed is kept
/// in the state (the seed lives in secret memory for the computation only and is wiped after).
enum OneTimeCode {
    static let prefix = Array("otpauth://totp/".utf8)

    /// The code ("123 456" for six digits) and the seconds until it changes, for the first
    /// `otpauth://totp/` line of `text` that parses; nil when there is none or the time is not
    /// known yet.
    static func current(in text: SecretBytes, at wall: Double) -> (code: String, secondsLeft: Int)? {
        guard wall > 0 else { return nil }
        return text.withUnsafeBytes { bytes -> (code: String, secondsLeft: Int)? in
            var start = 0
            while start < bytes.count {
                var end = start
                while end < bytes.count, bytes[end] != 0x0A { end += 1 }
                var from = start
                while from < end, bytes[from] == 0x20 || bytes[from] == 0x09 { from += 1 }
                var to = end
                while to > from, bytes[to - 1] == 0x0D || bytes[to - 1] == 0x20 { to -= 1 }
                let line = UnsafeRawBufferPointer(rebasing: bytes[from..<to])
                if line.count > prefix.count, line.starts(with: prefix), let totp = try? TOTP(uri: line) {
                    let time = Int64(wall)
                    let code = totp.code(at: time)
                    defer { code.wipe() }
                    return (grouped(code), totp.secondsLeft(at: time))
                }
                start = end + 1
            }
            return nil
        }
    }

    /// Six or eight digits in groups of three or four, as authenticator apps show them.
    static func grouped(_ code: SecretBytes) -> String {
        code.withUnsafeBytes { digits in
            let text = String(decoding: digits, as: UTF8.self)
            guard digits.count >= 6, digits.count % 2 == 0 else { return text }
            let half = digits.count / 2
            return String(text.prefix(half)) + " " + String(text.suffix(digits.count - half))
        }
    }

    /// The words drawn for a code: "code 123 456 · 17 s".
    static func label(_ code: (code: String, secondsLeft: Int)) -> String {
        "code \(code.code) · \(code.secondsLeft) s"
    }

    /// What changes on screen with the time (the seconds left of a code shown): the loop draws a
    /// quiet tick only when this or the header's clock changed.
    static func face(_ state: AppState) -> String {
        switch state.screen {
        case .list(let list):
            guard let reader = list.reader, let code = current(in: reader.info, at: state.wallTime) else { return "" }
            return label(code)
        case .cards(let cards):
            guard let text = CardsScreen.openText(cards), let code = current(in: text, at: state.wallTime) else { return "" }
            return label(code)
        default:
            return ""
        }
    }
}
