extension TextSearch {
    /// Where `needle` (folded by `foldQuery`) occurs in `haystack`: byte ranges, in order, not
    /// overlapping. Finds exactly what `contains` finds, so a highlight never shows where the
    /// search did not match, and works in place on secret memory without making Strings.
    public static func matches(in haystack: UnsafeRawBufferPointer, of needle: [UInt8]) -> [Range<Int>] {
        guard !needle.isEmpty else { return [] }
        var found: [Range<Int>] = []
        if !needle.contains(where: { $0 >= 0x80 }) && !hasNonASCII(haystack) {
            let n = needle.count
            var i = 0
            while i + n <= haystack.count {
                var j = 0
                while j < n && asciiLower(haystack[i + j]) == needle[j] { j += 1 }
                if j == n {
                    found.append(i..<(i + n))
                    i += n
                } else {
                    i += 1
                }
            }
            return found
        }
        let wanted = foldedScalars(needle)
        guard !wanted.isEmpty else { return [] }
        var start = 0
        while start < haystack.count {
            if let end = foldedMatch(haystack, at: start, wanted) {
                found.append(start..<end)
                start = end
            } else {
                start += 1
            }
        }
        return found
    }
}
