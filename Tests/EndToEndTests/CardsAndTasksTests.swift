import Foundation
import XCTest

/// Cards and tasks in the release binary (ONIONS_BIN) inside tmux, keys in and the screen read
/// back, on a vault of its own made with `--kdf-cost 15 (the floor)`.
final class CardsAndTasksTests: XCTestCase {
    /// Two cards for two people, each with its own password; a word of each description that
    /// fits on one line of a card face.
    let ann = (recipient: "Ann", description: "Spare key: amber-falcon-7", password: "tulip-ann-4",
               token: "amber-falcon-7")
    let bob = (recipient: "Bob", description: "Boat code: violet-otter-2", password: "anchor-bob-9",
               token: "violet-otter-2")

    func testTwoCardsOpenOnlyWithTheirOwnPasswordsAndCloseWhenLeft() throws {
        let vault = try TestVault(for: self, user: "grace", password: "battery staple 17")
        try vault.signUpWithCLI(onions: [])
        let tmux = try vault.tmux(for: self)
        try vault.launch(in: tmux)
        try vault.logIn(in: tmux)
        try tmux.press("2")
        try tmux.waitFor("No cards yet.")

        try createCard(in: tmux, ann)
        try tmux.waitFor("1 card")
        try createCard(in: tmux, bob)
        let grid = try tmux.waitFor("2 cards")
        XCTAssertTrue(grid.contains("To: Ann") && grid.contains("To: Bob"), "both cards listed:\n\(Tmux.framed(grid))")
        assertFaceDown(grid)

        // The new card (Bob's) is selected; Ann's is to its right.
        try tmux.press("Right")
        try tmux.press("Enter")
        try tmux.waitFor("Password for the card to Ann")
        try tmux.type(ann.password)
        try tmux.press("Enter")
        let open = try tmux.waitFor(ann.token)
        XCTAssertFalse(open.contains(bob.token), "only Ann's card is open:\n\(Tmux.framed(open))")
        XCTAssertFalse(open.contains("wrong password"))

        try tmux.press("Left")
        let closed = try tmux.waitUntil("Ann's card face down again after moving to Bob's") { !$0.contains(self.ann.token) }
        assertFaceDown(closed)

        try tmux.press("Enter")
        try tmux.waitFor("Password for the card to Bob")
        try tmux.type(ann.password)
        try tmux.press("Enter")
        let refused = try tmux.waitFor("wrong password")
        assertFaceDown(refused)
        usleep(600_000)  // the shake is over
        assertFaceDown(try tmux.screen())

        try tmux.press("Enter")
        try tmux.waitFor("Password for the card to Bob")
        try tmux.type(bob.password)
        try tmux.press("Enter")
        let bobOpen = try tmux.waitFor(bob.token)
        XCTAssertFalse(bobOpen.contains(ann.token), "only Bob's card is open:\n\(Tmux.framed(bobOpen))")

        try tmux.press("l")
        let moved = try tmux.waitUntil("Bob's card face down again after moving to Ann's") { !$0.contains(self.bob.token) }
        assertFaceDown(moved)
        XCTAssertTrue(moved.contains("To: Bob"), "the card is still there, face down:\n\(Tmux.framed(moved))")

        try tmux.press("q")
        try tmux.waitUntil("the shell prompt after q") { Tmux.lastLine(of: $0) == "e2e$" }
    }

    func testTasksAreCreatedCompletedAndDeletedAndFoundAsLeftAfterLoggingInAgain() throws {
        let vault = try TestVault(for: self, user: "grace", password: "battery staple 17")
        try vault.signUpWithCLI(onions: [])
        let tmux = try vault.tmux(for: self)
        try vault.launch(in: tmux)
        try vault.logIn(in: tmux)
        try tmux.press("3")
        try tmux.waitFor("No tasks yet.")

        for task in ["buy milk", "call mum", "water ferns"] {
            try tmux.press("n")
            try tmux.waitFor("New:")
            try tmux.type(task)
            try tmux.press("Enter")
            try tmux.waitFor("[ ] \(task)")
        }
        try tmux.waitFor("0 of 3 done")

        try tmux.press("Up")  // from "water ferns", the last added
        try tmux.press("Space")
        try tmux.waitFor("[x] call mum")
        try tmux.waitFor("1 of 3 done")

        try tmux.press("j")
        try tmux.press("d")
        try tmux.waitFor("Delete task 2 “water ferns”?")
        try tmux.press("y")
        let deleted = try tmux.waitFor("Task deleted.")
        XCTAssertFalse(deleted.contains("water ferns"), "the task is gone:\n\(Tmux.framed(deleted))")
        try tmux.waitFor("1 of 2 done")

        try tmux.press("q")
        try tmux.waitUntil("the shell prompt after q") { Tmux.lastLine(of: $0) == "e2e$" }

        try vault.launch(in: tmux)
        try vault.logIn(in: tmux)
        try tmux.press("3")
        let again = try tmux.waitFor("1 of 2 done")
        XCTAssertTrue(again.contains("[ ] buy milk"), "buy milk is still to do:\n\(Tmux.framed(again))")
        XCTAssertTrue(again.contains("[x] call mum"), "call mum is still done:\n\(Tmux.framed(again))")
        XCTAssertFalse(again.contains("water ferns"), "the deleted task stays deleted:\n\(Tmux.framed(again))")
        try tmux.press("q")
        try tmux.waitUntil("the shell prompt after q") { Tmux.lastLine(of: $0) == "e2e$" }
    }

    // MARK: Helpers

    /// Fails when `screen` shows either card's description.
    private func assertFaceDown(_ screen: String, file: StaticString = #filePath, line: UInt = #line) {
        for token in [ann.token, bob.token] where screen.contains(token) {
            XCTFail("the screen shows \"\(token)\":\n\(Tmux.framed(screen))", file: file, line: line)
        }
    }

    /// n, To, Tab, Description, Tab, Password, Tab, Repeat, Enter; waits for "Card saved".
    private func createCard(in tmux: Tmux, _ card: (recipient: String, description: String, password: String,
                                                    token: String),
                            file: StaticString = #filePath, line: UInt = #line) throws {
        try tmux.press("n", file: file, line: line)
        try tmux.waitFor("Description 0/2500", file: file, line: line)
        try tmux.type(card.recipient, file: file, line: line)
        try tmux.press("Tab", file: file, line: line)
        try tmux.type(card.description, file: file, line: line)
        try tmux.waitFor(card.token, file: file, line: line)
        try tmux.press("Tab", file: file, line: line)
        try tmux.type(card.password, file: file, line: line)
        try tmux.press("Tab", file: file, line: line)
        try tmux.type(card.password, file: file, line: line)
        try tmux.press("Enter", file: file, line: line)
        let saved = try tmux.waitFor("Card saved, face down.", file: file, line: line)
        XCTAssertFalse(saved.contains(card.password), "the password is never shown", file: file, line: line)
        assertFaceDown(saved, file: file, line: line)
    }

}

