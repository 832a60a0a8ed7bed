import Foundation
import XCTest

/// `onions export --encrypted` and `onions import --from backup`: a sealed copy of a vault that
/// comes back identical in a store without it, and holds no plaintext.
final class ExportBackupTests: XCTestCase {
    static let titleMarker = "Titlemarker Qz7"
    static let infoMarker = "infomarker-Wk3 \"quoted\" 家"
    static let taskMarker = "taskmarker Pv9"
    static let recipientMarker = "Recipientmarker"
    static let descriptionMarker = "descriptionmarker Jx2"
    static let cardPassword = "card secret 8"

    /// A vault with onions (one edited, one deleted), a task done, and a card.
    func fill(_ vault: ScratchVault) throws {
        func ok(_ args: [String]) throws {
            let result = try vault.onions(args)
            XCTAssertEqual(result.status, 0, "\(args.first ?? ""): \(result.stderrText)")
        }
        let info = try vault.write("info", Self.infoMarker + "\nsecond line")
        try ok(["add", "--title", Self.titleMarker, "--info-file", info])
        try ok(["add", "--title", "Gone soon"])
        try ok(["rm", "Gone soon"])
        try ok(["add", "--title", "Edited"])
        try ok(["edit", "Edited", "--title", "Edited twice", "--info-file", info])
        try ok(["task", "add", Self.taskMarker])
        try ok(["task", "add", "second task"])
        try ok(["task", "done", "0"])
        let description = try vault.write("description", Self.descriptionMarker)
        let cardPasswordFile = try vault.write("card-password", Self.cardPassword)
        try ok(["card", "add", "--to", Self.recipientMarker, "--description-file", description,
                "--card-password-file", cardPasswordFile])
    }

    /// What a person sees of the vault through every read command.
    func view(_ vault: ScratchVault, store: String) throws -> [String] {
        var seen: [String] = []
        for args in [["list"], ["task", "list"], ["card", "list"], ["show", Self.titleMarker], ["show", "Edited twice"],
                     ["card", "open", Self.recipientMarker, "--card-password-file", vault.path("card-password")],
                     ["grep", "line"]] {
            let result = try vault.onions(args, store: store)
            XCTAssertEqual(result.status, 0, "\(args.joined(separator: " ")): \(result.stderrText)")
            seen.append(result.stdoutText)
        }
        return seen
    }

    func testSealedBackupRestoresIntoAnEmptyStoreIdentically() throws {
        let vault = try ScratchVault(for: self)
        try fill(vault)
        let backup = vault.path("backup")
        let exported = try vault.onions(["export", "--encrypted", backup])
        XCTAssertEqual(exported.status, 0, exported.stderrText)
        let before = try view(vault, store: "vault.db")

        let restored = try vault.onions(["import", "--from", "backup", backup], store: "restored.db")
        XCTAssertEqual(restored.status, 0, restored.stderrText)
        XCTAssertEqual(try view(vault, store: "restored.db"), before)
        XCTAssertTrue(before[0].contains(Self.titleMarker) && before[5].contains(Self.descriptionMarker))

        // The restored vault goes on like the original: a new onion, a deleted key written again.
        let added = try vault.onions(["add", "--title", "Gone soon"], store: "restored.db")
        XCTAssertEqual(added.status, 0, added.stderrText)
        let listed = try vault.onions(["list"], store: "restored.db")
        XCTAssertEqual(listed.status, 0, listed.stderrText)
        XCTAssertEqual(listed.stdoutText, "Gone soon\n" + before[0])
    }

    func testBackupFileHoldsNoPlaintextAndIsPrivate() throws {
        let vault = try ScratchVault(for: self)
        try fill(vault)
        let backup = vault.path("backup")
        let exported = try vault.onions(["export", "--encrypted", backup])
        XCTAssertEqual(exported.status, 0, exported.stderrText)
        var info = stat()
        XCTAssertEqual(stat(backup, &info), 0)
        XCTAssertEqual(info.st_mode & 0o777, 0o600)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: backup)))
        XCTAssertEqual(Array(bytes.prefix(16)), Array("onions-backup 1\n".utf8))
        for marker in [Self.titleMarker, "Titlemarker", Self.infoMarker, "infomarker", Self.taskMarker, "taskmarker",
                       Self.recipientMarker, Self.descriptionMarker, "descriptionmarker", Self.cardPassword,
                       ScratchVault.user, ScratchVault.password, "Edited twice"] {
            for variant in [marker, marker.lowercased()] {
                XCTAssertNil(firstOffset(of: Array(variant.utf8), in: bytes), "the backup holds '\(variant)'")
                let utf16 = variant.utf16.flatMap { [UInt8($0 & 0xff), UInt8($0 >> 8)] }
                XCTAssertNil(firstOffset(of: utf16, in: bytes), "the backup holds '\(variant)' as UTF-16")
            }
        }
    }

    func testRestoreRefusesAStoreThatHoldsTheVault() throws {
        let vault = try ScratchVault(for: self)
        try fill(vault)
        let backup = vault.path("backup")
        XCTAssertEqual(try vault.onions(["export", "--encrypted", backup]).status, 0)
        let before = try view(vault, store: "vault.db")
        let again = try vault.onions(["import", "--from", "backup", backup])
        XCTAssertEqual(again.status, 1)
        XCTAssertTrue(again.stderrText.contains("holds a vault for"), again.stderrText)
        XCTAssertEqual(try view(vault, store: "vault.db"), before)
    }

    func testRestoreRefusesAnotherUsersBackup() throws {
        let vault = try ScratchVault(for: self)
        let backup = vault.path("backup")
        XCTAssertEqual(try vault.onions(["export", "--encrypted", backup]).status, 0)
        let other = try vault.onions(["import", "--from", "backup", backup], store: "other.db", user: "someone else")
        XCTAssertEqual(other.status, 1)
        XCTAssertTrue(other.stderrText.contains("another user's vault"), other.stderrText)
        let list = try vault.onions(["list"], store: "other.db", user: "someone else")
        XCTAssertTrue(list.stderrText.contains("no vault"), list.stderrText)
    }

    func testCutOffBackupRestoresNothing() throws {
        let vault = try ScratchVault(for: self)
        try fill(vault)
        let backup = vault.path("backup")
        XCTAssertEqual(try vault.onions(["export", "--encrypted", backup]).status, 0)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: backup))
        let cut = vault.path("cut")
        try bytes.prefix(bytes.count * 2 / 3).write(to: URL(fileURLWithPath: cut))
        let restored = try vault.onions(["import", "--from", "backup", cut], store: "restored.db")
        XCTAssertEqual(restored.status, 1)
        XCTAssertTrue(restored.stderrText.contains("nothing restored"), restored.stderrText)
        let list = try vault.onions(["list"], store: "restored.db")
        XCTAssertTrue(list.stderrText.contains("no vault"), list.stderrText)
    }

    func testExportRefusesToReplaceAFileUnlessForced() throws {
        let vault = try ScratchVault(for: self)
        let backup = try vault.write("backup", "precious\n")
        let refused = try vault.onions(["export", "--encrypted", backup])
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderrText.contains("exists already"), refused.stderrText)
        XCTAssertEqual(try String(contentsOfFile: backup, encoding: .utf8), "precious\n")
        let forced = try vault.onions(["export", "--encrypted", backup, "--force"])
        XCTAssertEqual(forced.status, 0, forced.stderrText)
        XCTAssertTrue(try String(contentsOfFile: backup, encoding: .utf8).hasPrefix("onions-backup 1\n"))
    }
}

/// The offset of `needle` in `haystack`, or nil.
func firstOffset(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
    guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
    for i in 0...(haystack.count - needle.count) where haystack[i] == needle[0] {
        if Array(haystack[i..<(i + needle.count)]) == needle { return i }
    }
    return nil
}
