/// The editing core shared by `TextField` and `TextArea`: graphemes, a cursor and limits (in
/// graphemes and in UTF-8 bytes).
struct GraphemeBuffer: Hashable, Sendable {
    /// What an edit did to the array, so views with caches can patch them.
    enum Change: Equatable {
        case none
        case refused
        /// A grapheme was inserted at this index.
        case inserted(Int)
        /// The grapheme at this index absorbed the typed scalars (a combining mark, a ZWJ part).
        case merged(Int)
        /// The grapheme at this index was removed.
        case removed(Int)
    }

    private(set) var characters: [Character]
    var cursor: Int {
        didSet {
            cursor = min(max(0, cursor), characters.count)
            lastInsertRefused = false
        }
    }
    let limit: Int?
    /// The most UTF-8 bytes the text may take (one grapheme can take many).
    let byteLimit: Int?
    /// UTF-8 bytes of `characters`, kept in step with every edit.
    private(set) var byteCount: Int
    /// The last insert was refused: a scalar that would join the character before the cursor
    /// belongs to the refused one (the skin tone of a refused emoji) and is refused too.
    private var lastInsertRefused = false

    init<S: Sequence>(_ text: S, limit: Int?, byteLimit: Int? = nil) where S.Element == Character {
        var characters: [Character] = []
        if let limit { characters.reserveCapacity(limit) }
        characters.append(contentsOf: text)
        self.characters = characters
        self.limit = limit
        self.byteLimit = byteLimit
        byteCount = characters.reduce(0) { $0 + $1.utf8.count }
        cursor = characters.count
    }

    /// Inserts at the cursor; joins onto the grapheme before the cursor when the two form one.
    ///
    /// A join never counts against the grapheme limit. An insert at the limit, or one whose
    /// bytes would pass the byte limit (a join's too), is refused.
    mutating func insert(_ character: Character) -> Change {
        let bytes = character.utf8.count
        if cursor > 0, character.unicodeScalars.first!.value >= 0x300 {
            let joined = String(characters[cursor - 1]) + String(character)
            if joined.count == 1 {
                if lastInsertRefused || !fits(bytes) { return .refused }
                characters[cursor - 1] = Character(joined)
                byteCount += bytes
                return .merged(cursor - 1)
            }
        }
        if let limit, characters.count >= limit {
            lastInsertRefused = true
            return .refused
        }
        guard fits(bytes) else {
            lastInsertRefused = true
            return .refused
        }
        lastInsertRefused = false
        characters.insert(character, at: cursor)
        byteCount += bytes
        cursor += 1
        return .inserted(cursor - 1)
    }

    private func fits(_ bytes: Int) -> Bool {
        guard let byteLimit else { return true }
        return byteCount + bytes <= byteLimit
    }

    mutating func backspace() -> Change {
        lastInsertRefused = false
        guard cursor > 0 else { return .none }
        cursor -= 1
        byteCount -= characters.remove(at: cursor).utf8.count
        return .removed(cursor)
    }

    mutating func deleteForward() -> Change {
        lastInsertRefused = false
        guard cursor < characters.count else { return .none }
        byteCount -= characters.remove(at: cursor).utf8.count
        return .removed(cursor)
    }

    /// Overwrites every grapheme in place, then empties the buffer.
    ///
    /// Graphemes of up to 15 UTF-8 bytes live inside the array's storage, so this scrubs them;
    /// longer ones and copies left by earlier growth are the allocator's to scrub.
    mutating func wipe() {
        for index in characters.indices { characters[index] = " " }
        characters.removeAll(keepingCapacity: true)
        byteCount = 0
        cursor = 0
    }
}
