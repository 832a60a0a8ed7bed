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
}
