import Glibc

/// Substring search over UTF-8 bytes in place, ASCII letters compared without case.
///
/// Works on secret memory without making Strings; non-ASCII text matches byte for byte.
public enum TextSearch {
    /// The ASCII lower case of a byte (other bytes unchanged).
    @inlinable
    public static func asciiLower(_ b: UInt8) -> UInt8 { (b >= 0x41 && b <= 0x5a) ? b | 0x20 : b }

    /// True when `haystack` contains `needle`; `needle` must already be lower-cased.
    public static func contains(_ haystack: UnsafeRawBufferPointer, _ needle: [UInt8]) -> Bool {
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

    /// True when `haystack`, already lower-cased, contains `needle` (lower-cased too): the first
    /// byte is found with `memchr`, the rest compared with `memcmp`.
    public static func containsInFolded(_ haystack: UnsafeRawBufferPointer, _ needle: [UInt8]) -> Bool {
        let n = needle.count
        if n == 0 { return true }
        guard haystack.count >= n, let base = haystack.baseAddress else { return false }
        let first = Int32(needle[0])
        var at = 0
        let last = haystack.count - n
        return needle.withUnsafeBytes { nb in
            while at <= last {
                guard let hit = memchr(base + at, first, last - at + 1) else { return false }
                let index = base.distance(to: UnsafeRawPointer(hit))
                if n == 1 || memcmp(base + index + 1, nb.baseAddress! + 1, n - 1) == 0 { return true }
                at = index + 1
            }
            return false
        }
    }
}
