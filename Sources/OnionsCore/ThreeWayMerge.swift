import OnionsCrypto

/// A line-based three-way merge of texts held in secret memory (diff3's rule).
///
/// Lines are compared against the common ancestor: a stretch changed on one side only takes
/// that side's lines; a stretch changed identically on both sides takes them once; a stretch
/// changed differently on both sides is an overlap, and the merge gives up (nil) rather than
/// guess. Lines keep their line breaks, so a text without a final line break merges too. The
/// texts are read in place; only line boundaries and hashes are kept outside secret memory.
public enum ThreeWayMerge {
    /// The merged text, or nil when the two sides changed the same lines differently.
    public static func merge(base: SecretBytes, local: SecretBytes, remote: SecretBytes) -> SecretBytes? {
        base.withUnsafeBytes { o in
            local.withUnsafeBytes { a in
                remote.withUnsafeBytes { b in merge(base: o, local: a, remote: b) }
            }
        }
    }

    /// The merged text, or nil when the two sides changed the same lines differently.
    public static func merge(base o: UnsafeRawBufferPointer, local a: UnsafeRawBufferPointer,
                             remote b: UnsafeRawBufferPointer) -> SecretBytes? {
        let baseText = Text(o), localText = Text(a), remoteText = Text(b)
        let toLocal = matches(baseText, localText)
        let toRemote = matches(baseText, remoteText)
        let output = SecretBytes(count: 0, capacity: max(1, a.count + b.count))
        var lastBase = -1, lastLocal = -1, lastRemote = -1
        var k = 0
        while k <= baseText.count {
            // A base line kept by both sides (or the virtual end line) closes a stretch.
            let isEnd = k == baseText.count
            guard isEnd || (toLocal[k] >= 0 && toRemote[k] >= 0) else { k += 1; continue }
            let baseRange = (lastBase + 1)..<k
            let localRange = (lastLocal + 1)..<(isEnd ? localText.count : toLocal[k])
            let remoteRange = (lastRemote + 1)..<(isEnd ? remoteText.count : toRemote[k])
            let localSame = sameLines(baseText, baseRange, localText, localRange)
            let remoteSame = sameLines(baseText, baseRange, remoteText, remoteRange)
            if localSame {
                remoteText.append(remoteRange, to: output)
            } else if remoteSame || sameLines(localText, localRange, remoteText, remoteRange) {
                localText.append(localRange, to: output)
            } else {
                output.wipe()
                return nil
            }
            if !isEnd {
                localText.append(toLocal[k]..<(toLocal[k] + 1), to: output)
                lastBase = k
                lastLocal = toLocal[k]
                lastRemote = toRemote[k]
            }
            k += 1
        }
        return output
    }

    /// Lines of a text: byte ranges (line break included) and a hash per line.
    private struct Text {
        let bytes: UnsafeRawBufferPointer
        var ranges: [Range<Int>] = []
        var hashes: [UInt64] = []

        init(_ bytes: UnsafeRawBufferPointer) {
            self.bytes = bytes
            var start = 0
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for i in 0..<bytes.count {
                hash = (hash ^ UInt64(bytes[i])) &* 0x0000_0100_0000_01b3
                if bytes[i] == 0x0a {
                    ranges.append(start..<(i + 1))
                    hashes.append(hash)
                    start = i + 1
                    hash = 0xcbf2_9ce4_8422_2325
                }
            }
            if start < bytes.count {
                ranges.append(start..<bytes.count)
                hashes.append(hash)
            }
        }

        var count: Int { ranges.count }

        func line(_ i: Int) -> UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: bytes[ranges[i]]) }

        func append(_ lines: Range<Int>, to output: SecretBytes) {
            for i in lines { _ = output.append(line(i)) }
        }
    }

    private static func equal(_ x: Text, _ i: Int, _ y: Text, _ j: Int) -> Bool {
        guard x.hashes[i] == y.hashes[j] else { return false }
        let p = x.line(i), q = y.line(j)
        return p.count == q.count && ConstantTime.equals(p, q)
    }

    private static func sameLines(_ x: Text, _ xs: Range<Int>, _ y: Text, _ ys: Range<Int>) -> Bool {
        guard xs.count == ys.count else { return false }
        for (i, j) in zip(xs, ys) where !equal(x, i, y, j) { return false }
        return true
    }

    /// For each line of `base`, the index of the line of `other` it is matched with in a longest
    /// common subsequence, or -1. Common head and tail are matched first; the rest by dynamic
    /// programming.
    private static func matches(_ base: Text, _ other: Text) -> [Int] {
        var result = [Int](repeating: -1, count: base.count)
        var head = 0
        while head < base.count && head < other.count && equal(base, head, other, head) {
            result[head] = head
            head += 1
        }
        var tail = 0
        while tail < base.count - head && tail < other.count - head
            && equal(base, base.count - 1 - tail, other, other.count - 1 - tail) {
            result[base.count - 1 - tail] = other.count - 1 - tail
            tail += 1
        }
        let n = base.count - head - tail, m = other.count - head - tail
        guard n > 0 && m > 0 else { return result }
        // lengths[i][j]: LCS length of base[head+i...] and other[head+j...] (suffixes).
        let width = m + 1
        var lengths = [Int32](repeating: 0, count: (n + 1) * width)
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                lengths[i * width + j] = equal(base, head + i, other, head + j)
                    ? lengths[(i + 1) * width + j + 1] + 1
                    : max(lengths[(i + 1) * width + j], lengths[i * width + j + 1])
            }
        }
        var i = 0, j = 0
        while i < n && j < m {
            if equal(base, head + i, other, head + j) {
                result[head + i] = head + j
                i += 1
                j += 1
            } else if lengths[(i + 1) * width + j] >= lengths[i * width + j + 1] {
                i += 1
            } else {
                j += 1
            }
        }
        return result
    }
}
