import OnionsCrypto

/// Six words that two people can read to each other to see that their machines hold the same
/// commit (like a safety number): derived from the commit's hash alone.
///
/// The first 10 bytes of the hash, read as an 80-bit big-endian number, are written in base
/// 7,776, most significant digit first; the six lowest digits pick the words of `WordList` (the EFF large list)
/// (7,776^6 is about 2^77.5, so two different commits share their words with odds of about
/// one in 2^77).
public struct Fingerprint: Equatable, Sendable, CustomStringConvertible {
    public let words: [String]

    public init(_ hash: CommitHash) {
        // 80 bits as a high 16-bit and a low 64-bit part, divided by 7,776 six times.
        var high = UInt64(hash.bytes[0]) << 8 | UInt64(hash.bytes[1])
        var low = hash.bytes[2..<10].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        var digits: [Int] = []
        for _ in 0..<6 {
            let base = UInt64(WordList.shared.count)
            let (q1, r1) = high.quotientAndRemainder(dividingBy: base)
            let (q2, r2) = base.dividingFullWidth((high: r1, low: low))
            high = q1
            low = q2
            digits.append(Int(r2))
        }
        words = digits.reversed().map { WordList.shared.word($0) }
    }

    /// The words separated by single spaces.
    public var description: String { words.joined(separator: " ") }
}
