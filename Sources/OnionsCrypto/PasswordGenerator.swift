import COpenSSL
import Glibc

/// New passwords from the kernel's random source (getrandom(2)), chosen uniformly.
///
/// Two forms: characters (letters and digits, with or without symbols) and words from the
/// list compiled in (`WordList`: the EFF large list, 7,776 words, about 12.9 bits each), joined
/// by hyphens. Every pick is uniform (rejection sampling, no modulo bias), so the entropy is
/// `count × log2(choices)` (for words, the four hyphenated ones make a handful of phrases read
/// alike, which takes off far less than a bit). Results are in secret memory.
public enum PasswordGenerator {
    /// Letters and digits.
    public static let alphanumeric: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)
    /// The symbols added by default: none that shells or quoting treat specially (no quotes,
    /// backslash, backtick, dollar or space).
    public static let symbols: [UInt8] = Array("!#%&*+,-./:;=?@^_~".utf8)
    public static let defaultLength = 20
    public static let lengthRange = 8...128
    public static let wordCountRange = 3...20

    /// A password of `length` characters, with symbols unless `symbols` is false.
    public static func generate(length: Int = defaultLength, symbols: Bool = true) -> SecretBytes {
        precondition(lengthRange.contains(length), "password length out of range")
        let alphabet = symbols ? alphanumeric + Self.symbols : alphanumeric
        let out = SecretBytes(count: length)
        out.withUnsafeMutableBytes { o in
            for i in 0..<length { o[i] = alphabet[uniform(alphabet.count)] }
        }
        return out
    }

    /// The entropy in bits of `generate(length:symbols:)`.
    public static func entropy(length: Int, symbols: Bool) -> Double {
        Double(length) * log2(Double(alphanumeric.count + (symbols ? Self.symbols.count : 0)))
    }

    /// `count` words of the list joined by `-`.
    public static func generate(words count: Int) -> SecretBytes {
        precondition(wordCountRange.contains(count), "word count out of range")
        let list = WordList.shared
        let out = SecretBytes(count: 0, capacity: count * (list.longest + 1))
        for i in 0..<count {
            if i > 0 { out.append(byte: UInt8(ascii: "-")) }
            let word = list.words[uniform(list.words.count)]
            list.text.withUnsafeBytes { _ = out.append(UnsafeRawBufferPointer(rebasing: $0[word])) }
        }
        return out
    }

    /// The entropy in bits of `generate(words:)`.
    public static func entropy(words count: Int) -> Double {
        Double(count) * log2(Double(WordList.shared.words.count))
    }

    /// The number of words in the list.
    public static var wordCount: Int { WordList.shared.words.count }

    /// A uniform integer in 0..<n from getrandom, by rejection: values at or above the
    /// largest multiple of `n` below 2^32 are drawn again.
    static func uniform(_ n: Int) -> Int {
        precondition(n > 0 && n <= Int(UInt32.max), "bad range for a random choice")
        let bound = UInt64(n)
        let limit = (UInt64(1) << 32) / bound * bound
        while true {
            var r: UInt32 = 0
            withUnsafeMutableBytes(of: &r) { kernelRandom($0) }
            if UInt64(r) < limit { return Int(UInt64(r) % bound) }
        }
    }

    /// Fills `buffer` from getrandom(2), retrying on interruption; stops the process if the
    /// kernel has no randomness to give, rather than hand out a predictable password.
    static func kernelRandom(_ buffer: UnsafeMutableRawBufferPointer) {
        var filled = 0
        while filled < buffer.count {
            let n = onions_getrandom(buffer.baseAddress! + filled, UInt(buffer.count - filled))
            if n < 0 {
                if errno == EINTR { continue }
                fatalError("getrandom failed: no randomness available")
            }
            filled += n
        }
    }
}

/// The one word list of the program, compiled in (wordlist.txt: the EFF large word list,
/// 7,776 words in its order): the password generator's words and the fingerprints' (a word's
/// number is its position). Byte ranges into its text (no Strings).
public struct WordList: Sendable {
    let text: [UInt8]
    let words: [Range<Int>]
    let longest: Int

    public static let shared = WordList(PackageResources.wordlist_txt)

    /// The number of words.
    public var count: Int { words.count }

    /// Word `index` (0 ..< `count`) as a String (a fingerprint's words are not secret).
    public func word(_ index: Int) -> String { String(decoding: text[words[index]], as: UTF8.self) }

    init(_ text: [UInt8]) {
        self.text = text
        var words: [Range<Int>] = []
        var i = 0
        while i < text.count {
            if text[i] == UInt8(ascii: "#") {
                while i < text.count, text[i] != 0x0A { i += 1 }
                continue
            }
            if text[i] == 0x20 || text[i] == 0x0A {
                i += 1
                continue
            }
            let start = i
            while i < text.count, text[i] != 0x20, text[i] != 0x0A { i += 1 }
            words.append(start..<i)
        }
        self.words = words
        longest = words.map(\.count).max() ?? 0
    }
}
