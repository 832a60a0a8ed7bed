/// Realistic, reproducible onion texts: short titles and infos made of everyday words.
///
/// A fixed seed makes every run build the same vault, so figures compare across runs.
struct SampleText {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    private static let titleWords = [
        "Bank", "PIN", "Wifi", "password", "Locker", "code", "Passport", "number", "Car", "insurance",
        "Doctor", "notes", "Labels", "Cabin", "key", "Alarm", "Grandma's", "recipe", "Tax", "ID",
        "Gym", "Bike", "lock", "Safe", "combination", "Work", "VPN", "Email", "backup", "Lab",
        "results", "Rent", "contract", "Phone", "PUK", "Garage", "door", "Abbey", "Road", "tabs",
    ]

    private static let infoWords = [
        "the", "account", "number", "is", "kept", "at", "home", "call", "before", "noon", "and", "ask",
        "for", "Harbor", "branch", "second", "drawer", "left", "of", "desk", "renew", "in", "March",
        "code", "changes", "every", "year", "spare", "key", "under", "blue", "pot", "near", "door",
        "remember", "to", "bring", "papers", "login", "with", "old", "email", "address", "tabby",
        "cat", "name", "was", "first", "answer", "lab", "opens", "at", "eight", "on", "weekdays",
    ]

    /// A pseudo-random number (SplitMix64).
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    private mutating func pick(_ words: [String]) -> String {
        words[Int(next() % UInt64(words.count))]
    }

    /// A title of two or three words and a number, at most 30 characters.
    mutating func title(_ index: Int) -> [UInt8] {
        var text = pick(Self.titleWords) + " " + pick(Self.titleWords)
        if next() % 2 == 0 { text += " " + pick(Self.titleWords) }
        text += " \(index)"
        return Array(text.utf8.prefix(30))
    }

    /// The word that `grep` scenarios look for: in no word list above, it starts the info of one
    /// note in a hundred (`info(length:index:)`), so a search finds about 1% of the notes.
    static let rareWord = "lighthouse"

    /// An info of note `index`: `info(length:)`, starting with `rareWord` for every hundredth note.
    mutating func info(length: Int, index: Int) -> [UInt8] {
        let bytes = info(length: length)
        guard index % 100 == 42, length > Self.rareWord.utf8.count else { return bytes }
        return Array((Array(Self.rareWord.utf8) + [0x20] + bytes).prefix(length))
    }

    /// An info of sentences and line breaks, exactly `length` ASCII characters.
    mutating func info(length: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(length + 16)
        var wordsInLine = 0
        while bytes.count < length {
            let word = pick(Self.infoWords)
            if !bytes.isEmpty { bytes.append(wordsInLine >= 12 ? 0x0A : 0x20) }
            wordsInLine = wordsInLine >= 12 ? 0 : wordsInLine + 1
            bytes += Array(word.utf8)
        }
        return Array(bytes.prefix(length))
    }
}
