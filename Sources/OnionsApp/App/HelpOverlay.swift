import TerminalUI

/// Every key of every screen (`?` or F1), wrapped to the terminal's width: beside its key on
/// a wide terminal, below it (indented) on a narrow one, so that nothing is cut at 40 columns.
enum HelpOverlay {
    /// The screens help opens from come first, so their keys show on a 24-row terminal.
    static let sections: [(String, [KeyHint])] = [
        ("Everywhere", [KeyHint("Ctrl-L", "lock now (an unsaved draft is sealed first)"),
                        KeyHint("Ctrl-Z", "lock and suspend; fg shows the lock screen"),
                        KeyHint("Ctrl-R", "draw the whole screen again"),
                        KeyHint("Ctrl-C", "says how to quit (quits on the log-in and lock screens)"),
                        KeyHint("? / F1", "this help (↑ ↓ scroll, other keys close)")]),
        ("Onion list", [KeyHint("↑ ↓ / j k", "move"), KeyHint("PgUp PgDn / g G", "page, first, last"),
                        KeyHint("Enter", "read"), KeyHint("e", "edit"), KeyHint("n", "new onion"),
                        KeyHint("d", "delete (asks; it goes to the trash)"), KeyHint("u", "undo the last delete"),
                        KeyHint("H", "history: the onion's versions"),
                        KeyHint("/", "search titles, folders and infos; Enter keeps, Esc clears"),
                        KeyHint("f", "show only the selected onion's folder; f again: its parent; Esc: all"),
                        KeyHint("y", "copy the info (OSC 52; cleared after a while)"),
                        KeyHint("s", "order: newest change, title, created"),
                        KeyHint("p", "pin to the top or unpin"), KeyHint("q", "quit")]),
        ("Editor", [KeyHint("Tab", "title ⇄ info"), KeyHint("Enter", "next line (in the info)"),
                    KeyHint("Ctrl-T", "type a tab in the info (shown to the next 8-column stop)"),
                    KeyHint("Ctrl-S", "save"), KeyHint("Esc", "back (asks before discarding)"),
                    KeyHint("Ctrl-Y", "copy the info"),
                    KeyHint("Ctrl-G", "type a new random password at the cursor (20 characters, 126 bits)"),
                    KeyHint("Home End PgUp PgDn", "move (Home End: the line)"),
                    KeyHint("Ctrl-Home Ctrl-End", "start, end of the text"),
                    KeyHint("Alt-b/f Ctrl-←/→", "word left, right"),
                    KeyHint("Ctrl-W / Alt-Bksp", "delete the word before"), KeyHint("Alt-d", "delete the word after"),
                    KeyHint("Ctrl-K Ctrl-U", "delete to the line's end, start"),
                    KeyHint("Ctrl-_ / Alt-u", "undo (Ctrl-/ too in most terminals)"), KeyHint("Alt-r", "redo")]),
        ("Reading", [KeyHint("↑ ↓ PgUp PgDn", "scroll (also j k, Space b)"), KeyHint("Home End / g G", "top, end"),
                     KeyHint("n N", "next, previous match (past the last: next onion)"), KeyHint("e", "edit (Enter scrolls a line)"),
                     KeyHint("y / Y", "copy the line on the top row (the header's line N), the whole info"),
                     KeyHint("q / Esc", "close the read view, back to the list")]),
        ("Cards", [KeyHint("← → / h l", "move (the open card closes)"), KeyHint("↑ ↓ / j k", "move, or scroll the open card"),
                   KeyHint("Enter", "open with the card's password"), KeyHint("n", "new card"),
                   KeyHint("e", "edit the open card"), KeyHint("y", "copy the open card"),
                   KeyHint("d", "delete (asks)"), KeyHint("u", "undo the last delete"),
                   KeyHint("H", "history (with the card's password)"),
                   KeyHint("/", "filter by recipient (as grep: any case, accents)"),
                   KeyHint("s / p", "order / pin, as in the list"),
                   KeyHint("↑ ↓ PgUp PgDn", "scroll an open card (Home End: top, end)"),
                   KeyHint("← →", "next card (the open one closes)"), KeyHint("q / Esc", "close the card")]),
        ("Tasks", [KeyHint("n", "new task (Enter saves)"), KeyHint("Space / x", "done / not done"),
                   KeyHint("e", "edit"), KeyHint("d", "delete (asks)"), KeyHint("u", "undo the last delete"),
                   KeyHint("H", "history: the task's versions"), KeyHint("h", "hide or show done tasks"),
                   KeyHint("/", "search the tasks' texts (as grep: any case, accents); Enter keeps, Esc clears"),
                   KeyHint("K J / Shift-↑ ↓", "move the task up or down")]),
        ("History", [KeyHint("↑ ↓ / j k", "choose a version (time, machine); it shows beside the current one, "
                                               + "- lines only in it, + lines only in the current"),
                     KeyHint("Enter", "restore it as the newest version (nothing is overwritten)"),
                     KeyHint("o", "in a conflict copy's: the item it came from takes its text, the copy goes to the trash"),
                     KeyHint("PgUp PgDn", "scroll the comparison"), KeyHint("Esc / q", "back")]),
        ("Trash", [KeyHint("↑ ↓ / j k", "move (deleted onions, cards and tasks, the latest first)"),
                   KeyHint("Enter", "bring the item back")]),
        ("Views", [KeyHint("Tab / 1 2 3", "onions, cards, tasks"), KeyHint("4", "the trash (Enter brings an item back)"), KeyHint("q", "quit (closes a read view or card first)"),
                   KeyHint("m", "messages: the session's last notices in full (emptied on lock)"),
                   KeyHint("v", "account: the six words of the latest save (as 'onions verify'), this machine")]),
        ("Mouse", [KeyHint("click", "select; twice opens"), KeyHint("wheel", "scroll"),
                   KeyHint("Shift+drag", "select text in the terminal (--no-mouse: no reports)")]),
        ("Locked", [KeyHint("Enter", "unlock with the password")]),
        ("Log in", [KeyHint("Tab / Enter", "next field; Enter on Password logs in"),
                    KeyHint("Ctrl-N", "create a new vault (a server never says a username is new)"),
                    KeyHint("Ctrl-T", "show or hide the password typed (here, the lock and card forms)"),
                    KeyHint("Esc", "back to the username"), KeyHint("Ctrl-C", "quit")]),
    ]

    /// The help as lines: (key or section, label, is a section heading).
    static let lines: [(String, String, Bool)] = {
        var lines: [(String, String, Bool)] = []
        for (index, (section, keys)) in sections.enumerated() {
            if index > 0 { lines.append(("", "", false)) }
            lines.append((section, "", true))
            for hint in keys { lines.append((hint.key, hint.label, false)) }
        }
        return lines
    }()

    /// One row of the help box: a heading, or a key and/or a piece of its label at `labelX`
    /// (columns from the box's inner left edge).
    struct Row: Equatable {
        var key = ""
        var label = ""
        var heading = false
        var labelX = 0
    }

    /// The column the labels start at beside their keys.
    static let keyWidth = 19
    /// Narrower than this, a label goes below its key.
    static let sideBySideWidth = 50

    /// The help's rows for a box `width` columns wide inside (labels wrapped to fit).
    static func rows(width: Int) -> [Row] { rows(of: lines, width: width) }

    /// The rows of `lines` (key or heading, label, is a heading) for a box `width` columns
    /// wide inside: a label beside its key on a wide box, below it on a narrow one.
    static func rows(of lines: [(String, String, Bool)], width: Int) -> [Row] {
        let width = max(4, width)
        let sideBySide = width >= sideBySideWidth
        let labelX = sideBySide ? 1 + keyWidth : 3
        var rows: [Row] = []
        for line in lines {
            if line.2 {
                rows.append(Row(key: line.0, heading: true))
                continue
            }
            if line.0.isEmpty && line.1.isEmpty {
                rows.append(Row())
                continue
            }
            if line.0.isEmpty {
                // A paragraph without a key: the box's whole width.
                let wrapped = TextArea(Array(line.1), width: max(1, width - 1), height: 1).wrappedLines
                for piece in wrapped where !piece.isEmpty { rows.append(Row(label: piece, labelX: 1)) }
                continue
            }
            let wrapped = TextArea(Array(line.1), width: max(1, width - labelX), height: 1).wrappedLines
            if sideBySide {
                for (index, piece) in wrapped.enumerated() {
                    rows.append(Row(key: index == 0 ? line.0 : "", label: piece, labelX: labelX))
                }
            } else {
                rows.append(Row(key: line.0))
                for piece in wrapped where !piece.isEmpty { rows.append(Row(label: piece, labelX: labelX)) }
            }
        }
        return rows
    }

    /// The box the help (and the messages view) is drawn in on a canvas of `size`.
    static func box(_ size: Size) -> (width: Int, innerWidth: Int) {
        let width = min(size.width - 2, 72)
        return (width, max(1, width - 4))
    }

    /// Rows of the help at a terminal of `size`.
    static func rowCount(_ size: Size) -> Int { rows(width: box(size).innerWidth).count }

    /// The row where `section` begins at a terminal of `size` (0 when there is none): help
    /// opened from a screen starts at that screen's keys.
    static func firstLine(of section: String, _ size: Size) -> Int {
        rows(width: box(size).innerWidth).firstIndex { $0.heading && $0.key == section } ?? 0
    }

    /// Draws the help box from row `scroll`; "↓ more" marks rows below the box.
    static func render(_ canvas: inout Canvas, _ theme: Theme, scroll: Int) {
        let rows = rows(width: box(canvas.size).innerWidth)
        drawBox(title: "help", rows: rows, &canvas, theme, scroll: scroll)
    }

    /// Draws `rows` in a box over the screen from row `scroll`.
    static func drawBox(title: String, rows: [Row], _ canvas: inout Canvas, _ theme: Theme, scroll: Int) {
        let width = box(canvas.size).width
        let height = min(canvas.height - 2, rows.count + 2)
        let box = canvas.bounds.centered(width: width, height: height)
        canvas.fill(box, style: theme.text)
        let inner = canvas.drawBox(box, border: .rounded, style: theme.border, title: title, titleStyle: theme.title)
            .inset(horizontal: 1, vertical: 0)
        let first = min(max(0, scroll), max(0, rows.count - inner.height))
        for (index, row) in rows.dropFirst(first).prefix(inner.height).enumerated() {
            let y = inner.y + index
            if row.heading {
                canvas.put(row.key, x: inner.x, y: y, style: theme.accent, maxWidth: inner.width)
                continue
            }
            if !row.key.isEmpty {
                let x = row.labelX > 0 && row.labelX <= 2 ? inner.x : inner.x + 1
                canvas.put(row.key, x: x, y: y, style: theme.keyHint, maxWidth: max(0, inner.width - 1))
            }
            if !row.label.isEmpty {
                canvas.put(row.label, x: inner.x + row.labelX, y: y, style: theme.text,
                           maxWidth: max(0, inner.width - row.labelX))
            }
        }
        if first + inner.height < rows.count, box.height >= 2, box.width >= 18 {
            canvas.put(" ↓ more (j/↓) ", x: box.maxX - 16, y: box.maxY - 1, style: theme.dim)
        }
    }
}
