import OnionsCore
import OnionsCrypto
import TerminalUI

/// The read view of an onion (Enter on the list), a pager as `less` is: q or Esc closes it,
/// Enter scrolls a line, `e` edits. The title, the info word-wrapped and scrolled, the matches of the current search highlighted, `n`/`N` between them, and the
/// position in the header ("line 18 of 66").
///
/// It lives inside the list's state: the list, its search and its selection stay as they were
/// underneath, and Esc goes back to them.
enum ReaderScreen {
    /// Opens the info that came for `id` (the answer to `.openInfo(id, .read)`), scrolled to
    /// the first match of the search when there is one. The reader owns `info` from here.
    static func open(_ list: inout OnionListState, _ state: AppState, id: ItemID, info: SecretBytes) {
        list.reader?.wipe()
        let size = textSize(state.size, searchLine: list.searching || !list.search.isEmpty)
        let view = TextView(App.characters(info), width: size.width, height: size.height)
        list.reader = OnionReader(id: id, info: info, view: view)
        if !matches(list).isEmpty { jump(&list, by: list.readerStep) }
        list.readerStep = 1
    }

    /// Lays the text out for the terminal's size.
    static func fit(_ list: inout OnionListState, _ size: Size) {
        guard var reader = list.reader else { return }
        let want = textSize(size, searchLine: list.searching || !list.search.isEmpty)
        reader.view.resize(width: want.width, height: want.height)
        list.reader = reader
    }

    /// The info's rows at a terminal of `size`: the body less the title and its rule (and the
    /// search line when it shows).
    static func textSize(_ size: Size, searchLine: Bool) -> Size {
        Size(width: max(1, size.width - 2), height: max(1, size.height - 6 - (searchLine ? 1 : 0)))
    }

    /// The current search's matches in the info, as grapheme ranges of the view's text.
    static func matches(_ list: OnionListState) -> [Range<Int>] {
        guard let reader = list.reader else { return [] }
        let query = OnionListScreen.query(list)
        guard !query.isEmpty else { return [] }
        let bytes = reader.info.withUnsafeBytes { TextSearch.matches(in: $0, of: query) }
        return TextView.graphemeRanges(ofByteRanges: bytes, in: reader.view.characters)
    }

    /// Keys of the read view; nil for a key it leaves to the list (search, copy, views, quit).
    static func update(_ list: inout OnionListState, _ state: inout AppState, _ key: Key) -> [AppEffect]? {
        guard var reader = list.reader else { return nil }
        fit(&list, state.size)
        reader = list.reader!
        let page = max(1, reader.view.height - 1)
        switch key {
        case .up, .character("k"): reader.view.scroll(by: -1)
        case .down, .character("j"), .enter: reader.view.scroll(by: 1)
        case .pageUp, .character("b"): reader.view.scroll(by: -page)
        case .pageDown, .character(" "): reader.view.scroll(by: page)
        case .home, .ctrlHome, .character("g"): reader.view.scroll(to: 0)
        case .end, .ctrlEnd, .character("G"): reader.view.scroll(to: reader.view.maximumTop)
        case .character("n"), .character("N"):
            list.reader = reader
            let step = key == .character("n") ? 1 : -1
            let found = matches(list)
            let passesTheEnd = found.isEmpty
                || reader.currentMatch.map { step > 0 ? $0 >= found.count - 1 : $0 <= 0 } ?? false
            if passesTheEnd, !list.search.isEmpty, let index = neighbour(of: reader.id, in: list, step: step) {
                // On to the next (or previous) onion the search found, at its first (or last) match.
                list.list.select(index)
                list.readerStep = step
                let preview = OnionListScreen.loadPreview(&list, &state)
                App.startWork(&state, "Opening")
                return preview + [.vault(.openInfo(list.visible[index].id, .read))]
            }
            if !jump(&list, by: step) {
                state.notice = Notice(list.search.isEmpty ? "No search: / searches, then n and N go from match to match."
                                                          : "No match in this onion.")
            }
            return []
        case .escape, .left, .character("h"):
            close(&list)
            return []
        case .character("y"):
            // The line on the top row (the header's "line N" is where it starts).
            let number = reader.view.topTextLine
            let line = textLine(reader.info, number)
            defer { line.wipe() }
            let effects = Clipboard.copy(line, &state)
            if !effects.isEmpty { state.notice = Notice("Copied line \(number + 1) of the info; the clipboard clears in "
                                                        + "\(Int(state.clipboard.seconds)) s.") }
            return effects
        case .character("Y"):
            return Clipboard.copy(reader.info, &state)
        case .character("e"):
            let id = reader.id
            App.startWork(&state, "Opening")
            return [.vault(.openInfo(id, .edit))]
        default:
            return nil
        }
        list.reader = reader
        return []
    }

    /// Line `number` (from 0) of `info` without its line break, in secret memory.
    static func textLine(_ info: SecretBytes, _ number: Int) -> SecretBytes {
        info.withUnsafeBytes { bytes in
            var line = 0, start = 0
            for index in 0..<bytes.count where bytes[index] == 0x0A {
                if line == number { break }
                line += 1
                start = index + 1
            }
            guard line == number else { return SecretBytes(count: 0) }
            var end = start
            while end < bytes.count, bytes[end] != 0x0A { end += 1 }
            if end > start, bytes[end - 1] == 0x0D { end -= 1 }
            return SecretBytes(copying: UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
        }
    }

    /// Goes to the next (`step` 1) or previous (-1) match, round the end; false when there is none.
    @discardableResult
    static func jump(_ list: inout OnionListState, by step: Int) -> Bool {
        let found = matches(list)
        guard var reader = list.reader, !found.isEmpty else { return false }
        let next: Int
        if let current = reader.currentMatch, current < found.count {
            next = (current + step + found.count) % found.count
        } else {
            next = step > 0 ? 0 : found.count - 1
        }
        reader.currentMatch = next
        reader.view.reveal(found[next].lowerBound)
        list.reader = reader
        return true
    }

    /// The index of the listed onion after (`step` 1) or before (-1) `id`, round the ends; nil
    /// when no other onion is listed.
    static func neighbour(of id: ItemID, in list: OnionListState, step: Int) -> Int? {
        guard list.visible.count > 1 || !list.visible.contains(where: { $0.id == id }), !list.visible.isEmpty else {
            return nil
        }
        guard let index = list.visible.firstIndex(where: { $0.id == id }) else {
            return step > 0 ? 0 : list.visible.count - 1
        }
        return (index + step + list.visible.count) % list.visible.count
    }

    /// Back to the list; the info is wiped.
    static func close(_ list: inout OnionListState) {
        list.reader?.wipe()
        list.reader = nil
    }

    static func render(_ list: OnionListState, _ reader: OnionReader, _ state: AppState, in area: Rect,
                       _ canvas: inout Canvas, _ theme: Theme) {
        guard area.height >= 2, let vault = state.vault else { return }
        let query = OnionListScreen.query(list)
        // The one-time code of an otpauth:// line, at the title row's right end.
        var titleWidth = area.width
        if let code = OneTimeCode.current(in: reader.info, at: state.wallTime).map(OneTimeCode.label) {
            let width = DisplayWidth.of(code)
            if width + 10 <= area.width {
                canvas.put(code, x: area.maxX - width, y: area.y, style: theme.accent)
                titleWidth = area.width - width - 2
            }
        }
        if let onion = vault.onions.first(where: { $0.id == reader.id }) {
            let title = Array(vault.title(onion))
            var cursor = 0
            TextView.drawRun(title, from: 0, x: area.x, y: area.y, maxWidth: titleWidth, style: theme.title,
                             highlights: OnionListScreen.titleMatches(title, query), cursor: &cursor,
                             highlightStyle: theme.highlight, on: &canvas)
        }
        canvas.fill(area.row(1), with: "─", style: theme.border)
        let text = Rect(x: area.x, y: area.y + 2, width: area.width, height: max(0, area.height - 2))
        reader.view.render(in: text, on: &canvas, style: theme.text, highlights: matches(list),
                           highlightStyle: theme.highlight)
    }

    /// The header's right side: where the view is, and which match `n` went to (shorter on a
    /// narrow terminal, so that it still fits beside the name).
    static func header(_ list: OnionListState, _ reader: OnionReader, width: Int) -> String {
        let narrow = width < 60
        let first = min(reader.view.top, reader.view.maximumTop) + 1
        let of = narrow ? "/" : " of "
        var text = "line \(first)\(of)\(reader.view.lineCount)"
        let found = matches(list).count
        if found > 0 {
            let current = min(reader.currentMatch ?? 0, found - 1) + 1
            text = (narrow ? "\(current)/\(found)" : "match \(current) of \(found)") + " · " + text
        }
        return text
    }

    static func hints(_ list: OnionListState) -> [KeyHint] {
        var hints = [KeyHint("q Esc", "back to list"), KeyHint("e", "edit"), KeyHint("y Y", "copy line, all")]
        if !list.search.isEmpty { hints.append(KeyHint("n N", "match")) }
        hints += [KeyHint("↑↓", "scroll"), KeyHint("/", "search"), KeyHint("?", "help"), KeyHint("^L", "lock")]
        return hints
    }
}
