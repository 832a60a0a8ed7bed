import Foundation
import XCTest

/// Titles with emoji sequences terminals measure differently (a ZWJ family, a flag, a skin
/// tone) keep the list's columns straight in tmux, with no stray cells, however the selection
/// moves through them.
final class EmojiSequenceTests: XCTestCase {
    func testTheColumnSeparatorStaysPutAndNothingStraysWhileMovingThroughEmojiTitles() throws {
        let vault = try TestVault(for: self)
        let family = "👨\u{200D}👩\u{200D}👧 family"
        let flag = "🇫🇷 Paris"
        let thumbs = "👍🏽 thumbs"
        try vault.signUpWithCLI(onions: [(family, "a"), (flag, "b"), (thumbs, "c"), ("plain", "d")])
        let tmux = try vault.tmux(for: self)
        try vault.launch(in: tmux)
        try vault.logIn(in: tmux)
        try tmux.waitFor("4 onions")
        var screens: [String] = []
        for key in ["Down", "Down", "Down", "Up", "Up", "Up", "Down"] {
            try tmux.press(key)
            usleep(150_000)
            screens.append(try tmux.screen())
        }
        for screen in screens {
            let rows = screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let columns = Set(rows.compactMap(Self.separatorColumn))
            XCTAssertEqual(columns.count, 1, "the separator is in one column on every row:\n\(Tmux.framed(screen))")
            let titleRows = rows.filter { $0.contains("│") && ($0.contains("family") || $0.contains("Paris")
                                                               || $0.contains("thumbs")) }
            XCTAssertEqual(titleRows.count, 3, "the three titles are listed:\n\(Tmux.framed(screen))")
            for row in titleRows {
                let title = row.split(separator: "│")[0].trimmingCharacters(in: .whitespaces)
                    .replacingOccurrences(of: "› ", with: "")
                XCTAssertTrue(["👨 family", "FR Paris", "👍 thumbs"].contains(title),
                              "the title is drawn whole and alone, no stray cells: '\(title)'\n\(Tmux.framed(screen))")
            }
        }
    }

    /// The cell column of the first "│" on `row`, counting the emoji used here as two cells.
    private static func separatorColumn(_ row: String) -> Int? {
        var column = 0
        for scalar in row.unicodeScalars {
            if scalar == "│" { return column }
            switch scalar.value {
            case 0x200D, 0xFE0F, 0x1F3FB...0x1F3FF: break
            case 0x1F300...0x1FAFF: column += 2
            default: column += 1
            }
        }
        return nil
    }
}
