import Foundation
import XCTest

/// Issue 30's memory proof, on the release binary: a Bitwarden export holding a login's password
/// and a TOTP seed (random markers) is imported; the interface opens the onion in the read view,
/// which shows the password and the one-time code computed from the seed; gcore dumps the
/// process before Ctrl-L (the password and the seed text must be found: the search works) and
/// after it, when neither the password nor the seed (as text or as its decoded bytes) may be found.
final class ImportOTPMemoryProofTests: XCTestCase {
    static let runs = ProcessInfo.processInfo.environment["ONIONS_PROOF_RUNS"].flatMap { Int($0) } ?? 3

    /// RFC 4648 base32, no padding (what an otpauth URI holds).
    static func base32(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        var out = "", buffer = 0, bits = 0
        for byte in bytes {
            buffer = buffer << 8 | Int(byte)
            bits += 8
            while bits >= 5 {
                out.append(alphabet[(buffer >> (bits - 5)) & 31])
                bits -= 5
            }
        }
        if bits > 0 { out.append(alphabet[(buffer << (5 - bits)) & 31]) }
        return out
    }

    /// A text in UTF-8, UTF-16LE and UTF-32LE, contiguous and one character per cell or element.
    static func needles(_ name: String, _ text: String) -> [Needle] {
        let utf8 = text.unicodeScalars.map { Array(String($0).utf8) }
        let utf16 = text.unicodeScalars.map { s in String(s).utf16.flatMap { [UInt8($0 & 0xff), UInt8($0 >> 8)] } }
        let utf32 = text.unicodeScalars.map { s in (0..<4).map { UInt8((s.value >> (8 * UInt32($0))) & 0xff) } }
        return [Needle(name: "\(name) (UTF-8)", chunks: [utf8.flatMap { $0 }], strides: [0]),
                Needle(name: "\(name) (UTF-16LE)", chunks: [utf16.flatMap { $0 }], strides: [0]),
                Needle(name: "\(name) (UTF-32LE)", chunks: [utf32.flatMap { $0 }], strides: [0]),
                Needle(name: "\(name) (UTF-8 by character)", chunks: utf8, strides: Array(5...64)),
                Needle(name: "\(name) (UTF-32LE by character)", chunks: utf32, strides: Array(5...64))]
    }

    func testCtrlLAfterAnImportAndAOneTimeCodeLeavesNoPasswordOrSeedInMemory() throws {
        let gdb = try Tmux.executable("gdb")
        for run in 1...Self.runs { try proveOnce(run: run, gdb: gdb) }
    }

    private func proveOnce(run: Int, gdb: String) throws {
        let password = Markers.make("b")
        var seed = (0..<20).map { _ in UInt8.random(in: 0...255) }
        seed[0] = 0x4d  // never all zero, never a common pattern
        let seedText = Self.base32(seed)
        let vault = try TestVault(for: self, user: "proof", password: "battery staple 17")
        try vault.signUpWithCLI(onions: [])
        let export = """
        {"encrypted": false, "folders": [], "items": [
         {"id": "i1", "organizationId": null, "folderId": null, "type": 1, "reprompt": 0, "name": "Proof",
          "notes": null, "favorite": false,
          "login": {"uris": [], "username": "ada", "password": "\(password)",
                    "totp": "otpauth://totp/Proof:ada?secret=\(seedText)&issuer=Proof"},
          "collectionIds": null, "revisionDate": "2024-03-02T10:20:30.123Z", "creationDate": "2023-01-15T08:00:00.000Z",
          "deletedDate": null}]}
        """
        let file = vault.folder.appendingPathComponent("bitwarden.json")
        try Data(export.utf8).write(to: file)
        let imported = try vault.cli(["import", "--from", "bitwarden", file.path])
        XCTAssertEqual(imported.status, 0, imported.stderrText)
        try FileManager.default.removeItem(at: file)

        let tmux = try vault.tmux(for: self)
        try vault.launch(in: tmux)
        try vault.logIn(in: tmux)
        let pid = try vault.onionsPID()
        defer { kill(pid, SIGKILL) }
        try tmux.press("Enter")
        let screen = try tmux.waitFor("code ")
        XCTAssertTrue(screen.contains(password), Tmux.framed(screen))

        let before = try dump(pid, gdb: gdb, into: vault.folder, label: "before")
        try tmux.press("C-l")
        try tmux.waitFor("is locked.")
        usleep(200_000)
        let after = try dump(pid, gdb: gdb, into: vault.folder, label: "after")
        kill(pid, SIGKILL)

        let needles = Self.needles("imported password", password) + Self.needles("TOTP seed (base32)", seedText)
            + [Needle(name: "TOTP seed (bytes)", bytes: seed)]
        let found = try Dump.hits(of: needles, inFile: before)
        let left = try Dump.hits(of: needles, inFile: after)
        try? FileManager.default.removeItem(at: before)
        try? FileManager.default.removeItem(at: after)
        if run == 1 { print("import and one-time code memory proof, run 1 before locking: \(found.described)") }
        XCTAssertTrue(found.byNeedle.contains { $0.0.hasPrefix("imported password") && !$0.1.isEmpty },
                      "run \(run): the dump before locking lacks the password shown, so the search proves nothing")
        XCTAssertTrue(found.byNeedle.contains { $0.0.hasPrefix("TOTP seed (base32)") && !$0.1.isEmpty },
                      "run \(run): the dump before locking lacks the seed shown, so the search proves nothing")
        XCTAssertEqual(left.total, 0, "run \(run): after Ctrl-L the dump still holds \(left.described)")
        print("import and one-time code memory proof, run \(run): \(found.total) hits before locking, \(left.total) after")
    }

    /// Dumps the process's whole memory (the mappings marked MADV_DONTDUMP too) with gdb's gcore.
    private func dump(_ pid: pid_t, gdb: String, into folder: URL, label: String) throws -> URL {
        let path = folder.appendingPathComponent("core-\(label)").path + ".\(pid)"
        let result = try Harness.run(gdb, ["-batch", "-nx", "-p", "\(pid)", "-ex", "set dump-excluded-mappings on",
                                           "-ex", "gcore \(path)"])
        guard FileManager.default.fileExists(atPath: path) else {
            throw HarnessError(description: "gcore wrote no dump of \(pid) (\(result.status)): \(result.stderrText)")
        }
        return URL(fileURLWithPath: path)
    }
}
