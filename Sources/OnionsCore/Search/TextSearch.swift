import Glibc

/// Substring search over UTF-8 bytes in place, without case and across Unicode normalisation.
///
/// Works on secret memory without making Strings. A query of ASCII only is compared byte for
/// byte with ASCII letters folded (the fast path). A query with other characters is compared
/// scalar by scalar after both sides are folded as they are read: a letter followed by a
/// combining mark is composed as NFC composes it and lower-cased ("CAFÉ" finds "café"). A
/// plain letter of the query also finds that letter with accents ("cafe" finds "Café" and
/// "cafè", in either normal form); a letter typed with its accent finds only that accent
/// ("café" does not find "cafè" or "cafe"), as a smart-case search treats capitals. Only
/// accents are folded: a letter of its own stays itself ("strasse" does not find "Straße",
/// "o" does not find "ø"). Marks that NFC would reorder first, and
/// Hangul jamo, are compared as they stand. Text with bytes over ASCII always takes the
/// folded path, so an ASCII query finds accented text too.
public enum TextSearch {
    /// The ASCII lower case of a byte (other bytes unchanged).
    @inlinable
    public static func asciiLower(_ b: UInt8) -> UInt8 { (b >= 0x41 && b <= 0x5a) ? b | 0x20 : b }

    /// True when `haystack` contains `needle`; `needle` must already be lower-cased.
    public static func contains(_ haystack: UnsafeRawBufferPointer, _ needle: [UInt8]) -> Bool {
        if needle.contains(where: { $0 >= 0x80 }) { return foldedContains(haystack, needle) }
        if asciiContains(haystack, needle) { return true }
        return hasNonASCII(haystack) && foldedContains(haystack, needle)
    }

    /// Whether any byte of `text` is over ASCII (the text may hold accents to fold).
    public static func hasNonASCII(_ text: UnsafeRawBufferPointer) -> Bool {
        guard let base = text.baseAddress else { return false }
        // Eight bytes at a time: any byte with its top bit set.
        var at = 0
        while at + 8 <= text.count {
            if base.loadUnaligned(fromByteOffset: at, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return true }
            at += 8
        }
        while at < text.count {
            if base.load(fromByteOffset: at, as: UInt8.self) >= 0x80 { return true }
            at += 1
        }
        return false
    }

    /// The ASCII fast path of `contains`: bytes compared with ASCII letters folded.
    static func asciiContains(_ haystack: UnsafeRawBufferPointer, _ needle: [UInt8]) -> Bool {
        let n = needle.count
        if n == 0 { return true }
        if haystack.count < n { return false }
        let first = needle[0]
        let last = haystack.count - n
        var i = 0
        while i <= last {
            if asciiLower(haystack[i]) == first {
                var j = 1
                while j < n && asciiLower(haystack[i + j]) == needle[j] { j += 1 }
                if j == n { return true }
            }
            i += 1
        }
        return false
    }

    /// True when `haystack`, already lower-cased, contains `needle` (lower-cased too).
    public static func containsInFolded(_ haystack: UnsafeRawBufferPointer, _ needle: [UInt8]) -> Bool {
        if needle.contains(where: { $0 >= 0x80 }) { return foldedContains(haystack, needle) }
        if asciiContainsInFolded(haystack, needle) { return true }
        return hasNonASCII(haystack) && foldedContains(haystack, needle)
    }

    /// The fast path of `containsInFolded`: the C library's `memmem` on the bytes as they are.
    static func asciiContainsInFolded(_ haystack: UnsafeRawBufferPointer, _ needle: [UInt8]) -> Bool {
        let n = needle.count
        if n == 0 { return true }
        guard haystack.count >= n, let base = haystack.baseAddress else { return false }
        return needle.withUnsafeBytes { cMemmem(base, haystack.count, $0.baseAddress, n) != nil }
    }

    /// A query folded as the search folds text (NFC composition, lower case), as UTF-8. Use it
    /// for a query that grows as it is typed, so that a longer query is a byte extension of a
    /// shorter one only when it finds a subset of what the shorter one found.
    public static func foldQuery(_ query: [UInt8]) -> [UInt8] {
        guard query.contains(where: { $0 >= 0x80 }) else { return query.map(asciiLower) }
        return query.withUnsafeBytes { bytes in
            var folded: [UInt8] = []
            var scalars = FoldedScalars(bytes, from: 0)
            while let value = scalars.next() {
                UTF8.encode(Unicode.Scalar(value) ?? "\u{FFFD}") { folded.append($0) }
            }
            return folded
        }
    }

    /// The slow path: both sides folded scalar by scalar, every scalar start of `haystack` tried.
    static func foldedContains(_ haystack: UnsafeRawBufferPointer, _ needle: [UInt8]) -> Bool {
        let wanted = foldedScalars(needle)
        guard !wanted.isEmpty else { return true }
        for start in 0..<haystack.count where foldedMatch(haystack, at: start, wanted) != nil { return true }
        return false
    }

    /// The folded scalars of `needle`.
    static func foldedScalars(_ needle: [UInt8]) -> [UInt32] {
        needle.withUnsafeBytes { bytes in
            var scalars = FoldedScalars(bytes, from: 0)
            var all: [UInt32] = []
            while let value = scalars.next() { all.append(value) }
            return all
        }
    }

    /// Where a match of the folded scalars `wanted` (not empty) that starts at byte `start` of
    /// `haystack` ends; nil when none starts there (or `start` is not the start of a scalar).
    static func foldedMatch(_ haystack: UnsafeRawBufferPointer, at start: Int, _ wanted: [UInt32]) -> Int? {
        guard haystack[start] & 0xC0 != 0x80 else { return nil }
        var scalars = FoldedScalars(haystack, from: start)
        var matched = 0
        while matched < wanted.count, let next = scalars.next(),
              next == wanted[matched] || unaccented(next) == wanted[matched] { matched += 1 }
        return matched == wanted.count ? scalars.end : nil
    }

    /// The scalars of UTF-8 text from a byte offset, each composed with the combining marks
    /// after it where NFC composes them, then lower-cased. Broken UTF-8 reads as U+FFFD.
    struct FoldedScalars {
        let bytes: UnsafeRawBufferPointer
        var at: Int
        var lookahead: UInt32?
        /// The byte offset where the scalar `next()` returned last ends (its marks included).
        private(set) var end: Int
        private var lookaheadEnd = 0

        init(_ bytes: UnsafeRawBufferPointer, from offset: Int) {
            self.bytes = bytes
            at = offset
            end = offset
        }

        mutating func next() -> UInt32? {
            var current: UInt32
            var currentEnd: Int
            if let pending = lookahead {
                current = pending
                currentEnd = lookaheadEnd
                lookahead = nil
            } else {
                guard let decoded = decode() else { return nil }
                current = decoded
                currentEnd = at
            }
            while let following = decode() {
                if let composed = TextSearch.compose(current, following) {
                    current = composed
                    currentEnd = at
                } else if TextSearch.isFoldedMark(following) && TextSearch.isLetterBase(current) {
                    currentEnd = at  // an accent that does not compose: folded away all the same
                } else {
                    lookahead = following
                    lookaheadEnd = at
                    break
                }
            }
            end = currentEnd
            return TextSearch.lower(current)
        }

        /// The next scalar as written, nil at the end.
        private mutating func decode() -> UInt32? {
            guard at < bytes.count else { return nil }
            let lead = bytes[at]
            let length: Int
            var value: UInt32
            switch lead {
            case 0..<0x80: at += 1; return UInt32(lead)
            case 0xC2..<0xE0: length = 2; value = UInt32(lead & 0x1F)
            case 0xE0..<0xF0: length = 3; value = UInt32(lead & 0x0F)
            case 0xF0..<0xF5: length = 4; value = UInt32(lead & 0x07)
            default: at += 1; return 0xFFFD
            }
            guard at + length <= bytes.count else { at += 1; return 0xFFFD }
            for index in 1..<length {
                let byte = bytes[at + index]
                guard byte & 0xC0 == 0x80 else { at += 1; return 0xFFFD }
                value = value << 6 | UInt32(byte & 0x3F)
            }
            at += length
            return value
        }
    }

    /// The scalar NFC makes of `first` followed by `second`, nil when they stay apart.
    static func compose(_ first: UInt32, _ second: UInt32) -> UInt32? {
        guard second >= 0x300 else { return nil }
        var low = 0, high = compositions.count / 3 - 1
        while low <= high {
            let mid = (low + high) / 2
            let a = compositions[3 * mid], b = compositions[3 * mid + 1]
            if a == first && b == second { return compositions[3 * mid + 2] }
            if a < first || (a == first && b < second) { low = mid + 1 } else { high = mid - 1 }
        }
        return nil
    }

    /// The lower case of one scalar (itself when it has no single-scalar lower case).
    static func lower(_ value: UInt32) -> UInt32 {
        if value < 0x80 { return UInt32(asciiLower(UInt8(value))) }
        var low = 0, high = lowerCase.count / 2 - 1
        while low <= high {
            let mid = (low + high) / 2
            let key = lowerCase[2 * mid]
            if key == value { return lowerCase[2 * mid + 1] }
            if key < value { low = mid + 1 } else { high = mid - 1 }
        }
        return value
    }
}

/// glibc's memmem (<string.h> under _GNU_SOURCE, which Swift's Glibc module leaves out),
/// declared by its C name.
@_silgen_name("memmem")
private func cMemmem(_ haystack: UnsafeRawPointer?, _ haystackLength: Int, _ needle: UnsafeRawPointer?,
                     _ needleLength: Int) -> UnsafeMutableRawPointer?
