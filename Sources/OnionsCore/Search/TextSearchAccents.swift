extension TextSearch {
    /// The combining diacritical marks (U+0300 to U+036F): the accents the search folds away.
    static func isFoldedMark(_ value: UInt32) -> Bool { value >= 0x300 && value <= 0x36F }

    /// Whether `value` is a letter that an accent folds onto: an ASCII letter, or a scalar of the
    /// Latin, Greek or Cyrillic blocks and beyond (no digit, sign or punctuation, so that "="
    /// never finds "≠").
    static func isLetterBase(_ value: UInt32) -> Bool {
        if value < 0x80 { return (value | 0x20) >= 0x61 && (value | 0x20) <= 0x7A }
        return value >= 0xC0 && value != 0xD7 && value != 0xF7
    }

    /// `value` without its accents: the letter NFC composed it from with marks of U+0300 to
    /// U+036F, followed back to the plain letter ("é" and "ế" give "e"); itself otherwise.
    static func unaccented(_ value: UInt32) -> UInt32 {
        guard value >= 0xC0 else { return value }
        var current = value
        while let base = accentBases[current] { current = base }
        return current
    }

    /// Composed scalar -> the letter it was composed from, for the compositions of a letter and
    /// one accent mark (built once from `compositions`).
    static let accentBases: [UInt32: UInt32] = {
        var bases: [UInt32: UInt32] = [:]
        var i = 0
        while i + 2 < compositions.count {
            let first = compositions[i], second = compositions[i + 1], composed = compositions[i + 2]
            if isFoldedMark(second) && isLetterBase(first) { bases[composed] = first }
            i += 3
        }
        return bases
    }()
}
