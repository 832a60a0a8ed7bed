import OnionsCrypto

/// A line-based three-way merge of texts held in secret memory.
///
/// Each side is compared with the common ancestor (the base) and cut into changes: a run of
/// base lines replaced by a run of that side's lines (an insertion replaces none, a deletion
/// puts none in their place). Changes of the two sides that cover different base lines are all
/// applied, neighbours included: a line changed next to a line changed on the other side, or
/// lines inserted next to a changed line. Changes that share a base line, and insertions of
/// both sides at the same place, collide. Where changes collide or are neighbours and both
/// sides made the same lines of it, those are taken once (with repeated lines, one change can
/// look like two neighbouring ones); a collision of different lines makes the merge give up
/// (nil) rather than guess. Lines keep their line breaks, so a text without a final line break
/// merges too. The texts are read in place; only line boundaries and hashes are kept outside
/// secret memory.
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
        let texts = Texts(base: Text(o), local: Text(a), remote: Text(b))
        let changes = (changes(texts, .local) + changes(texts, .remote)).sorted {
            ($0.base.lowerBound, $0.base.upperBound) < ($1.base.lowerBound, $1.base.upperBound)
        }
        // Each line taken is a line of one side's text, taken once: the output never needs more.
        let output = SecretBytes(count: 0, capacity: max(1, a.count + b.count))
        var next = 0, i = 0
        while i < changes.count {
            // Changes that collide or are neighbours, directly or through a third, and the base
            // lines they cover.
            var group = [changes[i]]
            i += 1
            while i < changes.count, group.contains(where: { collide($0, changes[i]) || touch($0, changes[i]) }) {
                group.append(changes[i])
                i += 1
            }
            let region = group.map(\.base.lowerBound).min()!..<group.map(\.base.upperBound).max()!
            let local = version(of: region, group.filter { $0.side == .local })
            let remote = version(of: region, group.filter { $0.side == .remote })
            let merged: [Line]
            if texts.same(local, remote) {
                merged = local
            } else if !collides(group) {
                merged = version(of: region, group)
            } else {
                output.wipe()
                return nil
            }
            texts.append(baseLines(next..<region.lowerBound), to: output)
            texts.append(merged, to: output)
            next = region.upperBound
        }
        texts.append(baseLines(next..<texts.base.count), to: output)
        return output
    }

    private enum Side { case base, local, remote }

    /// One line of one of the three texts.
    private struct Line {
        let side: Side
        let index: Int
    }

    /// Base lines `base` replaced by lines `lines` of `side` (either range may be empty).
    private struct Change {
        let side: Side
        let base: Range<Int>
        let lines: Range<Int>
    }

    /// True when changes of the two sides share a base line or insert at the same place.
    private static func collide(_ x: Change, _ y: Change) -> Bool {
        guard x.side != y.side else { return false }
        if x.base.isEmpty && y.base.isEmpty { return x.base.lowerBound == y.base.lowerBound }
        // An insertion collides only with a change whose base lines surround its place.
        return x.base.lowerBound < y.base.upperBound && y.base.lowerBound < x.base.upperBound
    }

    /// True when two changes of `group` collide.
    private static func collides(_ group: [Change]) -> Bool {
        for (j, y) in group.enumerated() where group[..<j].contains(where: { collide($0, y) }) { return true }
        return false
    }

    /// True when changes of the two sides are neighbours: one ends where the other starts.
    private static func touch(_ x: Change, _ y: Change) -> Bool {
        x.side != y.side && (x.base.upperBound == y.base.lowerBound || y.base.upperBound == x.base.lowerBound)
    }

    /// The changes that turn the base into `side`: the stretches between lines both keep.
    private static func changes(_ texts: Texts, _ side: Side) -> [Change] {
        let other = texts[side]
        let match = matches(texts.base, other)
        var result: [Change] = []
        var nextBase = 0, nextOther = 0
        for k in 0...texts.base.count {
            // The end of both texts closes the last stretch.
            let m = k < texts.base.count ? match[k] : other.count
            guard m >= 0 else { continue }
            if nextBase < k || nextOther < m {
                result.append(Change(side: side, base: nextBase..<k, lines: nextOther..<m))
            }
            nextBase = k + 1
            nextOther = m + 1
        }
        return result
    }

    /// Base lines `region` with `changes` (sorted, none colliding) applied.
    private static func version(of region: Range<Int>, _ changes: [Change]) -> [Line] {
        var lines: [Line] = []
        var next = region.lowerBound
        for change in changes {
            lines += baseLines(next..<change.base.lowerBound)
            lines += change.lines.map { Line(side: change.side, index: $0) }
            next = change.base.upperBound
        }
        return lines + baseLines(next..<region.upperBound)
    }

    private static func baseLines(_ range: Range<Int>) -> [Line] {
        range.map { Line(side: .base, index: $0) }
    }

    /// The three texts of a merge.
    private struct Texts {
        let base: Text, local: Text, remote: Text

        subscript(side: Side) -> Text {
            switch side {
            case .base: base
            case .local: local
            case .remote: remote
            }
        }

        func same(_ x: [Line], _ y: [Line]) -> Bool {
            guard x.count == y.count else { return false }
            for (p, q) in zip(x, y) where !ThreeWayMerge.equal(self[p.side], p.index, self[q.side], q.index) { return false }
            return true
        }

        func append(_ lines: [Line], to output: SecretBytes) {
            for line in lines { _ = output.append(self[line.side].line(line.index)) }
        }
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
    }

    private static func equal(_ x: Text, _ i: Int, _ y: Text, _ j: Int) -> Bool {
        guard x.hashes[i] == y.hashes[j] else { return false }
        let p = x.line(i), q = y.line(j)
        return p.count == q.count && ConstantTime.equals(p, q)
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
