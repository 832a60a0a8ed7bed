/// How many terminal cells text takes, computed in pure Swift to agree with glibc's `wcwidth`.
///
/// The curses backend draws with `wcwidth`, so layout must use the same numbers: East Asian
/// Wide and Fullwidth scalars (CJK, Hangul syllables, fullwidth forms, emoji whose default
/// presentation is emoji) take 2 cells; combining marks, format characters (ZWJ, variation
/// selectors) and Hangul medial jamo take 0; everything else takes 1. A grapheme cluster takes
/// the width of its base, so `é` written as `e` + U+0301 is 1.
///
/// Terminals disagree on the width of emoji sequences (ZWJ sequences such as `👨‍👩‍👧`, skin
/// tones such as `👍🏽`, flags such as `🇫🇷`, keycaps and variation selectors): one draws two
/// cells, another four, the next two cells per scalar, and the columns after them shift. Such
/// a cluster is therefore drawn as something every terminal measures alike (see `agreed`):
/// its first visible scalar alone (`👨`, `👍`), and a flag as its two letters (`FR`). Widths
/// here are those of the drawn form.
public enum DisplayWidth {
    /// Width of one scalar: 0, 1 or 2. Controls (C0, DEL, C1) are 0 here; see `of(_: Character)`.
    public static func of(_ scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v < 0x7F { return v >= 0x20 ? 1 : 0 }
        if v < 0xA0 { return 0 }
        if v < 0x300 { return 1 }
        if contains(v, in: zeroWidthRanges) { return 0 }
        if v >= 0x1100, contains(v, in: wideRanges) { return 2 }
        return 1
    }

    /// Cells a grapheme takes on screen: 0, 1 or 2.
    ///
    /// A control character (including a newline, tab or Esc) or a bidirectional override counts
    /// 1: the canvas never puts them into a cell (`TerminalText.isRefusedInCell`) and draws
    /// U+FFFD "�" in their place. A cluster with no visible base (a lone combining mark or ZWJ) is 0 and is not drawn.
    public static func of(_ character: Character) -> Int {
        if character.utf8.count == 1 { return 1 }
        switch agreed(character) {
        case .asIs: break
        case .scalar(let scalar): return of(scalar)
        case .letters: return 2
        }
        var scalars = character.unicodeScalars.makeIterator()
        guard let first = scalars.next() else { return 0 }
        if isControl(first) || TerminalText.isRefusedInCell(character) { return 1 }
        let width = of(first)
        if width != 0 { return width }
        while let next = scalars.next() {
            let w = of(next)
            if w != 0 { return w }
        }
        return 0
    }

    /// How a grapheme is drawn so that every terminal gives it the same cells.
    public enum Agreed: Equatable {
        /// Drawn as it is (one scalar, or a base with combining marks).
        case asIs
        /// Drawn as this one scalar (the first visible one of an emoji sequence).
        case scalar(Unicode.Scalar)
        /// A flag, drawn as two ASCII letters in two cells.
        case letters(Character, Character)
    }

    /// The form `grapheme` is drawn in (see the type's summary).
    public static func agreed(_ character: Character) -> Agreed {
        let scalars = character.unicodeScalars
        guard let first = scalars.first else { return .asIs }
        if isRegionalIndicator(first) {
            var letters = scalars.lazy.filter(isRegionalIndicator).map(letter).makeIterator()
            let a = letters.next()!
            guard let b = letters.next() else { return .scalar(Unicode.Scalar(a.asciiValue!)) }
            return .letters(a, b)
        }
        guard scalars.count > 1, scalars.contains(where: isEmojiSequencePart) else { return .asIs }
        for scalar in scalars where of(scalar) > 0 && !isControl(scalar) { return .scalar(scalar) }
        return .asIs
    }

    /// Scalars that make a cluster an emoji sequence terminals disagree on: ZWJ, variation
    /// selectors 15 and 16, skin-tone modifiers, the keycap mark and tag characters.
    private static func isEmojiSequencePart(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x200D, 0xFE0E, 0xFE0F, 0x1F3FB...0x1F3FF, 0x20E3, 0xE0020...0xE007F: return true
        default: return false
        }
    }

    private static func isRegionalIndicator(_ scalar: Unicode.Scalar) -> Bool {
        (0x1F1E6...0x1F1FF).contains(scalar.value)
    }

    private static func letter(_ scalar: Unicode.Scalar) -> Character {
        Character(Unicode.Scalar(UInt8(0x41 + scalar.value - 0x1F1E6)))
    }

    /// Total cells of a run of graphemes.
    public static func of<S: Sequence>(_ text: S) -> Int where S.Element == Character {
        var total = 0
        for character in text { total += of(character) }
        return total
    }

    /// True for C0 controls, DEL and C1 controls: characters that never go into a cell.
    public static func isControl(_ character: Character) -> Bool {
        isControl(character.unicodeScalars.first!)
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (scalar.value >= 0x7F && scalar.value < 0xA0)
    }

    /// Binary search in a flat, sorted list of inclusive (first, last) pairs.
    private static func contains(_ value: UInt32, in ranges: [UInt32]) -> Bool {
        var low = 0, high = ranges.count / 2 - 1
        if value < ranges[0] || value > ranges[ranges.count - 1] { return false }
        while low <= high {
            let mid = (low + high) / 2
            if value < ranges[2 * mid] {
                high = mid - 1
            } else if value > ranges[2 * mid + 1] {
                low = mid + 1
            } else {
                return true
            }
        }
        return false
    }
}
