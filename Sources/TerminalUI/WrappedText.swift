/// Text word-wrapped for display only (no cursor): the rows `WordWrap` breaks it into.
public enum WrappedText {
    /// The rows of `characters` at `width` cells (at least one row; a space that broke a row is
    /// left out, and a full last row gets no empty row after it).
    public static func rows(_ characters: [Character], width: Int) -> [ArraySlice<Character>] {
        let lines = WordWrap.lines(WordWrap.info(for: characters), width: width)
        var rows = lines.map { line -> ArraySlice<Character> in
            var end = line.end
            while end > line.start, characters[end - 1] == " " || characters[end - 1].isNewline { end -= 1 }
            return characters[line.start..<end]
        }
        if rows.count > 1, let last = lines.last, last.start == last.end { rows.removeLast() }
        return rows
    }
}
