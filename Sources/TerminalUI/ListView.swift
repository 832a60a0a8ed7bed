/// The state of a scrolling list of one-row items: count, selection and scroll offset.
///
/// A value owned by the app's state; the items themselves stay with the app, which draws each
/// visible row in `render`'s closure. Set `visibleRows` to the rows it is drawn in so that
/// the stored scroll keeps the selection visible; `render` keeps it visible either way.
/// With no items, `selection` is nil.
public struct ListView: Hashable, Sendable {
    public private(set) var count: Int
    private var selected: Int
    /// Index of the first visible item.
    public private(set) var scroll: Int = 0
    /// Rows the list is drawn in (at least 1).
    public var visibleRows: Int {
        didSet {
            visibleRows = max(1, visibleRows)
            followSelection()
        }
    }

    public init(count: Int, selection: Int = 0, visibleRows: Int = 10) {
        self.count = max(0, count)
        self.visibleRows = max(1, visibleRows)
        selected = 0
        select(selection)
    }

    /// The selected index, nil when the list is empty.
    public var selection: Int? { count == 0 ? nil : selected }

    /// Changes the number of items (after a search or a delete), keeping the selection in range.
    public mutating func setCount(_ newCount: Int) {
        count = max(0, newCount)
        select(selected)
    }

    /// Selects `index` (clamped) and scrolls it into view.
    public mutating func select(_ index: Int) {
        selected = min(max(0, index), max(0, count - 1))
        followSelection()
    }

    @discardableResult public mutating func moveUp() -> Bool { move(to: selected - 1) }
    @discardableResult public mutating func moveDown() -> Bool { move(to: selected + 1) }
    @discardableResult public mutating func pageUp() -> Bool { move(to: selected - max(1, visibleRows - 1)) }
    @discardableResult public mutating func pageDown() -> Bool { move(to: selected + max(1, visibleRows - 1)) }
    @discardableResult public mutating func moveToFirst() -> Bool { move(to: 0) }
    @discardableResult public mutating func moveToLast() -> Bool { move(to: count - 1) }

    /// Applies a navigation key: arrows, PageUp/PageDown, Home/End, and with `viKeys`
    /// also j/k and g/G. Returns false when the key is not a navigation key; true otherwise
    /// (even at the ends of the list, where nothing moves).
    public mutating func handle(_ key: Key, viKeys: Bool = false) -> Bool {
        switch key {
        case .up: moveUp()
        case .down: moveDown()
        case .pageUp: pageUp()
        case .pageDown: pageDown()
        case .home: moveToFirst()
        case .end: moveToLast()
        case .character("k") where viKeys: moveUp()
        case .character("j") where viKeys: moveDown()
        case .character("g") where viKeys: moveToFirst()
        case .character("G") where viKeys: moveToLast()
        default: return false
        }
        return true
    }

    /// The items visible in a list of `rows` rows, with the selection inside.
    public func visibleRange(rows: Int) -> Range<Int> {
        let rows = max(0, rows)
        var top = min(scroll, max(0, count - rows))
        if selected < top { top = selected }
        if rows > 0, selected >= top + rows { top = selected - rows + 1 }
        return top..<min(count, top + rows)
    }

    /// Calls `drawRow(index, rowRect, isSelected, &canvas)` for every visible item, top to
    /// bottom, after filling `area` with `style`.
    public func render(in area: Rect, on canvas: inout Canvas, style: Style = .plain,
                       drawRow: (_ index: Int, _ row: Rect, _ isSelected: Bool, _ canvas: inout Canvas) -> Void) {
        canvas.fill(area, style: style)
        for (offset, index) in visibleRange(rows: area.height).enumerated() {
            drawRow(index, area.row(offset), index == selected, &canvas)
        }
    }

    private mutating func move(to index: Int) -> Bool {
        guard count > 0 else { return false }
        let before = selected
        select(index)
        return selected != before
    }

    private mutating func followSelection() {
        if selected < scroll { scroll = selected }
        if selected >= scroll + visibleRows { scroll = selected - visibleRows + 1 }
        scroll = max(0, min(scroll, count - visibleRows))
    }
}
