import OnionsCore
import TerminalUI

/// The line under the header in the vault's views: `─ [Onions 9] · Cards 4 · Tasks 3 · Trash ───`,
/// the current view in brackets, each with its count (the trash's is not known until shown).
///
/// Its cells are laid out by `cells`, so a column of that line maps back to a view
/// (`view(atColumn:)`), for a click.
enum ViewBar {
    /// One view's place on the line: columns `x ..< x + width`.
    struct Cell: Equatable {
        let view: VaultView
        let text: String
        let x: Int
        let width: Int
    }

    /// The cells on a line `width` columns wide, from the fullest form that fits: with counts
    /// (closer together if need be), without them, closer together, initials only. Empty when not even that fits.
    static func cells(current: VaultView, counts: [VaultView: Int], width: Int) -> [Cell] {
        let forms: [(counts: Bool, separator: String, initials: Bool)] = [
            (true, " · ", false), (true, "·", false), (false, " · ", false), (false, "·", false), (false, "·", true),
        ]
        for form in forms {
            var x = 2
            var cells: [Cell] = []
            for view in VaultView.allCases {
                if !cells.isEmpty { x += DisplayWidth.of(form.separator) }
                // Initials: "Tr" for the trash, which shares its first letter with the tasks.
                var name = form.initials ? String(name(view).prefix(view == .trash ? 2 : 1)) : name(view)
                if form.counts, let count = counts[view] { name += " \(count)" }
                let text = view == current ? "[\(name)]" : name
                let cellWidth = DisplayWidth.of(text)
                cells.append(Cell(view: view, text: text, x: x, width: cellWidth))
                x += cellWidth
            }
            if x + 2 <= width { return cells }
        }
        return []
    }

    /// The view whose cell covers `column` of the line, or nil.
    static func view(atColumn column: Int, current: VaultView, counts: [VaultView: Int], width: Int) -> VaultView? {
        cells(current: current, counts: counts, width: width).first { column >= $0.x && column < $0.x + $0.width }?.view
    }

    static func name(_ view: VaultView) -> String {
        switch view {
        case .onions: return "Onions"
        case .cards: return "Cards"
        case .tasks: return "Tasks"
        case .trash: return "Trash"
        }
    }

    /// How many onions, cards and tasks the vault holds (the trash is read only when shown: no count).
    static func counts(_ vault: VaultSnapshot?) -> [VaultView: Int] {
        [.onions: vault?.onions.count ?? 0, .cards: vault?.cards.count ?? 0, .tasks: vault?.tasks.count ?? 0]
    }

    /// Draws the bar over the rule in `row` (the rule stays around it).
    static func render(current: VaultView, counts: [VaultView: Int], in row: Rect, on canvas: inout Canvas,
                       theme: Theme) {
        let cells = cells(current: current, counts: counts, width: row.width)
        guard let first = cells.first, let last = cells.last else { return }
        canvas.fill(Rect(x: row.x + first.x - 1, y: row.y, width: last.x + last.width - first.x + 2, height: 1),
                    style: theme.text)
        for (index, cell) in cells.enumerated() {
            if index > 0 {
                let previous = cells[index - 1]
                let gap = Rect(x: row.x + previous.x + previous.width, y: row.y,
                               width: cell.x - previous.x - previous.width, height: 1)
                canvas.put(gap.width >= 3 ? " · " : "·", x: gap.x, y: gap.y, style: theme.dim)
            }
            canvas.put(cell.text, x: row.x + cell.x, y: row.y, style: cell.view == current ? theme.title : theme.dim)
        }
    }
}
