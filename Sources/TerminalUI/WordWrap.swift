/// One row of wrapped text: graphemes `start..<end` (a line break is never inside), `width` cells.
struct VisualLine: Hashable, Sendable {
    var start: Int
    var end: Int
    var width: Int
}

/// Soft wrapping by display width, shared by `TextArea`, `TextView` and `Dialog`.
///
/// A tab stays a tab in the text and takes the cells to the next tab stop (every 8 columns
/// from the row's start); `Canvas.put` draws it as that many spaces.
///
/// Works on one byte per grapheme (its cell width plus "space" and "newline" flags) so that
/// re-wrapping a few thousand graphemes after each key costs microseconds.
/// Rules: a newline ends a paragraph; a row breaks after the last space that fits (word wrap)
/// or, for a word longer than the row, right before the grapheme that does not fit; a space
/// that does not fit hangs past the end of its row (a cursor before it shows in the last
/// column) so that no row starts with the space that broke it. A
/// paragraph whose last row is exactly full gets an empty row after it, so a cursor at its
/// end always has a cell to sit in.
enum WordWrap {
    static let widthMask: UInt8 = 0x03
    /// A tab: it reaches the next tab stop of its row, and a row may break after it.
    static let tabFlag: UInt8 = 0x20
    static let spaceFlag: UInt8 = 0x40
    static let newlineFlag: UInt8 = 0x80
    /// Columns between two tab stops, counted from the start of each row.
    public static let tabWidth = 8

    /// The cells one grapheme takes when it starts at column `x` of its row (a tab takes the
    /// cells to the next tab stop).
    @inline(__always)
    static func cells(_ byte: UInt8, at x: Int) -> Int {
        byte & tabFlag != 0 ? tabWidth - x % tabWidth : Int(byte & widthMask)
    }

    /// The wrapping byte for one grapheme.
    static func info(for character: Character) -> UInt8 {
        if character == "\t" { return tabFlag | spaceFlag }
        if character == " " || character == "\u{3000}" { return spaceFlag | UInt8(DisplayWidth.of(character)) }
        if character.isNewline { return newlineFlag }
        return UInt8(DisplayWidth.of(character))
    }

    static func info<S: Sequence>(for text: S) -> [UInt8] where S.Element == Character {
        text.map { info(for: $0) }
    }

    /// The visual rows of `info` wrapped to `width` cells (at least 1). Never empty.
    static func lines(_ info: [UInt8], width: Int) -> [VisualLine] {
        let width = max(1, width)
        var lines: [VisualLine] = []
        lines.reserveCapacity(info.count / max(1, width / 2) + 1)
        info.withUnsafeBufferPointer { cells in
            var lineStart = 0, x = 0, lastBreak = -1
            var i = 0
            while i < cells.count {
                let byte = cells[i]
                if byte & newlineFlag != 0 {
                    finishParagraph(&lines, start: lineStart, end: i, width: x, limit: width)
                    i += 1
                    lineStart = i
                    x = 0
                    lastBreak = -1
                    continue
                }
                let w = Self.cells(byte, at: x)
                if x + w > width, i > lineStart, byte & spaceFlag != 0 {
                    // A space that does not fit hangs at the end of the row, undrawn.
                    lines.append(VisualLine(start: lineStart, end: i + 1, width: x))
                    i += 1
                    lineStart = i
                    x = 0
                    lastBreak = -1
                    continue
                }
                if x + w > width, i > lineStart {
                    let breakAt = lastBreak > lineStart ? lastBreak : i
                    var used = 0
                    for j in lineStart..<breakAt { used += Self.cells(cells[j], at: used) }
                    lines.append(VisualLine(start: lineStart, end: breakAt, width: used))
                    x -= used
                    lineStart = breakAt
                    lastBreak = -1
                    // The carried-over word plus this grapheme may still not fit (a wide one):
                    // then the row ends before it.
                    if x + w > width, i > lineStart {
                        lines.append(VisualLine(start: lineStart, end: i, width: x))
                        lineStart = i
                        x = 0
                    }
                }
                x += w
                if byte & spaceFlag != 0 { lastBreak = i + 1 }
                i += 1
            }
            finishParagraph(&lines, start: lineStart, end: cells.count, width: x, limit: width)
        }
        return lines
    }

    private static func finishParagraph(_ lines: inout [VisualLine], start: Int, end: Int, width: Int, limit: Int) {
        lines.append(VisualLine(start: start, end: end, width: width))
        if width >= limit, end > start { lines.append(VisualLine(start: end, end: end, width: 0)) }
    }

    /// Index of the row that shows a cursor at grapheme position `position`.
    ///
    /// That is the last row starting at or before it, so the end of a soft-wrapped row
    /// belongs to the next row.
    static func lineIndex(of position: Int, in lines: [VisualLine]) -> Int {
        var low = 0, high = lines.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if lines[mid].start <= position { low = mid } else { high = mid - 1 }
        }
        return low
    }
}
