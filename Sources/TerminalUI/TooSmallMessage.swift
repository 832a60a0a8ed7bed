/// The full-screen notice shown instead of a screen when the terminal is below its minimum size.
///
/// Screens check `canvas.size.fits(minimum)` first and draw this when it does not fit; it
/// works at any size down to 0×0 and never traps.
public enum TooSmallMessage {
    /// Clears `canvas` and centres "Terminal too small" and the needed and current sizes on it.
    public static func render(on canvas: inout Canvas, minimum: Size, style: Style = .plain) {
        canvas.fill(canvas.bounds, style: style)
        let lines = [
            "Terminal too small",
            "need \(minimum.width)x\(minimum.height), have \(canvas.width)x\(canvas.height)",
        ]
        let shown = Array(lines.prefix(canvas.height))
        let top = (canvas.height - shown.count) / 2
        for (row, line) in shown.enumerated() {
            let x = max(0, (canvas.width - DisplayWidth.of(line)) / 2)
            canvas.put(line, x: x, y: top + row, style: row == 0 ? style.bold() : style)
        }
    }
}
