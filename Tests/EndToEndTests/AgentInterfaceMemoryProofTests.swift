import Foundation
@testable import OnionsCore
import OnionsCrypto
import OnionsStore
import XCTest

/// The memory proof for an interface opened from the agent (`--from-agent`): after its own
/// Ctrl-L, a dump of the interface holds none of the keys the agent handed over, no key derived
/// from them and no text it showed. Three runs in a row.
final class AgentInterfaceMemoryProofTests: XCTestCase {
    func testCtrlLAfterOpeningFromTheAgentLeavesNoKeyOrTextInTheInterface() throws {
        let gdb = try Tmux.executable("gdb")
        for run in 1...3 { try proveOnce(run: run, gdb: gdb) }
    }

    private func proveOnce(run: Int, gdb: String) throws {
        let title = "MKT" + String(UInt64.random(in: 0...UInt64.max), radix: 16)
        let info = "MKI" + String(UInt64.random(in: 0...UInt64.max), radix: 16)
        let a = try AgentVault(for: self, onions: [(title: title, info: info)])
        try a.startAgent()
        let tmux = try Tmux.start(for: self, environment: a.environment)
        try a.vault.launch(in: tmux, extra: ["--user", a.vault.user, "--from-agent"])
        try tmux.waitUntil("the list and the preview opened from the agent") { $0.contains(title) && $0.contains(info) }
        let pid = try interfacePID(tmux)
        defer { kill(pid, SIGKILL) }

        let before = try dump(pid, gdb: gdb, into: a.vault.folder, label: "before")
        try tmux.press("C-l")
        try tmux.waitFor("is locked.")
        usleep(200_000)
        let after = try dump(pid, gdb: gdb, into: a.vault.folder, label: "after")
        kill(pid, SIGKILL)

        let needles = try keyNeedles(a) + [Needle(name: "title", bytes: Array(title.utf8)),
                                           Needle(name: "info", bytes: Array(info.utf8))]
        let found = try Dump.hits(of: needles, inFile: before)
        let left = try Dump.hits(of: needles, inFile: after)
        try? FileManager.default.removeItem(at: before)
        try? FileManager.default.removeItem(at: after)
        for name in ["key-encryption key", "auth key", "data key", "info"] {
            XCTAssertTrue(found.byNeedle.contains { $0.0 == name && !$0.1.isEmpty },
                          "run \(run): the dump before locking lacks the \(name), so the search proves nothing: "
                          + found.described)
        }
        XCTAssertEqual(left.total, 0, "run \(run): after Ctrl-L the interface still holds " + left.described)
    }

    /// The keys of the vault, derived again from its password and its header.
    private func keyNeedles(_ a: AgentVault) throws -> [Needle] {
        let sqlite = try SQLiteStore(path: a.vault.store)
        let vault = VaultID(CredentialStretching.stretch(a.vault.user))
        guard let header = try sqlite.header(vault: vault) else { throw HarnessError(description: "no vault") }
        let parameters = try VaultParameters(decoding: header.parameters)
        let password = try PasswordText.normalized(SecretBytes(copying: Array(a.vault.password.utf8)))
        let passwordKeys = try PasswordKeys(password: password, parameters: parameters)
        let dataKey = try passwordKeys.unwrap(header.wrappedKey, vault: vault, parameters: header.parameters)
        let dataKeys = try DataKeys(dataKey: dataKey)
        let keys = [("key-encryption key", passwordKeys.kek), ("auth key", passwordKeys.authKey),
                    ("data key", dataKey), ("record key", dataKeys.recordKey), ("name key", dataKeys.nameKey)]
        return keys.map { name, key in Needle(name: name, bytes: key.withUnsafeBytes { Array($0) }) }
    }

    private func interfacePID(_ tmux: Tmux) throws -> pid_t {
        let shell = try tmux.shellPID()
        var pids: [pid_t] = []
        _ = Processes.wait(timeout: 10) {
            pids = Processes.children(of: shell)
            return pids.count == 1
        }
        guard pids.count == 1, let pid = pids.first else {
            throw HarnessError(description: "expected one onions process started by the pane's shell, found \(pids)")
        }
        return pid
    }

    private func dump(_ pid: pid_t, gdb: String, into folder: URL, label: String) throws -> URL {
        let path = folder.appendingPathComponent("core-\(label)").path + ".\(pid)"
        let result = try Harness.run(gdb, ["-batch", "-nx", "-p", "\(pid)", "-ex", "set dump-excluded-mappings on",
                                           "-ex", "gcore \(path)"])
        guard FileManager.default.fileExists(atPath: path) else {
            throw HarnessError(description: "gcore wrote no dump of \(pid): \(result.stderrText)")
        }
        return URL(fileURLWithPath: path)
    }
}
