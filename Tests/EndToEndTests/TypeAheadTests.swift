import Foundation
import XCTest

/// Keys typed faster than the vault's work, as ssh delivers them (several keys in one write),
/// in the release binary (ONIONS_BIN) inside tmux: none is lost, all land in the order typed.
final class TypeAheadTests: XCTestCase {
    private func openVault(_ onions: [(title: String, info: String)] = []) throws -> (TestVault, Tmux) {
        let vault = try TestVault(for: self, user: "grace", password: "battery staple 17")
        try vault.signUpWithCLI(onions: onions)
        let tmux = try vault.tmux(for: self)
        try vault.launch(in: tmux)
        try vault.logIn(in: tmux)
        return (vault, tmux)
    }

    private func quit(_ tmux: Tmux) throws {
        try tmux.press("q")
        try tmux.waitUntil("the shell prompt after q") { Tmux.lastLine(of: $0) == "e2e$" }
    }

    func testTwoTasksTypedInOneBurstAreBothAdded() throws {
        let (vault, tmux) = try openVault()
        try tmux.press("3")
        try tmux.waitFor("No tasks yet.")
        try tmux.type("nfive\rnsix\r")
        let both = try tmux.waitFor("0 of 2 done")
        XCTAssertTrue(both.contains("[ ] five") && both.contains("[ ] six"), "both tasks listed:\n\(Tmux.framed(both))")
        try quit(tmux)
        XCTAssertEqual(try vault.cli(["task", "list"]).stdoutText, "[ ] 0 five\n[ ] 1 six\n")
    }

    func testSaveNewAndTextInOneWriteOpenANewEditorHoldingTheText() throws {
        let (vault, tmux) = try openVault()
        try tmux.press("n")
        try tmux.waitFor("new onion")
        try tmux.type("first")
        try tmux.waitFor("first")
        try tmux.type("\u{13}nsecond")  // Ctrl-S, n, second in one write
        let editor = try tmux.waitUntil("a new editor holding \"second\"") {
            $0.contains("new onion") && $0.contains("second")
        }
        XCTAssertFalse(editor.contains("first"), "the new editor is empty but for what was typed:\n\(Tmux.framed(editor))")
        try tmux.press("C-s")
        try tmux.waitFor("2 onions")
        try quit(tmux)
        let listed = try vault.cli(["list"]).stdoutText
        XCTAssertTrue(listed.contains("first") && listed.contains("second"), listed)
    }

    func testKPressedThreeTimesInOneBurstMovesATaskThreePlaces() throws {
        let (_, tmux) = try openVault()
        try tmux.press("3")
        try tmux.waitFor("No tasks yet.")
        for task in ["alpha", "bravo", "charlie", "delta"] {
            try tmux.press("n")
            try tmux.waitFor("New:")
            try tmux.type(task)
            try tmux.press("Enter")
            try tmux.waitFor("[ ] \(task)")
        }
        try tmux.waitFor("0 of 4 done")
        // "delta", the last added, is selected.
        try tmux.type("KKK")
        let moved = try tmux.waitUntil("delta on top") { screen in
            guard let delta = screen.range(of: "[ ] delta"), let alpha = screen.range(of: "[ ] alpha") else { return false }
            return delta.lowerBound < alpha.lowerBound
        }
        let order = ["delta", "alpha", "bravo", "charlie"].map { moved.range(of: "[ ] \($0)")!.lowerBound }
        XCTAssertEqual(order, order.sorted(), "delta moved up three places, the rest kept their order:\n\(Tmux.framed(moved))")
        try quit(tmux)
    }

    func testABurstTypedWhileACardsKeyDerivationRunsLandsInOrder() throws {
        let (_, tmux) = try openVault()
        try tmux.press("2")
        try tmux.waitFor("No cards yet.")
        try tmux.press("n")
        try tmux.waitFor("Description 0/2500")
        try tmux.type("Ann")
        try tmux.press("Tab")
        try tmux.type("Spare key: amber-falcon-7")
        try tmux.press("Tab")
        try tmux.type("tulip-ann-4")
        try tmux.press("Tab")
        try tmux.type("tulip-ann-4")
        try tmux.press("Enter")
        try tmux.waitFor("Card saved, face down.")

        try tmux.press("Enter")
        try tmux.waitFor("Password for the card to Ann")
        // The password and Enter start the key derivation; e (edit) and the text arrive while it runs.
        try tmux.type("tulip-ann-4\re QQZ")
        let form = try tmux.waitUntil("the edit form holding the text typed ahead") { $0.contains("QQZ") }
        XCTAssertTrue(form.contains("Description"), "the edit form is open:\n\(Tmux.framed(form))")
        XCTAssertFalse(form.contains("wrong password"), Tmux.framed(form))
        try tmux.press("C-s")
        try tmux.waitFor("Card saved, face down.")
        try tmux.press("Enter")
        try tmux.waitFor("Password for the card to Ann")
        try tmux.type("tulip-ann-4\r")
        // Once the flip is over, the face shows the description saved: what was typed ahead in it too.
        try tmux.waitUntil("the card face up holding both texts") { $0.contains("QQZ") && $0.contains("amber-falcon-7") }
        // q closes an open card first (as in less) and quits from the grid; while the flip still
        // runs, the card is not open yet and q quits at once. Either way the program ends.
        // The grid may also be the last frame of a program that is ending (q during the flip):
        // a second q goes only to a program still running, never to the shell.
        let shell = try tmux.shellPID()
        try tmux.press("q")
        let after = try tmux.waitUntil("the shell prompt, or the grid with the card closed") {
            Tmux.lastLine(of: $0) == "e2e$" || (!$0.contains("QQZ") && $0.contains("Enter open"))
        }
        guard Tmux.lastLine(of: after) != "e2e$" else { return }
        if Processes.wait(timeout: 1, { Processes.children(of: shell).isEmpty }) {
            try tmux.waitUntil("the shell prompt after the program ended") { Tmux.lastLine(of: $0) == "e2e$" }
        } else {
            try quit(tmux)
        }
    }
}
