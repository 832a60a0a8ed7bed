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
        /// The graphemes in this range gave way to `count` others from its start (a word
        /// deleted, an undo).
        case replaced(Range<Int>, count: Int)
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
    /// What undo and redo take back and bring again.
    private var history = EditHistory()

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
                let old = characters[cursor - 1], new = Character(joined)
                characters[cursor - 1] = new
                byteCount += bytes
                if !history.amendTyping(at: cursor - 1, to: new) {
                    history.record(at: cursor - 1, removed: [old], inserted: [new], cursorBefore: cursor, kind: .other)
                }
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
        history.record(at: cursor, removed: [], inserted: [character], cursorBefore: cursor, kind: .typing)
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
        history.record(at: cursor - 1, removed: [characters[cursor - 1]], inserted: [], cursorBefore: cursor,
                       kind: .deletingBackward)
        cursor -= 1
        byteCount -= characters.remove(at: cursor).utf8.count
        return .removed(cursor)
    }

    mutating func deleteForward() -> Change {
        lastInsertRefused = false
        guard cursor < characters.count else { return .none }
        history.record(at: cursor, removed: [characters[cursor]], inserted: [], cursorBefore: cursor,
                       kind: .deletingForward)
        byteCount -= characters.remove(at: cursor).utf8.count
        return .removed(cursor)
    }

    /// Removes the graphemes in `range` (clamped to the text) as one undo step; the cursor goes
    /// to where they were.
    mutating func remove(_ range: Range<Int>) -> Change {
        lastInsertRefused = false
        let range = range.clamped(to: 0..<characters.count)
        guard !range.isEmpty else { return .none }
        history.record(at: range.lowerBound, removed: Array(characters[range]), inserted: [], cursorBefore: cursor,
                       kind: .other)
        for character in characters[range] { byteCount -= character.utf8.count }
        characters.removeSubrange(range)
        cursor = range.lowerBound
        return .replaced(range, count: 0)
    }

    /// Takes back the last edit step (a run of typing, of deleting, a word deleted) and puts
    /// the cursor where it was before it; `.none` when there is nothing to undo.
    mutating func undo() -> Change {
        lastInsertRefused = false
        guard let step = history.popUndo() else { return .none }
        let range = step.at..<(step.at + step.inserted.count)
        replace(range, with: step.removed)
        cursor = step.cursorBefore
        return .replaced(range, count: step.removed.count)
    }

    /// Makes the last undone step again; `.none` when nothing was undone since the last edit.
    mutating func redo() -> Change {
        lastInsertRefused = false
        guard let step = history.popRedo() else { return .none }
        let range = step.at..<(step.at + step.removed.count)
        replace(range, with: step.inserted)
        cursor = step.at + step.inserted.count
        return .replaced(range, count: step.inserted.count)
    }

    private mutating func replace(_ range: Range<Int>, with new: [Character]) {
        for character in characters[range] { byteCount -= character.utf8.count }
        for character in new { byteCount += character.utf8.count }
        characters.replaceSubrange(range, with: new)
    }

    /// True for the graphemes words are made of (letters and digits); the rest separates words.
    static func isWordCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber
    }

    /// The start of the word before `index`: separators right before it are passed over first.
    func wordStart(before index: Int) -> Int {
        var index = min(max(0, index), characters.count)
        while index > 0, !Self.isWordCharacter(characters[index - 1]) { index -= 1 }
        while index > 0, Self.isWordCharacter(characters[index - 1]) { index -= 1 }
        return index
    }

    /// The end of the word after `index`: separators right after it are passed over first.
    func wordEnd(after index: Int) -> Int {
        var index = min(max(0, index), characters.count)
        while index < characters.count, !Self.isWordCharacter(characters[index]) { index += 1 }
        while index < characters.count, Self.isWordCharacter(characters[index]) { index += 1 }
        return index
    }

    /// Overwrites every grapheme in place, then empties the buffer.
    ///
    /// Graphemes of up to 15 UTF-8 bytes live inside the array's storage, so this scrubs them;
    /// longer ones and copies left by earlier growth are the allocator's to scrub.
    mutating func wipe() {
        for index in characters.indices { characters[index] = " " }
        characters.removeAll(keepingCapacity: true)
        history.wipe()
        byteCount = 0
        cursor = 0
    }
}
