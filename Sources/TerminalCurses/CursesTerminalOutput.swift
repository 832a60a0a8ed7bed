import CNcursesW
import Glibc
import TerminalUI

/// Drawing: a canvas's changed cells to the screen, repaints, and wiping what curses kept of
/// the screen and the input.
extension CursesTerminal {
    public func draw(_ canvas: Canvas, cursor: Point?) {
        guard screen != nil else { return }
        let window = onions_stdscr()
        let columns = Int(onions_cols()), rows = Int(onions_lines())
        let changes: [CellChange]
        if let shown, shown.size == canvas.size {
            changes = canvas.changes(from: shown)
        } else {
            werase(window)
            changes = canvas.changes(from: Canvas(size: canvas.size))
        }
        for change in changes where !change.cell.isContinuation && change.y < rows {
            let width = DisplayWidth.of(change.cell.character)
            guard change.x + max(1, width) <= columns else { continue }
            put(change.cell, x: Int32(change.x), y: Int32(change.y))
        }
        shown = canvas
        if let cursor, cursor.x >= 0, cursor.x < columns, cursor.y >= 0, cursor.y < rows {
            curs_set(1)
            wmove(window, Int32(cursor.y), Int32(cursor.x))
        } else {
            curs_set(0)
        }
        wnoutrefresh(window)
        doupdate()
    }

    func put(_ cell: Cell, x: Int32, y: Int32) {
        let (attributes, pair) = colors.attributes(for: cell.style)
        var count = 0
        for scalar in cell.character.unicodeScalars {
            guard count < 5 else { break }
            scalarBuffer[count] = wchar_t(bitPattern: scalar.value)
            count += 1
        }
        if count > 0, DisplayWidth.isControl(cell.character) {
            scalarBuffer[0] = 0xFFFD
            count = 1
        }
        scalarBuffer[count] = 0
        var styled = cchar_t()
        scalarBuffer.withUnsafeBufferPointer { scalars in
            _ = setcchar(&styled, scalars.baseAddress, attributes, pair, nil)
        }
        mvwadd_wch(onions_stdscr(), y, x, &styled)
    }

    public func repaint() {
        guard screen != nil else { return }
        clearok(onions_stdscr(), true)
        shown = nil
    }

    public func clearAll() {
        guard screen != nil else { return }
        let window = onions_stdscr()
        scrubOutputBuffer()
        werase(window)
        clearok(window, true)
        wrefresh(window)
        scrubInputQueue()
        for index in scalarBuffer.indices { scalarBuffer[index] = 0 }
        if var canvas = shown {
            shown = nil
            canvas.clear()
        }
    }

    /// Pushes a screenful of attribute changes through curses so that its output buffer, which
    /// still holds the bytes of earlier frames, is overwritten end to end.
    func scrubOutputBuffer() {
        let window = onions_stdscr()
        let columns = onions_cols(), rows = onions_lines()
        var blank = cchar_t()
        var bold = cchar_t()
        var space: [wchar_t] = [0x20, 0]
        _ = setcchar(&blank, &space, onions_a_normal(), 0, nil)
        _ = setcchar(&bold, &space, onions_a_bold(), 0, nil)
        for y in 0..<rows {
            for x in 0..<columns {
                if (x + y) % 2 == 0 { mvwadd_wch(window, y, x, &bold) } else { mvwadd_wch(window, y, x, &blank) }
            }
        }
        wnoutrefresh(window)
        doupdate()
    }

    /// Overwrites curses' ring of typed-ahead input, which keeps old keystrokes, then empties it.
    func scrubInputQueue() {
        for _ in 0..<512 where ungetch(0) != ERR {}
        flushinp()
    }

    public func writeRaw(_ bytes: UnsafeRawBufferPointer) {
        guard var base = bytes.baseAddress else { return }
        var left = bytes.count
        while left > 0 {
            let written = write(STDOUT_FILENO, base, left)
            if written < 0 {
                if errno == EINTR { continue }
                return
            }
            left -= written
            base += written
        }
    }

    func writeRaw(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { writeRaw($0) }
    }
}
