import CZxcvbn

/// How hard a password is to guess, as zxcvbn estimates it: a score from 0 (very weak) to 4
/// (very strong) and the order of magnitude of the guesses it would take.
///
/// The estimate runs on a NUL-terminated copy in secret memory (never a `String`); the copy is
/// wiped and the stack zxcvbn worked on is zeroed before `estimate` returns.
public struct PasswordStrength: Equatable, Sendable {
    /// 0 very weak, 1 weak, 2 fair, 3 strong, 4 very strong (zxcvbn's bands of guesses:
    /// below 10^3, 10^6, 10^8, 10^10, and above).
    public let score: Int
    /// About 10^guessesLog10 guesses.
    public let guessesLog10: Int

    public init(score: Int, guessesLog10: Int) {
        self.score = score
        self.guessesLog10 = guessesLog10
    }

    /// The strength of `password` (its UTF-8 bytes; an empty one is score 0, 10^0 guesses).
    public static func estimate(_ password: SecretBytes) -> PasswordStrength {
        guard password.count > 0 else { return PasswordStrength(score: 0, guessesLog10: 0) }
        let copy = SecretBytes(count: 0, capacity: password.count + 1)
        defer { copy.wipe() }
        _ = password.withUnsafeBytes { copy.append($0) }
        _ = copy.append(byte: 0)
        let bits = copy.withUnsafeBytes { raw in
            onions_zxcvbn_bits(raw.baseAddress!.assumingMemoryBound(to: CChar.self))
        }
        onions_scrub_stack()
        return PasswordStrength(bits: bits)
    }

    /// The score and magnitude for an entropy of `bits` (log2 of the guesses).
    init(bits: Double) {
        let log10 = max(0, bits) * 0.301_029_995_663_981_2
        let bands: [Double] = [3, 6, 8, 10]
        score = bands.firstIndex { log10 < $0 } ?? 4
        guessesLog10 = Int(log10.rounded())
    }

    /// The score in words: "very weak", "weak", "fair", "strong", "very strong".
    public var word: String {
        ["very weak", "weak", "fair", "strong", "very strong"][min(max(score, 0), 4)]
    }

    /// "strength: weak (about 10^4 guesses)"
    public var text: String { "strength: \(word) (about 10^\(guessesLog10) guesses)" }

    /// Below "strong": a new password this weak needs an explicit confirmation.
    public var isWeak: Bool { score < 3 }
}
