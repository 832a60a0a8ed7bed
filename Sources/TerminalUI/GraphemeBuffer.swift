/// The editing core shared by `TextField` and `TextArea`: graphemes, a cursor and a limit.
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
    /// The last insert was refused: a scalar that would join the character before the cursor
    /// belongs to the refused one (the skin tone of a refused emoji) and is refused too.
    private var lastInsertRefused = false

    init<S: Sequence>(_ text: S, limit: Int?) where S.Element == Character {
        var characters: [Character] = []
        if let limit { characters.reserveCapacity(limit) }
        characters.append(contentsOf: text)
        self.characters = characters
        self.limit = limit
        cursor = characters.count
    }

    /// Inserts at the cursor; joins onto the grapheme before the cursor when the two form one.
    ///
    /// A join never counts against the limit. An insert at the limit is refused.
    mutating func insert(_ character: Character) -> Change {
        if cursor > 0, character.unicodeScalars.first!.value >= 0x300 {
            let joined = String(characters[cursor - 1]) + String(character)
            if joined.count == 1 {
                if lastInsertRefused { return .refused }
                characters[cursor - 1] = Character(joined)
                return .merged(cursor - 1)
            }
        }
        if let limit, characters.count >= limit {
            lastInsertRefused = true
            return .refused
        }
        lastInsertRefused = false
        characters.insert(character, at: cursor)
        cursor += 1
        return .inserted(cursor - 1)
    }

    mutating func backspace() -> Change {
        lastInsertRefused = false
        guard cursor > 0 else { return .none }
        cursor -= 1
        characters.remove(at: cursor)
        return .removed(cursor)
    }

    mutating func deleteForward() -> Change {
        lastInsertRefused = false
        guard cursor < characters.count else { return .none }
        characters.remove(at: cursor)
        return .removed(cursor)
    }

    /// Overwrites every grapheme in place, then empties the buffer.
    ///
    /// Graphemes of up to 15 UTF-8 bytes live inside the array's storage, so this scrubs them;
    /// longer ones and copies left by earlier growth are the allocator's to scrub.
    mutating func wipe() {
        for index in characters.indices { characters[index] = " " }
        characters.removeAll(keepingCapacity: true)
        cursor = 0
    }
}
