import OnionsCore
import OnionsCrypto
import TerminalUI

/// The selected version beside the current one, line by line: lines only in the selected
/// version marked `-`, lines only in the current one `+`. Side by side where there is room,
/// else in one column. Long lines wrap; PgDn and PgUp scroll.
enum HistoryCompare {
    /// One row drawn: the sign and the piece of text of each side (nil: nothing on that side).
    struct Row {
        var left: (sign: Character, text: ArraySlice<Character>)?
        var right: (sign: Character, text: ArraySlice<Character>)?
    }

    static func render(_ history: HistoryState, _ area: Rect, sideBySide: Bool, _ canvas: inout Canvas, _ theme: Theme) {
        guard area.height >= 1, area.width >= 4 else { return }
        let split = area.splitTop(1)
        let titles = split.top
        let body = split.rest
        let old = history.selected.map { "version \($0.version.number)" } ?? "version"
        let current = "current (\(history.current.number))"
        let half = (area.width - 1) / 2
        if sideBySide {
            canvas.put(old + (history.shown?.sealed == true ? ": another password, recipient only" : ""), x: titles.x,
                       y: titles.y, style: theme.title, maxWidth: half)
            canvas.put("│", x: titles.x + half, y: titles.y, style: theme.border)
            canvas.put(current, x: titles.x + half + 1, y: titles.y, style: theme.title, maxWidth: area.width - half - 1)
        } else {
            canvas.put("- " + old + "  + " + current, x: titles.x, y: titles.y, style: theme.title, maxWidth: titles.width)
        }
        guard let shown = history.shown else {
            canvas.put("Opening…", x: body.x, y: body.y, style: theme.dim, maxWidth: body.width)
            return
        }
        let rows = rows(history.diff, old: shown.text, new: history.current.text, sideBySide: sideBySide,
                        width: sideBySide ? max(1, half - 2) : max(1, area.width - 2))
        let first = min(history.scroll, max(0, rows.count - body.height))
        for (offset, row) in rows.dropFirst(first).prefix(body.height).enumerated() {
            let y = body.y + offset
            if sideBySide {
                draw(row.left, x: body.x, y: y, width: half, &canvas, theme)
                canvas.put("│", x: body.x + half, y: y, style: theme.border)
                draw(row.right, x: body.x + half + 1, y: y, width: area.width - half - 1, &canvas, theme)
            } else {
                draw(row.left ?? row.right, x: body.x, y: y, width: body.width, &canvas, theme)
            }
        }
        if first + body.height < rows.count, body.width >= 12 {
            canvas.put(" ↓ PgDn ", x: body.maxX - 8, y: body.maxY - 1, style: theme.dim)
        }
    }

    private static func draw(_ side: (sign: Character, text: ArraySlice<Character>)?, x: Int, y: Int, width: Int,
                             _ canvas: inout Canvas, _ theme: Theme) {
        guard let side else { return }
        let style = side.sign == "-" ? theme.error : side.sign == "+" ? theme.accent : theme.text
        canvas.put(String(side.sign), x: x, y: y, style: style)
        canvas.put(side.text, x: x + 2, y: y, style: style, maxWidth: max(0, width - 2))
    }

    /// The rows of the comparison, each line wrapped to `width`. Side by side, lines removed
    /// and the lines added in their place share rows.
    static func rows(_ diff: [DiffLine], old: SecretBytes, new: SecretBytes, sideBySide: Bool, width: Int) -> [Row] {
        var rows: [Row] = []
        func pair(_ left: [ArraySlice<Character>], _ oldSign: Character, _ right: [ArraySlice<Character>],
                  _ newSign: Character) {
            for index in 0..<max(left.count, right.count) {
                rows.append(Row(left: index < left.count ? (oldSign, left[index]) : nil,
                                right: index < right.count ? (newSign, right[index]) : nil))
            }
        }
        var index = 0
        while index < diff.count {
            let line = diff[index]
            if sideBySide, line.kind != .same {
                var removed: [Range<Int>] = [], added: [Range<Int>] = []
                while index < diff.count, diff[index].kind == .removed, let range = diff[index].old {
                    removed.append(range)
                    index += 1
                }
                while index < diff.count, diff[index].kind == .added, let range = diff[index].new {
                    added.append(range)
                    index += 1
                }
                if removed.isEmpty && added.isEmpty { index += 1 }  // (never: a change has its line)
                for k in 0..<max(removed.count, added.count) {
                    pair(k < removed.count ? wrapped(old, removed[k], width) : [], "-",
                         k < added.count ? wrapped(new, added[k], width) : [], "+")
                }
                continue
            }
            index += 1
            let left = line.old.map { wrapped(old, $0, width) } ?? []
            let right = line.new.map { wrapped(new, $0, width) } ?? []
            if sideBySide {
                pair(left, " ", right, " ")
            } else if line.kind == .added {
                rows += right.map { Row(left: nil, right: ("+", $0)) }
            } else {
                rows += left.map { Row(left: (line.kind == .removed ? "-" : " ", $0), right: nil) }
            }
        }
        return rows
    }

    /// The line at `range` of `text`, wrapped to `width` cells (an empty line is one empty row).
    private static func wrapped(_ text: SecretBytes, _ range: Range<Int>, _ width: Int) -> [ArraySlice<Character>] {
        let characters = text.withUnsafeBytes { Array(String(decoding: UnsafeRawBufferPointer(rebasing: $0[range]), as: UTF8.self)) }
        let rows = WrappedText.rows(characters, width: width)
        return rows.isEmpty ? [ArraySlice<Character>()] : rows
    }
}
