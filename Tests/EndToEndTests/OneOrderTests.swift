import Foundation
import XCTest

/// Issue 29 item 6: `list`, `card list`, `grep` and `task list` print in the interface's order
/// (pins first, then the chosen sort; tasks as moved with J/K), and `--json` carries the stable
/// id, the pin and the times, with a task's `id` still the number `task done` takes.
final class OneOrderTests: XCTestCase {
    func testTheCommandLinePrintsInTheOrderSetInTheInterface() throws {
        let vault = try TestVault(for: self, user: "grace", password: "battery staple 17")
        try vault.signUpWithCLI(onions: [("banana", "yellow\n"), ("Apple", "red\n"), ("cherry", "dark red\n")])
        for text in ["the first", "the second", "the third"] { XCTAssertEqual(try vault.cli(["task", "add", text]).status, 0) }
        XCTAssertEqual(try vault.cli(["list"]).stdoutText, "cherry\nApple\nbanana\n", "newest change first by default")

        let tmux = try vault.tmux(for: self)
        try vault.launch(in: tmux)
        try vault.logIn(in: tmux)
        try tmux.press("s")
        try tmux.waitFor("3 onions, by title")
        for _ in 0..<4 { try tmux.press("Up") }
        try tmux.press("Down")  // Apple, banana, cherry: banana
        try tmux.press("p")
        let pinned = try tmux.waitUntil("banana pinned above Apple") { screen in
            let rows = screen.split(separator: "\n").map(String.init)
            guard let b = rows.firstIndex(where: { $0.contains("banana") }),
                  let a = rows.firstIndex(where: { $0.contains("Apple") }) else { return false }
            return b < a
        }
        XCTAssertFalse(pinned.isEmpty)
        try tmux.press("3")
        try tmux.waitFor("[ ] the third")
        for _ in 0..<4 { try tmux.press("Down") }
        try tmux.press("K")
        try tmux.press("K")
        try tmux.waitUntil("third moved to the top") { screen in
            let rows = screen.split(separator: "\n").map(String.init)
            guard let t = rows.firstIndex(where: { $0.contains("[ ] the third") }),
                  let f = rows.firstIndex(where: { $0.contains("[ ] the first") }) else { return false }
            return t < f
        }
        try tmux.press("q")
        try tmux.waitUntil("the shell prompt after q") { Tmux.lastLine(of: $0) == "e2e$" }

        let list = try vault.cli(["list"])
        XCTAssertEqual(list.status, 0, list.stderrText)
        XCTAssertEqual(list.stdoutText, "banana\nApple\ncherry\n", "pinned first, then by title")
        let grep = try vault.cli(["grep", "e"])
        XCTAssertEqual(grep.stdoutText, "banana\n  yellow\nApple\n  red\ncherry\n  dark red\n"
                       + "task 2: the third\ntask 0: the first\ntask 1: the second\n", grep.stderrText)
        let tasks = try vault.cli(["task", "list"])
        XCTAssertEqual(tasks.stdoutText, "[ ] 2 the third\n[ ] 0 the first\n[ ] 1 the second\n", "the order set with K")

        let json = try vault.cli(["list", "--json"])
        let document = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.stdout)) as? [String: Any])
        let onions = try XCTUnwrap(document["onions"] as? [[String: Any]], json.stdoutText)
        XCTAssertEqual(onions.map { $0["title"] as? String }, ["banana", "Apple", "cherry"])
        XCTAssertEqual(onions.map { $0["pinned"] as? Bool }, [true, false, false])
        for onion in onions {
            let id = try XCTUnwrap(onion["id"] as? String)
            XCTAssertEqual(id.count, 32, id)
            XCTAssertTrue(id.allSatisfy { $0.isHexDigit }, id)
            let created = try XCTUnwrap(onion["created"] as? Int), changed = try XCTUnwrap(onion["changed"] as? Int)
            XCTAssertGreaterThan(created, 1_700_000_000_000)
            XCTAssertGreaterThanOrEqual(changed, created)
        }
        XCTAssertEqual(Set(onions.compactMap { $0["id"] as? String }).count, 3)
        let again = try JSONSerialization.jsonObject(with: Data(try vault.cli(["list", "--json"]).stdout)) as? [String: Any]
        XCTAssertEqual((again?["onions"] as? [[String: Any]])?.map { $0["id"] as? String },
                       onions.map { $0["id"] as? String }, "the id is stable")

        let taskJSON = try vault.cli(["task", "list", "--json"])
        let taskDocument = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(taskJSON.stdout)) as? [String: Any])
        let items = try XCTUnwrap(taskDocument["tasks"] as? [[String: Any]], taskJSON.stdoutText)
        XCTAssertEqual(items.map { $0["id"] as? Int }, [2, 0, 1])
        XCTAssertEqual(items.map { $0["position"] as? Int }, [1, 2, 3])
        XCTAssertEqual(try vault.cli(["task", "done", "\(items[0]["id"] as? Int ?? 0)"]).status, 0)
        XCTAssertEqual(try vault.cli(["task", "list"]).stdoutText, "[x] 2 the third\n[ ] 0 the first\n[ ] 1 the second\n",
                       "the id is the number task done takes")
    }
}
