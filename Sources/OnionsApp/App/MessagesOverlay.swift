import TerminalUI

/// The session's last notices in full (`m` in the views of the vault), oldest first, each
/// wrapped to the box, so that a long sync or merge report can be read to its end. The list
/// lives in `AppState.messages` and is emptied on lock.
enum MessagesOverlay {
    /// The rows of the view at the state's terminal size.
    static func rows(_ state: AppState) -> [HelpOverlay.Row] {
        let width = HelpOverlay.box(state.size).innerWidth
        guard !state.messages.isEmpty else { return [HelpOverlay.Row(label: "No messages since the vault was opened.")] }
        var rows: [HelpOverlay.Row] = []
        for (index, notice) in state.messages.enumerated() {
            if index > 0 { rows.append(HelpOverlay.Row()) }
            let mark = notice.isError ? "! " : "· "
            let wrapped = TextArea(Array(App.noticeText(notice, state.vault)), width: max(1, width - 2), height: 1).wrappedLines
            for (line, piece) in wrapped.enumerated() {
                rows.append(HelpOverlay.Row(key: line == 0 ? mark : "", label: piece, labelX: 2))
            }
        }
        return rows
    }

    static func render(_ state: AppState, _ canvas: inout Canvas, _ theme: Theme) {
        let count = state.messages.count
        HelpOverlay.drawBox(title: count == 1 ? "1 message" : "\(count) messages", rows: rows(state), &canvas, theme,
                            scroll: state.helpScroll)
    }
}
