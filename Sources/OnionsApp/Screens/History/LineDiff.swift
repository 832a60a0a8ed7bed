import OnionsCrypto

/// One row of a comparison: a line in both texts, only in the old one (`-`) or only in the
/// new one (`+`), by its bytes' place in each text (no copy of them).
public struct DiffLine: Equatable {
    public enum Kind: Equatable { case same, removed, added }
    public let kind: Kind
    public let old: Range<Int>?
    public let new: Range<Int>?
}

/// A line diff of two secret texts (longest common subsequence of lines, after the common start
/// and end are set aside). Lines are compared in place, in secret memory.
enum LineDiff {
    /// Middles longer than this (old lines times new lines) are shown as all removed, then all
    /// added, instead of being matched (an info holds at most 2,500 characters; this is rare).
    static let tableLimit = 1 << 20

    /// The byte ranges of the lines of `bytes` (split at "\n"; an empty text has one empty line).
    static func lines(_ bytes: UnsafeRawBufferPointer) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var start = 0
        for (index, byte) in bytes.enumerated() where byte == 0x0A {
            ranges.append(start..<index)
            start = index + 1
        }
        ranges.append(start..<bytes.count)
        return ranges
    }

    static func diff(old: SecretBytes, new: SecretBytes) -> [DiffLine] {
        old.withUnsafeBytes { a in new.withUnsafeBytes { b in diff(a, b) } }
    }

    static func diff(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> [DiffLine] {
        let left = lines(a), right = lines(b)
        func equal(_ i: Int, _ j: Int) -> Bool {
            let x = left[i], y = right[j]
            guard x.count == y.count else { return false }
            return a[x].elementsEqual(b[y])
        }
        var head = 0
        while head < left.count, head < right.count, equal(head, head) { head += 1 }
        var tail = 0
        while tail < left.count - head, tail < right.count - head, equal(left.count - 1 - tail, right.count - 1 - tail) {
            tail += 1
        }
        var out = (0..<head).map { DiffLine(kind: .same, old: left[$0], new: right[$0]) }
        let oldMiddle = head..<(left.count - tail), newMiddle = head..<(right.count - tail)
        let n = oldMiddle.count, m = newMiddle.count
        if n * m > tableLimit || n == 0 || m == 0 {
            out += oldMiddle.map { DiffLine(kind: .removed, old: left[$0], new: nil) }
            out += newMiddle.map { DiffLine(kind: .added, old: nil, new: right[$0]) }
        } else {
            // lengths[i][j]: the longest common run of old lines i... and new lines j...
            var lengths = [Int32](repeating: 0, count: (n + 1) * (m + 1))
            for i in stride(from: n - 1, through: 0, by: -1) {
                for j in stride(from: m - 1, through: 0, by: -1) {
                    lengths[i * (m + 1) + j] = equal(head + i, head + j)
                        ? lengths[(i + 1) * (m + 1) + j + 1] + 1
                        : max(lengths[(i + 1) * (m + 1) + j], lengths[i * (m + 1) + j + 1])
                }
            }
            var i = 0, j = 0
            while i < n || j < m {
                if i < n, j < m, equal(head + i, head + j) {
                    out.append(DiffLine(kind: .same, old: left[head + i], new: right[head + j]))
                    i += 1
                    j += 1
                } else if i < n, j == m || lengths[(i + 1) * (m + 1) + j] >= lengths[i * (m + 1) + j + 1] {
                    out.append(DiffLine(kind: .removed, old: left[head + i], new: nil))
                    i += 1
                } else {
                    out.append(DiffLine(kind: .added, old: nil, new: right[head + j]))
                    j += 1
                }
            }
        }
        out += (0..<tail).map { DiffLine(kind: .same, old: left[left.count - tail + $0], new: right[right.count - tail + $0]) }
        return out
    }
}
