import Glibc
import OnionsCrypto

/// The title and info of every onion, ASCII letters in lower case, in list order and in one
/// secret buffer: what a search that starts over scans.
///
/// One pass of `memchr` and `memcmp` over the whole buffer finds the onions an ASCII query matches, with no
/// work per onion that does not match and no allocation per onion. A hit that runs past the end
/// of its title or info does not count. Wipe it when the list or an info changes.
final class OnionSearchText {
    private let buffer: SecretBytes
    /// Onion `i`'s title is `bounds[2i]..<bounds[2i+1]`, its info `bounds[2i+1]..<bounds[2i+2]`.
    private let bounds: [Int]
    /// The onions whose title or info holds bytes over ASCII (accents to fold), in order.
    private let nonASCII: [Int]

    /// `titles[i]` and `infos[i]` (empty when nil) are onion `i`'s texts, as stored.
    init(count: Int, titles: (Int) -> UnsafeRawBufferPointer, infos: (Int) -> UnsafeRawBufferPointer) {
        var total = 0
        for i in 0..<count { total += titles(i).count + infos(i).count }
        let buffer = SecretBytes(count: 0, capacity: max(total, 1))
        var bounds = [0]
        bounds.reserveCapacity(2 * count + 1)
        for i in 0..<count {
            buffer.append(titles(i))
            bounds.append(buffer.count)
            buffer.append(infos(i))
            bounds.append(buffer.count)
        }
        buffer.withUnsafeMutableBytes { all in
            for j in all.indices { all[j] = TextSearch.asciiLower(all[j]) }
        }
        self.buffer = buffer
        self.bounds = bounds
        nonASCII = buffer.withUnsafeBytes { all in
            (0..<count).filter { TextSearch.hasNonASCII(UnsafeRawBufferPointer(rebasing: all[bounds[2 * $0]..<bounds[2 * $0 + 2]])) }
        }
    }

    /// The list indices of the onions whose title or info contains `needle` (lower-cased), in order.
    /// An ASCII query is found by the fast path, then looked for with accents folded in the
    /// onions it did not find that hold other characters than ASCII ("cafe" finds "Café").
    func matching(_ needle: [UInt8]) -> [Int] {
        if needle.contains(where: { $0 >= 0x80 }) {
            return buffer.withUnsafeBytes { foldedMatching($0, needle, among: Array(0..<(bounds.count / 2))) }
        }
        let fast = asciiMatching(needle)
        guard !needle.isEmpty, !nonASCII.isEmpty else { return fast }
        let found = Set(fast)
        let others = nonASCII.filter { !found.contains($0) }
        guard !others.isEmpty else { return fast }
        let folded = buffer.withUnsafeBytes { foldedMatching($0, needle, among: others) }
        return (fast + folded).sorted()
    }

    /// The fast path of `matching` for an ASCII query.
    private func asciiMatching(_ needle: [UInt8]) -> [Int] {
        buffer.withUnsafeBytes { all in
            guard let base = all.baseAddress, !needle.isEmpty else { return Array(0..<(bounds.count / 2)) }
            let n = needle.count
            var found: [Int] = []
            var onion = 0
            var at = 0
            let first = Int32(needle[0])
            let last = all.count - n
            needle.withUnsafeBytes { wanted in
                while at <= last, let hit = memchr(base + at, first, last - at + 1) {
                    let p = base.distance(to: UnsafeRawPointer(hit))
                    if n > 1 && memcmp(base + p + 1, wanted.baseAddress! + 1, n - 1) != 0 {
                        at = p + 1
                        continue
                    }
                    while bounds[2 * onion + 2] <= p { onion += 1 }
                    let fieldEnd = p < bounds[2 * onion + 1] ? bounds[2 * onion + 1] : bounds[2 * onion + 2]
                    if p + n <= fieldEnd {
                        found.append(onion)
                        at = bounds[2 * onion + 2]
                        onion += 1
                    } else {
                        at = p + 1
                    }
                }
            }
            return found
        }
    }

    /// A query with other characters than ASCII: each field folded as it is compared.
    private func foldedMatching(_ all: UnsafeRawBufferPointer, _ needle: [UInt8], among onions: [Int]) -> [Int] {
        onions.filter { i in
            TextSearch.foldedContains(UnsafeRawBufferPointer(rebasing: all[bounds[2 * i]..<bounds[2 * i + 1]]), needle)
                || TextSearch.foldedContains(UnsafeRawBufferPointer(rebasing: all[bounds[2 * i + 1]..<bounds[2 * i + 2]]),
                                             needle)
        }
    }

    func wipe() { buffer.wipe() }
}
