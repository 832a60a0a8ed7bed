import Foundation
import XCTest

/// `onions export --plain` then `onions import --from plain` into an empty vault gives the same
/// vault: every onion's title and info, every task with its number and state, every card with
/// its recipient and description. Also `onions generate` and `onions otp`.
final class ImportPlainRoundTripTests: XCTestCase {
    func plainJSON(_ path: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// Everything the export holds of each item, sorted, for comparing two vaults: an onion's
    /// title, folder, pin, created and changed times and info; a task's number, state and text;
    /// a card's recipient, pin, created time and description.
    func contents(_ json: [String: Any]) -> [String] {
        let onions = (json["onions"] as? [[String: Any]] ?? []).map {
            "onion \($0["title"] ?? "-") | folder \($0["folder"] ?? "") | pinned \(($0["pinned"] as? Bool) ?? false) | "
                + "\($0["created"] ?? "-") \($0["modified"] ?? "-") | \($0["info"] ?? "-")"
        }
        let tasks = (json["tasks"] as? [[String: Any]] ?? []).map { "task \($0["id"] ?? "-") \($0["done"] ?? "-") \($0["text"] ?? "-")" }
        let cards = (json["cards"] as? [[String: Any]] ?? []).map {
            "card \($0["recipient"] ?? "-") | pinned \(($0["pinned"] as? Bool) ?? false) | \($0["created"] ?? "-") | "
                + "\($0["description"] ?? "-")"
        }
        return onions.sorted() + tasks.sorted() + cards.sorted()
    }

    /// `list --json` of a store: each onion's title, folder, pin and times, in the list's order.
    func listed(_ vault: ScratchVault, store: String) throws -> [String] {
        let result = try vault.onions(["list", "--json"], store: store)
        XCTAssertEqual(result.status, 0, result.stderrText)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout)) as? [String: Any])
        return (json["onions"] as? [[String: Any]] ?? []).map {
            "\($0["title"]!) \($0["folder"]!) \($0["pinned"]!) \($0["created"]!) \($0["changed"]!)"
        }
    }

    /// A plain export written by hand with what the command line cannot make: pins and times of
    /// the past (folders it can), tasks in an order other than their numbers'.
    static let seed = #"""
    {"format": "onions-plain", "version": 1, "onions": [
     {"title": "Pinned old", "folder": "web/github.com", "pinned": true, "created": 1500000000123, "modified": 1600000000456,
      "info": "gh pw\nuser: ada"},
     {"title": "Older", "created": 1400000000000, "modified": 1400000000000, "info": "old text"}],
     "cards": [{"recipient": "Pinned card", "pinned": true, "created": 1500000000000, "description": "card text"}],
     "tasks": [{"id": 2, "done": false, "text": "moved to the top"}, {"id": 0, "done": true, "text": "zero"},
               {"id": 1, "done": false, "text": "one"}]}
    """#

    func testPlainExportImportedIntoAnEmptyVaultGivesTheSameVault() throws {
        let vault = try ScratchVault(for: self)
        let cardPassword = try vault.write("card-password", "card pw 2 go")
        let seeded = try vault.onions(["import", "--from", "plain", try vault.write("seed.json", Self.seed),
                                       "--card-password-file", cardPassword])
        XCTAssertEqual(seeded.status, 0, seeded.stderrText)
        let info = try vault.write("info", ExportPlainTests.awkwardInfo)
        XCTAssertEqual(try vault.onions(["add", "--title", "Awkward \"one\"", "--folder", "a/b", "--info-file", info]).status, 0)
        XCTAssertEqual(try vault.onions(["add", "--title", "Empty"]).status, 0)
        let long = try vault.write("long", "p4ss\nuser: me\n" + String(repeating: "été 家 ", count: 300))
        XCTAssertEqual(try vault.onions(["add", "--title", "A title of thirty characters!!", "--info-file", long]).status, 0)
        for task in ["first task", "second \\ task", "third"] {
            XCTAssertEqual(try vault.onions(["task", "add", task]).status, 0)
        }
        XCTAssertEqual(try vault.onions(["task", "done", "1"]).status, 0)
        for (to, text) in [("Bob", "for you\nonly"), ("Alice 家", "the other card")] {
            let description = try vault.write("description", text)
            XCTAssertEqual(try vault.onions(["card", "add", "--to", to, "--description-file", description,
                                             "--card-password-file", cardPassword]).status, 0)
        }
        let first = vault.path("first.json")
        let exported = try vault.onions(["export", "--plain", first, "--i-understand-this-is-plaintext",
                                         "--card-password-file", cardPassword])
        XCTAssertEqual(exported.status, 0, exported.stderrText)

        XCTAssertEqual(try vault.onions(["signup"], store: "other.db").status, 0)
        let imported = try vault.onions(["import", "--from", "plain", first, "--card-password-file", cardPassword],
                                        store: "other.db")
        XCTAssertEqual(imported.status, 0, imported.stderrText)
        XCTAssertTrue(imported.stderrText.contains("imported 5 of 5 onions"), imported.stderrText)
        XCTAssertTrue(imported.stdoutText.contains("imported: card Bob\n"), imported.stdoutText)
        let second = vault.path("second.json")
        let again = try vault.onions(["export", "--plain", second, "--i-understand-this-is-plaintext",
                                      "--card-password-file", cardPassword], store: "other.db")
        XCTAssertEqual(again.status, 0, again.stderrText)
        let before = contents(try plainJSON(first)), after = contents(try plainJSON(second))
        XCTAssertEqual(before.count, 14)
        XCTAssertTrue(before.contains("card Pinned card | pinned true | 1500000000000 | card text"), "\(before)")
        // The export holds what is compared: the seed's folder, pin and times, the added folder.
        XCTAssertTrue(before.contains("onion Pinned old | folder web/github.com | pinned true | 1500000000123 1600000000456 | gh pw\nuser: ada"),
                      "\(before)")
        XCTAssertTrue(before.contains { $0.hasPrefix("onion Awkward \"one\" | folder a/b | pinned false | ") }, "\(before)")
        XCTAssertEqual(after, before)
        XCTAssertEqual(try listed(vault, store: "other.db"), try listed(vault, store: "vault.db"), "same list, same order")
        let tasksHere = try vault.onions(["task", "list"], store: "vault.db").stdoutText
        XCTAssertTrue(tasksHere.contains("moved to the top"), tasksHere)
        XCTAssertEqual(try vault.onions(["task", "list"], store: "other.db").stdoutText, tasksHere,
                       "the tasks in the same order, with the same numbers")
        // The cards open with the card password in the new vault.
        let opened = try vault.onions(["card", "open", "Bob", "--card-password-file", cardPassword], store: "other.db")
        XCTAssertEqual(opened.stdoutText, "for you\nonly\n", opened.stderrText)
    }

    func testSealedCardsAreReportedAndADamagedExportChangesNothing() throws {
        let vault = try ScratchVault(for: self)
        XCTAssertEqual(try vault.onions(["add", "--title", "kept"]).status, 0)
        let cardPassword = try vault.write("card-password", "card pw 2 go")
        let description = try vault.write("description", "sealed")
        XCTAssertEqual(try vault.onions(["card", "add", "--to", "Bob", "--description-file", description,
                                         "--card-password-file", cardPassword]).status, 0)
        let sealed = vault.path("sealed.json")
        XCTAssertEqual(try vault.onions(["export", "--plain", sealed, "--i-understand-this-is-plaintext"]).status, 0)
        let text = try String(contentsOfFile: sealed, encoding: .utf8)
        let damaged = try vault.write("damaged.json", String(text.dropLast(20)))

        XCTAssertEqual(try vault.onions(["signup"], store: "other.db").status, 0)
        let failed = try vault.onions(["import", "--from", "plain", damaged], store: "other.db")
        XCTAssertEqual(failed.status, 1, failed.stderrText)
        XCTAssertTrue(failed.stderrText.contains("nothing imported"), failed.stderrText)
        XCTAssertEqual(try vault.onions(["list"], store: "other.db").stdoutText, "")

        let result = try vault.onions(["import", "--from", "plain", sealed], store: "other.db")
        XCTAssertEqual(result.status, 1, result.stderrText)
        XCTAssertTrue(result.stdoutText.contains("imported: kept\n"), result.stdoutText)
        XCTAssertTrue(result.stdoutText.contains("not imported: card Bob: its description is sealed"), result.stdoutText)
    }

    // MARK: generate and otp

    func testGenerateGivesTheAskedLengthOrWordsFromItsAlphabet() throws {
        let symbols = Set("!#%&*+,-./:;=?@^_~")
        let plain = try Harness.onions(["generate"])
        XCTAssertEqual(plain.status, 0, plain.stderrText)
        let password = plain.stdoutText.dropLast()
        XCTAssertEqual(password.count, 20)
        XCTAssertTrue(password.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || symbols.contains($0)) })
        let other = try Harness.onions(["generate"]).stdoutText.dropLast()
        XCTAssertNotEqual(password, other)
        let short = try Harness.onions(["generate", "12", "--no-symbols"]).stdoutText.dropLast()
        XCTAssertEqual(short.count, 12)
        XCTAssertTrue(short.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }, String(short))
        let words = try Harness.onions(["generate", "--words", "6"]).stdoutText.dropLast()
        // Six words; four words of the EFF list hold a hyphen themselves.
        let hyphenated = ["drop-down", "felt-tip", "t-shirt", "yo-yo"].filter { words.contains($0) }.count
        XCTAssertTrue((6...6 + hyphenated).contains(words.split(separator: "-").count), String(words))
        for bad in [["7"], ["129"], ["x"], ["--words", "2"], ["--words", "21"]] {
            let refused = try Harness.onions(["generate"] + bad)
            XCTAssertEqual(refused.status, 2, "generate \(bad): \(refused.stderrText)")
            XCTAssertEqual(refused.stdout, [])
        }
        let help = try Harness.onions(["generate", "--help"]).stdoutText
        XCTAssertTrue(help.contains("126 bits") && help.contains("77 bits for 6") && help.contains("7,776"), help)
    }

    /// The code of RFC 6238's SHA-1 key at the time, computed by Python's hmac as a peer.
    static let totpPeer = #"""
    import hmac, hashlib, struct, sys, time
    t = int(sys.argv[1]) // 30
    mac = hmac.new(b"12345678901234567890", struct.pack(">Q", t), hashlib.sha1).digest()
    o = mac[-1] & 15
    print("%06d" % ((struct.unpack(">I", mac[o:o + 4])[0] & 0x7fffffff) % 1000000))
    """#

    func testOtpPrintsTheCurrentCodeAndTheSecondsLeft() throws {
        let vault = try ScratchVault(for: self)
        // base32 of "12345678901234567890", RFC 6238's SHA-1 key.
        let info = try vault.write("info", "pw\notpauth://totp/Test:me?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Test\n")
        XCTAssertEqual(try vault.onions(["add", "--title", "with code", "--info-file", info]).status, 0)
        let before = Int(Date().timeIntervalSince1970)
        let result = try vault.onions(["otp", "with code"])
        let after = Int(Date().timeIntervalSince1970)
        XCTAssertEqual(result.status, 0, result.stderrText)
        let codes = try Set([before, after].map { try Harness.python(Self.totpPeer, ["\($0)"]).stdoutText })
        XCTAssertTrue(codes.contains(result.stdoutText), "\(result.stdoutText) not in \(codes)")
        let seconds = result.stderrText.split(separator: " ").compactMap { Int($0) }.first ?? 0
        XCTAssertTrue((1...30).contains(seconds), result.stderrText)
        XCTAssertEqual(result.stderrText, "valid for \(seconds) more seconds\n")

        XCTAssertEqual(try vault.onions(["add", "--title", "no code"]).status, 0)
        let none = try vault.onions(["otp", "no code"])
        XCTAssertEqual(none.status, 1)
        XCTAssertEqual(none.stdout, [])
    }
}
