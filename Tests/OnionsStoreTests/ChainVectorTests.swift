// Frozen vectors of the chain of commits (Vectors/chain/README.md): a SQLite vault made by
// the code that first wrote commits, its commits one per file with every field, and the cases
// that must not open. A later format that breaks them fails here.

import Foundation
import OnionsCrypto
@testable import OnionsCore
@testable import OnionsStore
import XCTest

/// Writes a chain vector set into a folder: the vault, one file per commit, the negative cases.
enum ChainVectorGenerator {
    static let username = "vector-carol"
    static let passwords = ("carol first password", "carol second password")
    static let kdf = ScryptParameters(logN: 15, r: 8, p: 1)

    static func write(into folder: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // The store is closed (its log folded into the file) when `makeFiles` returns.
        try makeFiles(folder)
        try Data(try FormatVectorFolder.checksums(of: folder).utf8).write(to: folder.appendingPathComponent("SHA256SUMS"))
    }

    private static func makeFiles(_ folder: URL) throws {
        let state = folder.appendingPathComponent(".state-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: state) }
        let store = try SQLiteStore(path: folder.appendingPathComponent("vault-chain.sqlite").path)
        let session = try Session.signUp(store: store, username: username, password: secret(passwords.0), kdf: kdf,
                                         stateDirectory: state.path)
        defer { session.lock() }
        _ = try session.saveOnion(id: nil, title: secret("one"), info: secret("the first onion"))
        let first = try unwrap(session.chain?.head)
        _ = try session.saveOnion(id: nil, title: secret("two"), info: secret(""))
        let second = try unwrap(session.chain?.head)
        // Another machine's save on the first commit (as sync would bring it), then the join.
        let base = try unwrap(session.chain?.graph[first.hash])
        let sibling = Commit(count: 2, time: base.time + 1, machine: try unwrap(MachineID(SecureRandom.bytes(16))),
                             headerHash: session.headerHash, parents: [first], accepted: nil, known: [:],
                             manifestName: base.manifestName, manifestDigest: base.manifestDigest)
        let (siblingBlob, siblingHash) = try session.withCommitSealer { try $0.seal(sibling) }
        _ = try store.apply(vault: session.vault, writes: [], commits: [siblingBlob])
        session.chain?.add(sibling, blob: siblingBlob, hash: siblingHash)
        session.chain?.state.saw(sibling, hash: siblingHash)
        let join = try unwrap(try session.chainWrite(parents: [second, CommitRef(hash: siblingHash, count: 2)], writes: []))
        _ = try store.apply(vault: session.vault, writes: [join.write], commits: [join.blob])
        session.chainWritten(join)
        // A password change binds the new header; a save follows it.
        try session.changePassword(to: secret(passwords.1), kdf: kdf)
        _ = try session.saveOnion(id: nil, title: secret("three"), info: secret("after the password change"))
        let head = try unwrap(session.chain?.head)

        let nameKey = session.keys.nameKey.withUnsafeBytes { Array($0) }
        let commitKey = try session.withCommitSealer { sealer in sealer.key.withUnsafeBytes { Array($0) } }
        let stored = try store.commits(vault: session.vault, since: 0)
        var vault = FormatVector(file: "chain.txt")
        vault.comments = ["A vault of onions one, two, three with a join of two machines' saves and a password change."]
        vault.add("case", "chain-vault")
        vault.add("expect", "opens")
        vault.add("file", "vault-chain.sqlite")
        vault.add("username", username)
        vault.add("password", text: passwords.1)
        vault.add("vault-id", session.vault.value)
        vault.add("head-count", head.count)
        vault.add("head-hash", hex: head.hash.bytes)
        vault.add("head-words", Fingerprint(head.hash).description)
        for commit in stored {
            let hash = CommitHash(sealed: commit.blob)
            let count = try unwrap(session.chain?.graph[hash]).count
            vault.add("commit", "\(count) \(Hex.encode(hash.bytes)) \(Fingerprint(hash).description.replacingOccurrences(of: " ", with: "-"))")
        }
        try write(vault, folder)
        let names = ["commit-first", "commit-second", "commit-other-machine", "commit-join", "commit-password-change",
                     "commit-after-password-change"]
        for (name, commit) in zip(names, stored) {
            var vector = FormatVector(file: name + ".txt")
            vector.add("case", "commit")
            vector.add("expect", "opens")
            keys(&vector, session.vault, nameKey, commitKey)
            vector.add("blob", base64: commit.blob)
            try describe(&vector, try unwrap(session.chain?.graph[CommitHash(sealed: commit.blob)]), blob: commit.blob)
            try write(vector, folder)
        }
        var flipped = FormatVector(file: "commit-flipped-byte.txt")
        flipped.add("case", "commit")
        flipped.add("expect", "damaged")
        keys(&flipped, session.vault, nameKey, commitKey)
        var blob = stored[0].blob
        blob[40] ^= 1
        flipped.add("blob", base64: blob)
        try write(flipped, folder)
        var later = FormatVector(file: "commit-later-format.txt")
        later.comments = ["The last commit's payload with format 2: a later version's, which this one does not change."]
        later.add("case", "commit")
        later.add("expect", "needs newer version")
        keys(&later, session.vault, nameKey, commitKey)
        var payload = try unwrap(session.chain?.graph[head.hash]).encoded()
        payload[1] = 2
        var plain = bigEndian(UInt32(payload.count)) + payload
        plain += [UInt8](repeating: 0, count: CommitSealer.padded - plain.count)
        let sealed = try session.withCommitSealer { sealer in
            try plain.withUnsafeBytes { try AES.GCM.seal($0, using: sealer.key, authenticating: CommitSealer.aad(vault: session.vault)) }
        }
        later.add("blob", base64: [CommitSealer.format, CommitSealer.sizeClass] + sealed)
        try write(later, folder)
    }

    private static func keys(_ vector: inout FormatVector, _ vault: VaultID, _ nameKey: [UInt8], _ commitKey: [UInt8]) {
        vector.add("vault-id", vault.value)
        vector.add("name-key", hex: nameKey)
        vector.add("commit-key", hex: commitKey)
    }

    /// Every field of an opened commit, as the check reads them back.
    static func describe(_ vector: inout FormatVector, _ commit: Commit, blob: [UInt8]) throws {
        let hash = CommitHash(sealed: blob)
        vector.add("hash", hex: hash.bytes)
        vector.add("words", Fingerprint(hash).description)
        vector.add("format", Commit.format)
        vector.add("count", commit.count)
        vector.add("time", commit.time)
        vector.add("machine", hex: commit.machine.bytes)
        vector.add("header-hash", hex: commit.headerHash)
        for parent in commit.parents { vector.add("parent", "\(Hex.encode(parent.hash.bytes)) \(parent.count)") }
        vector.add("accepted", commit.accepted.map { "\(Hex.encode($0.hash.bytes)) \($0.count)" } ?? "-")
        for (machine, ref) in commit.known.sorted(by: { $0.key < $1.key }) {
            vector.add("known", "\(Hex.encode(machine.bytes)) \(Hex.encode(ref.hash.bytes)) \(ref.count)")
        }
        vector.add("manifest-name", hex: commit.manifestName.bytes)
        vector.add("manifest-digest", hex: commit.manifestDigest.bytes)
        for name in commit.releases { vector.add("release", hex: name.bytes) }
        vector.add("epoch", commit.epoch)
        vector.add("signature", hex: commit.signature)
    }

    private static func write(_ vector: FormatVector, _ folder: URL) throws {
        try Data(vector.encoded.utf8).write(to: folder.appendingPathComponent(vector.file))
    }

    static func secret(_ text: String) -> SecretBytes { SecretBytes(copying: Array(text.utf8)) }

    static func unwrap<T>(_ value: T?) throws -> T {
        guard let value else { throw FormatVector.Problem(description: "the chain vector generator lost a value") }
        return value
    }
}

/// Checks a chain vector set: every commit opens to the fields its file lists (or fails as it
/// says), and the vault opens end to end at its head and takes a save onto it.
enum ChainVectorCheck {
    static func check(_ folder: URL) throws {
        let vectors = try FormatVectorFolder.vectors(in: folder)
        XCTAssertEqual(vectors.filter { try! $0.value("case") == "commit" }.count, 8)
        for vector in vectors {
            switch try vector.value("case") {
            case "commit": try checkCommit(vector)
            case "chain-vault": try checkVault(vector, folder)
            default: XCTFail("\(vector.file): no such case")
            }
        }
    }

    static func checkCommit(_ vector: FormatVector) throws {
        let vault = VaultID(try vector.value("vault-id"))
        let nameKey = SecretBytes(copying: try vector.hex("name-key"))
        defer { nameKey.wipe() }
        let key = try HKDF.sha256(key: nameKey, salt: [], info: Array("onions/v2/commits".utf8), count: 32)
        defer { key.wipe() }
        XCTAssertEqual(key.withUnsafeBytes { Array($0) }, try vector.hex("commit-key"), vector.file)
        let blob = try vector.base64("blob")
        let sealer = CommitSealer(vault: vault, key: key)
        switch try vector.value("expect") {
        case "opens":
            let commit = try sealer.open(blob)
            var again = FormatVector(file: vector.file)
            try ChainVectorGenerator.describe(&again, commit, blob: blob)
            let listed = vector.fields.filter { !["case", "expect", "vault-id", "name-key", "commit-key", "blob"].contains($0.key) }
            XCTAssertEqual(again.fields.map { "\($0.key): \($0.value)" }, listed.map { "\($0.key): \($0.value)" }, vector.file)
            XCTAssertEqual(blob.count, 2_078, vector.file)
        case "damaged":
            XCTAssertThrowsError(try sealer.open(blob), vector.file) { XCTAssertEqual($0 as? VaultError, .malformed) }
        case "needs newer version":
            XCTAssertThrowsError(try sealer.open(blob), vector.file) {
                XCTAssertEqual($0 as? VaultError, .needsNewerVersion("a commit of format 2 (this version reads 1)"))
            }
        default:
            XCTFail("\(vector.file): no such outcome")
        }
    }

    static func checkVault(_ vector: FormatVector, _ folder: URL) throws {
        try FormatVectorCheck.inTemporaryFolder { temporary in
            let path = temporary.appendingPathComponent("onions.db").path
            try FileManager.default.copyItem(atPath: folder.appendingPathComponent(try vector.value("file")).path, toPath: path)
            let store = try SQLiteStore(path: path)
            let password = SecretBytes(copying: try vector.text("password"))
            defer { password.wipe() }
            let session = try Session.logIn(store: store, username: try vector.value("username"), password: password,
                                            stateDirectory: temporary.appendingPathComponent("state").path)
            defer { session.lock() }
            XCTAssertEqual(session.vault.value, try vector.value("vault-id"))
            XCTAssertEqual(session.issues, [], "the head binds the header it opened with")
            XCTAssertEqual(session.onions.map { session.title($0) }.sorted(), ["one", "three", "two"])
            let listed = vector.values("commit").map { $0.split(separator: " ").map(String.init) }
            let held = try store.commits(vault: session.vault, since: 0).map { Hex.encode(CommitHash(sealed: $0.blob).bytes) }
            XCTAssertEqual(held, listed.map { $0[1] }, "the commits table, in order")
            for entry in listed {
                XCTAssertEqual(entry[2], Fingerprint(CommitHash(Hex.decode(entry[1]) ?? [])!).description
                    .replacingOccurrences(of: " ", with: "-"))
            }
            let head = try XCTUnwrap(try session.fingerprint())
            XCTAssertEqual(head.words, try vector.value("head-words"))
            XCTAssertEqual(head.count, try vector.number("head-count"))
            XCTAssertEqual(session.chain?.head?.hash.bytes, try vector.hex("head-hash"))
            // Each count on the head's first-parent line has the words listed for it. The file
            // joins the words with hyphens and some words hold one ("felt-tip"), so the words
            // are compared joined the same way, never split back.
            for count in 1...head.count {
                let words = try XCTUnwrap(try session.fingerprint(at: count)?.words, "save \(count)")
                    .replacingOccurrences(of: " ", with: "-")
                let candidates = listed.filter { $0[0] == String(count) }.map { $0[2] }
                XCTAssertTrue(candidates.contains(words), "save \(count): \(words) not in \(candidates)")
            }
            _ = try session.saveOnion(id: nil, title: ChainVectorGenerator.secret("four"),
                                      info: ChainVectorGenerator.secret(""))
            let next = try XCTUnwrap(session.chain?.head)
            XCTAssertEqual(next.count, head.count + 1)
            XCTAssertEqual(session.chain?.graph[next.hash]?.parents.map(\.hash.bytes), [try vector.hex("head-hash")])
        }
    }
}

final class ChainVectorTests: XCTestCase {
    override func invokeTest() { TestingKDFFloor.whileLowered(to: ScryptParameters(logN: 10, r: 8, p: 1)) { super.invokeTest() } }

    static var folder: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Vectors/chain")
    }

    /// The frozen set, unchanged and holding.
    func testTheFrozenChainVectorsHold() throws {
        let frozen = String(decoding: try Data(contentsOf: Self.folder.appendingPathComponent("SHA256SUMS")), as: UTF8.self)
        XCTAssertEqual(try FormatVectorFolder.checksums(of: Self.folder), frozen, "a frozen chain vector changed")
        try ChainVectorCheck.check(Self.folder)
    }

    /// A set made by today's code holds as the frozen one does. ONIONS_WRITE_CHAIN_VECTORS names
    /// a folder to write it into instead of a temporary one (never Vectors/chain on main).
    func testChainVectorsMadeByTodaysCodeHold() throws {
        if let target = ProcessInfo.processInfo.environment["ONIONS_WRITE_CHAIN_VECTORS"], !target.isEmpty {
            try ChainVectorGenerator.write(into: URL(fileURLWithPath: target))
            try ChainVectorCheck.check(URL(fileURLWithPath: target))
            return
        }
        try FormatVectorCheck.inTemporaryFolder { folder in
            try ChainVectorGenerator.write(into: folder)
            try ChainVectorCheck.check(folder)
        }
    }
}
