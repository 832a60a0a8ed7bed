import Foundation
@testable import OnionsCore
import OnionsCrypto
import OnionsStore
import XCTest

/// The promise of DESIGN.md section 4, checked on the release binary (ONIONS_BIN): after a lock
/// or while suspended, a memory dump of the process holds no password, key or plaintext.
///
/// Each run signs up in tmux with a password made of a random marker, writes an onion, makes
/// and opens a card, searches, and types into an unsaved editor draft, every text a marker of
/// its own (one with "é家" for the UTF-16 and UTF-32 forms). It dumps the process with gdb's
/// `gcore` once before locking (the markers must be found: the search works) and once after
/// (nothing may be found), then derives the vault's keys and the card key from the store and
/// searches the dumps for them too. Five runs for each way of locking, printing both counts.
/// The list way and the Ctrl-Z way lock with the card open in the reader (its description is in
/// the first dump); the list way then unlocks, searches the list and locks a second time there.
/// The editor way also unlocks on the lock screen and types on before it locks a second time;
/// so does the full-store way, whose store (on a small tmpfs) is full when it locks, so that the
/// draft is held in memory, sealed, through both locks.
final class MemoryProofTests: XCTestCase {
    /// Five in a row must pass; ONIONS_PROOF_RUNS may ask for another number while hunting leaks.
    static let runs = ProcessInfo.processInfo.environment["ONIONS_PROOF_RUNS"].flatMap { Int($0) } ?? 5

    func testCtrlLInTheListLeavesNoSecretInMemory() throws {
        try prove(.listCtrlL)
    }

    func testCtrlLWhileTypingInTheEditorLeavesNoSecretInMemory() throws {
        try prove(.editorCtrlL)
    }

    func testCtrlLWithTheStoreFullLeavesOnlyTheSealedDraftInMemory() throws {
        try prove(.storeFullCtrlL)
    }

    func testIdleLockLeavesNoSecretInMemory() throws {
        try prove(.idle)
    }

    func testCtrlZLeavesNoSecretInTheStoppedProcess() throws {
        try prove(.suspend)
    }

    // MARK: The runs

    enum Way: String {
        case listCtrlL = "Ctrl-L in the card reader, then (unlocked again) in the read view of the list"
        case editorCtrlL = "Ctrl-L in the editor (twice, unlocking between)"
        case storeFullCtrlL = "Ctrl-L in the editor with the store full (the draft held in memory, twice)"
        case idle = "idle timeout (--lock-after 3)"
        case suspend = "Ctrl-Z in the card reader"
    }

    private func prove(_ way: Way, file: StaticString = #filePath, line: UInt = #line) throws {
        let gdb = try Tmux.executable("gdb", file: file, line: line)
        var summary: [String] = []
        for run in 1...Self.runs {
            let counts = try proveOnce(way, run: run, gdb: gdb, file: file, line: line)
            summary.append("run \(run): \(counts.before) hits before locking, \(counts.after) after")
        }
        print("memory proof, \(way.rawValue):\n  " + summary.joined(separator: "\n  "))
    }

    /// One run; returns the hit counts of the dump before locking and of the dump after.
    private func proveOnce(_ way: Way, run: Int, gdb: String, file: StaticString, line: UInt) throws
        -> (before: Int, after: Int) {
        let markers = Markers()
        let vault = try ProofVault(for: self, onSmallDisk: way == .storeFullCtrlL)
        let tmux = try Tmux.start(for: self, environment: vault.environment, file: file, line: line)
        try vault.launch(in: tmux, lockAfter: way == .idle ? 3 : nil)
        let pid = try vault.onionsPID(in: tmux, file: file, line: line)
        defer { kill(pid, SIGKILL) }

        try fillVault(tmux, vault, markers, way, file: file, line: line)
        assertHardened(pid, run: run, file: file, line: line)

        let beforeDump = try dump(pid, gdb: gdb, into: vault.folder, label: "before", file: file, line: line)
        if way == .idle {
            let screen = try tmux.screen(file: file, line: line)
            XCTAssertFalse(screen.contains("is locked."),
                           "run \(run): the idle lock came before the first dump:\n\(Tmux.framed(screen))",
                           file: file, line: line)
        }

        switch way {
        case .listCtrlL:
            // Lock in the card reader, unlock, search the list, read the onion found, and lock
            // again in the read view (which holds the info wrapped and its matches marked).
            try tmux.press("C-l", file: file, line: line)
            try tmux.waitFor("is locked.", file: file, line: line)
            try tmux.type(markers.password, file: file, line: line)
            try tmux.press("Enter", file: file, line: line)
            try tmux.waitUntil("the cards after unlocking", file: file, line: line) {
                $0.contains("[Cards 1]") && !$0.contains("is locked.")
            }
            try tmux.press("1", file: file, line: line)
            try search(tmux, markers, file: file, line: line)
            try tmux.press("Enter", file: file, line: line)
            try tmux.waitUntil("the read view", file: file, line: line) {
                $0.contains("line 1 of") && $0.contains(markers.info)
            }
            try tmux.press("C-l", file: file, line: line)
            try tmux.waitFor("is locked.", file: file, line: line)
        case .editorCtrlL:
            // Lock, unlock on the lock screen (the draft comes back), type on, lock again: the
            // lock screen's password field and the unlock's copy of the password are covered too.
            try tmux.press("C-l", file: file, line: line)
            try tmux.waitFor("is locked.", file: file, line: line)
            try tmux.type(markers.password, file: file, line: line)
            try tmux.press("Enter", file: file, line: line)
            try tmux.waitFor(markers.draftInfo, file: file, line: line)
            try tmux.type(markers.draftMore, file: file, line: line)
            try tmux.waitFor(markers.draftMore, file: file, line: line)
            try tmux.press("C-l", file: file, line: line)
            try tmux.waitFor("is locked.", file: file, line: line)
        case .storeFullCtrlL:
            try vault.fillDisk(file: file, line: line)
            try tmux.press("C-l", file: file, line: line)
            try tmux.waitFor("sealed in memory", file: file, line: line)
            try tmux.type(markers.password, file: file, line: line)
            try tmux.press("Enter", file: file, line: line)
            try tmux.waitFor(markers.draftInfo, file: file, line: line)
            try tmux.type(markers.draftMore, file: file, line: line)
            try tmux.waitFor(markers.draftMore, file: file, line: line)
            try tmux.press("C-l", file: file, line: line)
            try tmux.waitFor("sealed in memory", file: file, line: line)
        case .idle:
            try tmux.waitFor("Locked after 3 s without a key.", timeout: 15, file: file, line: line)
        case .suspend:
            try tmux.press("C-z", file: file, line: line)
            try tmux.waitFor("Stopped", file: file, line: line)
            XCTAssertTrue(Processes.wait(timeout: 5) { Processes.state(of: pid) == "T" },
                          "run \(run): the process is stopped (state \(Processes.state(of: pid) ?? "gone"))",
                          file: file, line: line)
        }
        // The loop draws the lock screen right after the lock; give it that frame.
        usleep(200_000)
        let afterDump = try dump(pid, gdb: gdb, into: vault.folder, label: "after", file: file, line: line)
        if way == .suspend {
            XCTAssertEqual(Processes.state(of: pid), "T", "run \(run): still stopped after the dump",
                           file: file, line: line)
        }
        kill(pid, SIGKILL)
        vault.freeDisk()

        let needles = markers.needles + (try vault.keyNeedles(password: markers.password,
                                                              cardPassword: markers.cardPassword))
        let before = try Dump.hits(of: needles, inFile: beforeDump)
        let after = try Dump.hits(of: needles, inFile: afterDump)
        keepOrRemove([beforeDump, afterDump], way: way, run: run)

        if run == 1 { print("memory proof, \(way.rawValue), run 1 before locking: \(before.described)") }
        XCTAssertGreaterThan(before.total, 0,
                             "\(way.rawValue), run \(run): the dump before locking finds no marker, "
                             + "so the search proves nothing", file: file, line: line)
        XCTAssertTrue(before.byNeedle.contains { $0.0 == "data key" && !$0.1.isEmpty },
                      "\(way.rawValue), run \(run): the dump before locking lacks the data key the session holds, "
                      + "so the key search proves nothing", file: file, line: line)
        if way == .listCtrlL || way == .suspend {
            XCTAssertTrue(before.byNeedle.contains { $0.0.hasPrefix("card description") && !$0.1.isEmpty },
                          "\(way.rawValue), run \(run): the dump before locking lacks the description the reader "
                          + "shows, so the search for it proves nothing", file: file, line: line)
        }
        XCTAssertEqual(after.total, 0,
                       "\(way.rawValue), run \(run): after locking the dump still holds "
                       + after.described, file: file, line: line)
        return (before.total, after.total)
    }

    /// Normal runs allow no core dump, and run with glibc's per-thread cache off so that freed
    /// heap is overwritten (the dump above is taken by a root debugger, not by a crash).
    private func assertHardened(_ pid: pid_t, run: Int, file: StaticString, line: UInt) {
        let limits = (try? String(contentsOfFile: "/proc/\(pid)/limits", encoding: .utf8)) ?? ""
        let core = limits.split(separator: "\n").first { $0.hasPrefix("Max core file size") }
            .map { $0.split(separator: " ", omittingEmptySubsequences: true) } ?? []
        XCTAssertEqual(core.dropFirst(4).prefix(2).map(String.init), ["0", "0"],
                       "run \(run): RLIMIT_CORE is 0 (soft and hard) in /proc/\(pid)/limits:\n\(limits)",
                       file: file, line: line)
        let environ = FileManager.default.contents(atPath: "/proc/\(pid)/environ") ?? Data()
        let variables = environ.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
        XCTAssertTrue(variables.contains { $0.hasPrefix("GLIBC_TUNABLES=") && $0.contains("glibc.malloc.tcache_count=0") },
                      "run \(run): the program re-executed itself with glibc's tcache off", file: file, line: line)
    }

    /// Signs up, writes an onion, makes and opens a card, searches, and leaves the program where
    /// `way` locks it, with a draft half typed in the editor (discarded again for the list and
    /// Ctrl-Z ways, which end with the card open in the reader).
    private func fillVault(_ tmux: Tmux, _ vault: ProofVault, _ m: Markers, _ way: Way,
                           file: StaticString, line: UInt) throws {
        try tmux.waitFor("Unlock your vault", file: file, line: line)
        try tmux.type(vault.user, file: file, line: line)
        try tmux.press("Enter", file: file, line: line)
        try tmux.type(m.password, file: file, line: line)
        try tmux.press("Enter", file: file, line: line)
        try tmux.waitFor("Repeat the password", file: file, line: line)
        try tmux.waitFor("strength: ", file: file, line: line)  // zxcvbn ran on the password
        try tmux.type(m.password, file: file, line: line)
        try tmux.press("Enter", file: file, line: line)
        try tmux.waitFor("Vault created.", file: file, line: line)

        try tmux.press("n", file: file, line: line)
        try tmux.waitFor("new onion", file: file, line: line)
        try tmux.type(m.title, file: file, line: line)
        try tmux.press("Tab", file: file, line: line)
        try tmux.type(m.info + " " + m.wide, file: file, line: line)
        try tmux.waitFor(m.wide, file: file, line: line)
        try tmux.press("C-s", file: file, line: line)
        try tmux.waitFor("Saved.", file: file, line: line)

        try tmux.press("2", file: file, line: line)
        try tmux.waitFor("No cards yet", file: file, line: line)
        try tmux.press("n", file: file, line: line)
        try tmux.waitFor("Description", file: file, line: line)
        try tmux.type(m.recipient, file: file, line: line)
        try tmux.press("Tab", file: file, line: line)
        try tmux.type(m.description, file: file, line: line)
        try tmux.press("Tab", file: file, line: line)
        try tmux.type(m.cardPassword, file: file, line: line)
        try tmux.waitFor("strength: ", file: file, line: line)  // and on the card password, key by key
        try tmux.press("Tab", file: file, line: line)
        try tmux.type(m.cardPassword, file: file, line: line)
        try tmux.press("Enter", file: file, line: line)
        try tmux.waitFor("Card saved, face down.", file: file, line: line)
        try tmux.press("Enter", file: file, line: line)
        try tmux.waitFor("Password for the card to", file: file, line: line)
        try tmux.type(m.cardPassword, file: file, line: line)
        try tmux.press("Enter", file: file, line: line)
        try tmux.waitFor(String(m.description.prefix(12)), file: file, line: line)

        try tmux.press("1", file: file, line: line)
        try search(tmux, m, file: file, line: line)
        try tmux.press("n", file: file, line: line)
        try tmux.waitFor("new onion", file: file, line: line)
        try tmux.type(m.draftTitle, file: file, line: line)
        try tmux.press("Tab", file: file, line: line)
        try tmux.type(m.draftInfo, file: file, line: line)
        try tmux.waitFor(m.draftInfo, file: file, line: line)
        if way == .listCtrlL {
            try tmux.press("Escape", file: file, line: line)
            try tmux.waitFor("Discard", file: file, line: line)
            try tmux.press("y", file: file, line: line)
            try tmux.waitFor("Changes discarded.", file: file, line: line)
            try search(tmux, m, file: file, line: line)
            // The lock comes in the read view, which holds the info wrapped and its matches marked.
            try tmux.press("Enter", file: file, line: line)
            try tmux.waitUntil("the read view", file: file, line: line) { $0.contains("line 1 of") && $0.contains(m.info) }
        }
        if way == .listCtrlL || way == .suspend {
            if way == .suspend {
                try tmux.press("Escape", file: file, line: line)
                try tmux.waitFor("Discard", file: file, line: line)
                try tmux.press("y", file: file, line: line)
                try tmux.waitFor("Changes discarded.", file: file, line: line)
            }
            try openCardReader(tmux, m, file: file, line: line)
        }
    }

    /// Shows the cards and opens the card in the reader with its password.
    private func openCardReader(_ tmux: Tmux, _ m: Markers, file: StaticString, line: UInt) throws {
        try tmux.press("2", file: file, line: line)
        try tmux.waitFor("To: " + m.recipient, file: file, line: line)
        try tmux.press("Enter", file: file, line: line)
        try tmux.waitFor("Password for the card to", file: file, line: line)
        try tmux.type(m.cardPassword, file: file, line: line)
        try tmux.press("Enter", file: file, line: line)
        try tmux.waitUntil("the card in the reader", file: file, line: line) {
            $0.contains(m.description) && $0.contains("1 line")
        }
    }

    /// Filters the list by the onion's title and waits for its preview.
    private func search(_ tmux: Tmux, _ m: Markers, file: StaticString, line: UInt) throws {
        try tmux.press("/", file: file, line: line)
        try tmux.type(m.title, file: file, line: line)
        try tmux.press("Enter", file: file, line: line)
        try tmux.waitUntil("the onion found by its title", file: file, line: line) {
            $0.contains("1 of 1 match") && $0.contains(m.info)
        }
    }

    /// Dumps are large: they are removed unless ONIONS_PROOF_KEEP names a folder to keep them in.
    private func keepOrRemove(_ dumps: [URL], way: Way, run: Int) {
        let keep = ProcessInfo.processInfo.environment["ONIONS_PROOF_KEEP"]
        for dump in dumps {
            if let keep, !keep.isEmpty {
                let name = "\(way)-\(run)-" + dump.lastPathComponent
                let target = URL(fileURLWithPath: keep).appendingPathComponent(name)
                try? FileManager.default.removeItem(at: target)
                try? FileManager.default.moveItem(at: dump, to: target)
            } else {
                try? FileManager.default.removeItem(at: dump)
            }
        }
    }

    /// Dumps the process's whole memory with gdb's gcore and returns the file.
    private func dump(_ pid: pid_t, gdb: String, into folder: URL, label: String,
                      file: StaticString, line: UInt) throws -> URL {
        try Dump.take(pid, gdb: gdb, into: folder, label: label, file: file, line: line)
    }
}

extension Dump {
    /// Dumps the process's whole memory with gdb's gcore and returns the file.
    static func take(_ pid: pid_t, gdb: String, into folder: URL, label: String,
                     file: StaticString, line: UInt) throws -> URL {
        let prefix = folder.appendingPathComponent("core-\(label)").path
        let path = "\(prefix).\(pid)"
        // gdb's gcore, with the mappings marked MADV_DONTDUMP too: /proc/PID/mem reads them.
        let result = try Harness.run(gdb, ["-batch", "-nx", "-p", "\(pid)", "-ex", "set dump-excluded-mappings on",
                                           "-ex", "gcore \(path)"])
        guard FileManager.default.fileExists(atPath: path) else {
            let message = "gcore wrote no dump of \(pid) (\(result.status)): \(result.stderrText)\(result.stdoutText)"
            XCTFail(message, file: file, line: line)
            throw HarnessError(description: message)
        }
        return URL(fileURLWithPath: path)
    }
}

/// The random texts of one run, each findable on its own (the agent's proof uses them too).
struct Markers {
    let password = Markers.make("p")
    let title = Markers.make("t")
    let info = Markers.make("i")
    /// A multibyte marker: its UTF-16 and UTF-32 forms differ from widened ASCII.
    let wide = "MKé家" + Markers.hex(5)
    let recipient = Markers.make("r")
    let description = Markers.make("d")
    let cardPassword = Markers.make("c")
    let draftTitle = Markers.make("f")
    let draftInfo = Markers.make("g")
    /// Typed into the draft after unlocking (the editor way locks twice).
    let draftMore = Markers.make("h")

    static func hex(_ count: Int) -> String {
        (0..<count).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
    }

    static func make(_ kind: String) -> String { "MK" + kind + hex(6) }

    var all: [(String, String)] {
        [("password", password), ("title", title), ("info", info), ("multibyte info", wide),
         ("card recipient", recipient), ("card description", description), ("card password", cardPassword),
         ("draft title", draftTitle), ("draft info", draftInfo), ("draft info typed after unlocking", draftMore)]
    }

    /// Every marker in UTF-8, UTF-16LE and UTF-32LE, contiguous and with its characters spread
    /// out at a fixed stride (one per element of an array of Characters, of a screen cell...).
    var needles: [Needle] { Self.needles(all) }

    /// The needles of named texts (see `needles`).
    static func needles(_ all: [(String, String)]) -> [Needle] {
        all.flatMap { name, text in
            let utf8 = text.unicodeScalars.map { Array(String($0).utf8) }
            let utf16 = text.unicodeScalars.map { s in String(s).utf16.flatMap { [UInt8($0 & 0xff), UInt8($0 >> 8)] } }
            let utf32 = text.unicodeScalars.map { s in (0..<4).map { UInt8((s.value >> (8 * UInt32($0))) & 0xff) } }
            let cells = text.unicodeScalars.map(Markers.cellWidth)
            return [Needle(name: "\(name) (UTF-8)", chunks: [utf8.flatMap { $0 }], strides: [0]),
                    Needle(name: "\(name) (UTF-16LE)", chunks: [utf16.flatMap { $0 }], strides: [0]),
                    Needle(name: "\(name) (UTF-32LE)", chunks: [utf32.flatMap { $0 }], strides: [0]),
                    Needle(name: "\(name) (UTF-8 by character)", chunks: utf8, strides: Array(5...64)),
                    Needle(name: "\(name) (UTF-32LE by character)", chunks: utf32, strides: Array(5...64))]
                + (cells.contains(2) ? [
                    // On a screen a wide character takes two cells: the next one starts two strides on.
                    Needle(name: "\(name) (UTF-8 by cell)", chunks: utf8, strides: Array(5...64), cells: cells),
                    Needle(name: "\(name) (UTF-32LE by cell)", chunks: utf32, strides: Array(5...64), cells: cells)]
                    : [])
        }
    }

    /// Cells a scalar takes on a terminal (2 for the East Asian wide ranges the markers use).
    private static func cellWidth(_ scalar: Unicode.Scalar) -> Int {
        switch scalar.value {
        case 0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFF00...0xFF60: return 2
        default: return 1
        }
    }
}

/// Bytes to look for, and what they are: `chunks` one after the other, each `stride` bytes
/// (times the cells of the chunk before) after the start of the one before (stride 0: contiguous).
struct Needle {
    let name: String
    let chunks: [[UInt8]]
    let strides: [Int]
    let cells: [Int]

    init(name: String, chunks: [[UInt8]], strides: [Int], cells: [Int]? = nil) {
        self.name = name
        self.chunks = chunks
        self.strides = strides
        self.cells = cells ?? Array(repeating: 1, count: chunks.count)
    }

    init(name: String, bytes: [UInt8]) {
        self.init(name: name, chunks: [bytes], strides: [0])
    }
}

/// Searching a dump file.
enum Dump {
    struct Hits {
        var byNeedle: [(String, [Int])] = []
        var total: Int { byNeedle.reduce(0) { $0 + $1.1.count } }
        var described: String {
            let found = byNeedle.filter { !$0.1.isEmpty }
            return "\(total) hits: " + found.map { name, offsets in
                "\(name) ×\(offsets.count) at " + offsets.prefix(4).map { String(format: "0x%x", $0) }
                    .joined(separator: ", ")
            }.joined(separator: "; ")
        }
    }

    /// Every offset of every needle in the file.
    static func hits(of needles: [Needle], inFile url: URL) throws -> Hits {
        let data = try Data(contentsOf: url, options: .alwaysMapped)
        var found: [String: [Int]] = [:]
        data.withUnsafeBytes { (haystack: UnsafeRawBufferPointer) in
            guard let base = haystack.baseAddress else { return }
            let end = haystack.count
            // One memchr pass per distinct first byte finds every candidate; there one byte
            // further on (the second chunk at each stride) is probed before a full comparison.
            struct Probe: Hashable { let delta: Int; let byte: UInt8 }
            var groups: [UInt8: [Probe: [(Needle, Int)]]] = [:]
            for needle in needles {
                for stride in needle.strides {
                    let probe = stride == 0
                        ? Probe(delta: 1, byte: needle.chunks[0].count > 1 ? needle.chunks[0][1] : needle.chunks[1][0])
                        : Probe(delta: stride * needle.cells[0], byte: needle.chunks[1][0])
                    groups[needle.chunks[0][0], default: [:]][probe, default: []].append((needle, stride))
                }
            }
            for (firstByte, probes) in groups {
                let list = Array(probes)
                var start = 0
                while start < end, let hit = memchr(base + start, Int32(firstByte), end - start) {
                    let offset = base.distance(to: UnsafeRawPointer(hit))
                    start = offset + 1
                    for (probe, candidates) in list where offset + probe.delta < end
                        && base.load(fromByteOffset: offset + probe.delta, as: UInt8.self) == probe.byte {
                        for (needle, stride) in candidates where matches(needle, at: offset, stride: stride, base, end) {
                            let name = stride == 0 ? needle.name : "\(needle.name) stride \(stride)"
                            found[name, default: []].append(offset)
                        }
                    }
                }
            }
        }
        var hits = Hits()
        for needle in needles where !found.keys.contains(where: { $0.hasPrefix(needle.name) }) {
            hits.byNeedle.append((needle.name, []))
        }
        for (name, offsets) in found.sorted(by: { $0.key < $1.key }) { hits.byNeedle.append((name, offsets)) }
        return hits
    }

    private static func matches(_ needle: Needle, at offset: Int, stride: Int, _ base: UnsafeRawPointer,
                                _ end: Int) -> Bool {
        let chunks = needle.chunks
        var position = offset
        var index = 0
        while index < chunks.count {
            let chunk = chunks[index]
            if index > 0 { position += stride == 0 ? chunks[index - 1].count : stride * needle.cells[index - 1] }
            if stride > 0 && chunk.count > stride { return false }
            if position + chunk.count > end { return false }
            let equal = chunk.withUnsafeBytes { memcmp(base + position, $0.baseAddress!, chunk.count) == 0 }
            if !equal { return false }
            index += 1
        }
        return true
    }
}

/// A private store and folders for one run, and the keys the program derived in it (the
/// agent's proof, AgentMemoryProofTests, uses it too).
final class ProofVault {
    let binary: String
    let folder: URL
    let store: String
    let user = "proof"
    let environment: [String: String]

    /// The small filesystem the store is on (`onSmallDisk`), nil for the temporary folder's.
    let disk: URL?

    /// `onSmallDisk`: the store goes on a tmpfs of its own (unmounted when the test ends), so
    /// that `fillDisk` can make every write to it fail.
    init(for test: XCTestCase, onSmallDisk: Bool = false) throws {
        binary = try Harness.onionsBinary()
        folder = try Harness.temporaryDirectory(for: test)
        if onSmallDisk {
            let disk = folder.appendingPathComponent("disk")
            try FileManager.default.createDirectory(at: disk, withIntermediateDirectories: true)
            let mounted = try Harness.run("/bin/mount", ["-t", "tmpfs", "-o", "size=4m,mode=0700", "tmpfs", disk.path])
            guard mounted.status == 0 else { throw HarnessError(description: "mount: \(mounted.stderrText)") }
            test.addTeardownBlock { _ = try? Harness.run("/bin/umount", ["-l", disk.path]) }
            self.disk = disk
        } else {
            disk = nil
        }
        store = (disk ?? folder).appendingPathComponent("onions.db").path
        var environment: [String: String] = [:]
        for name in ["XDG_STATE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME"] {
            let path = folder.appendingPathComponent(name.lowercased()).path
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            environment[name] = path
        }
        self.environment = environment
    }

    func launch(in tmux: Tmux, lockAfter: Int?, file: StaticString = #filePath, line: UInt = #line) throws {
        var words = [binary, "--store", store, "--kdf-cost", "15"]
        if let lockAfter { words += ["--lock-after", "\(lockAfter)"] }
        try tmux.runInShell(words.map { "'" + $0 + "'" }.joined(separator: " "), file: file, line: line)
    }

    /// Fills the store's small filesystem to the last byte.
    func fillDisk(file: StaticString, line: UInt) throws {
        guard let disk else { return XCTFail("the store is not on a disk of its own", file: file, line: line) }
        _ = try Harness.run("/bin/dd", ["if=/dev/zero", "of=" + disk.appendingPathComponent("fill").path, "bs=4k"])
    }

    /// Makes room again (for deriving the keys from the store afterwards).
    func freeDisk() {
        guard let disk else { return }
        try? FileManager.default.removeItem(at: disk.appendingPathComponent("fill"))
    }

    /// The pid of the interface the pane's shell started, once it runs (its command line shows
    /// only the program's name, so it is found as the shell's one child).
    func onionsPID(in tmux: Tmux, file: StaticString, line: UInt) throws -> pid_t {
        let shell = try tmux.shellPID(file: file, line: line)
        var pids: [pid_t] = []
        _ = Processes.wait(timeout: 10) {
            pids = Processes.children(of: shell)
            return pids.count == 1
        }
        guard pids.count == 1, let pid = pids.first else {
            let message = "expected one onions process started by the pane's shell, found \(pids)"
            XCTFail(message, file: file, line: line)
            throw HarnessError(description: message)
        }
        return pid
    }

    /// The vault's keys (scrypt master, key-encryption key, auth key, data key, record and name
    /// keys) and the card's key, derived again from the passwords and what the store holds.
    func keyNeedles(password: String, cardPassword: String) throws -> [Needle] {
        let sqlite = try SQLiteStore(path: store)
        let vault = VaultID(CredentialStretching.stretch(user))
        guard let header = try sqlite.header(vault: vault) else {
            throw HarnessError(description: "the store holds no vault for \(user)")
        }
        let parameters = try VaultParameters(decoding: header.parameters)
        let typed = SecretBytes(copying: Array(password.utf8))
        let normalized = try PasswordText.normalized(typed)
        let master = try Scrypt.derive(password: normalized, salt: parameters.salt, parameters: parameters.kdf,
                                       count: 32)
        let passwordKeys = try PasswordKeys(password: normalized, parameters: parameters)
        let dataKey = try passwordKeys.unwrap(header.wrappedKey, vault: vault, parameters: header.parameters)
        let dataKeys = try DataKeys(dataKey: dataKey)
        var keys: [(String, SecretBytes)] = [("scrypt master key", master), ("key-encryption key", passwordKeys.kek),
                                             ("auth key", passwordKeys.authKey), ("data key", dataKey),
                                             ("record key", dataKeys.recordKey), ("name key", dataKeys.nameKey)]

        let stateDirectory = folder.appendingPathComponent("proof-state").path
        let session = try Session.logIn(store: sqlite, username: user, password: typed, stateDirectory: stateDirectory)
        defer { session.lock() }
        guard let card = session.cards.first,
              let record = try sqlite.record(vault: vault, name: dataKeys.name(LogicalKey.card(card.id))) else {
            throw HarnessError(description: "the store holds no card")
        }
        let payload = try RecordSealer(vault: vault, keys: dataKeys).open(record)
        var reader = PayloadReader(payload)
        _ = try reader.u8(); _ = try reader.raw(16); _ = try reader.u64(); _ = try reader.u64()
        _ = try reader.secret()
        let salt = try reader.raw(16)
        let kdf = ScryptParameters(logN: try reader.u8(), r: try reader.u32(), p: try reader.u32())
        let cardKey = try CardKey.derive(password: SecretBytes(copying: Array(cardPassword.utf8)), salt: salt, kdf: kdf)
        keys.append(("card key", cardKey))
        return keys.map { name, key in Needle(name: name, bytes: key.withUnsafeBytes { Array($0) }) }
    }
}
