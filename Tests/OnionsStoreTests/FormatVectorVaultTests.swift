import Foundation
@testable import OnionsCore
import OnionsCrypto
import OnionsStore
import XCTest

/// The frozen SQLite vault (Vectors/format/vault.sqlite, made by the code of 1de4bde's format):
/// today's `Session` opens it end to end, lists what it holds, and goes on saving into it.
final class FormatVectorVaultTests: XCTestCase {
    let folder = FormatVectorFolder.url

    func sqliteVector() throws -> FormatVector {
        try XCTUnwrap(try FormatVectorFolder.vectors(in: folder).first { $0.file == "vault-sqlite.txt" })
    }

    func testTheFrozenVaultOpensListsItsItemsAndTakesANewSave() throws {
        let vector = try sqliteVector()
        let password = SecretBytes(copying: try vector.hex("password"))
        defer { password.wipe() }
        // Every onion, card, task, the draft and the settings, as vault-sqlite.txt lists them.
        XCTAssertEqual(FormatVectorCheck.failures(of: vector, in: folder), [])
        try FormatVectorCheck.inTemporaryFolder { temporary in
            let path = temporary.appendingPathComponent("onions.db").path
            let state = temporary.appendingPathComponent("state").path
            try FileManager.default.copyItem(atPath: folder.appendingPathComponent("vault.sqlite").path, toPath: path)
            let session = try Session.logIn(store: try SQLiteStore(path: path), username: try vector.value("username"),
                                            password: password, stateDirectory: state)
            let counter = session.vaultCounter
            XCTAssertEqual(session.onions.count, 3)
            XCTAssertEqual(session.cards.count, 1)
            XCTAssertEqual(session.tasks.count, 2)
            let added = try session.saveOnion(id: nil, title: SecretBytes(copying: Array("Saved today".utf8)),
                                              info: SecretBytes(copying: Array("after the freeze".utf8)))
            _ = try session.addTask(SecretBytes(copying: Array("a new task".utf8)))
            session.lock()

            let again = try Session.logIn(store: try SQLiteStore(path: path), username: try vector.value("username"),
                                          password: password, stateDirectory: state)
            defer { again.lock() }
            XCTAssertEqual(again.issues, [])
            XCTAssertEqual(again.vaultCounter, counter + 2)
            XCTAssertEqual(again.onions.count, 4)
            let info = try again.info(of: added)
            defer { info.wipe() }
            XCTAssertEqual(info.withUnsafeBytes { Array($0) }, Array("after the freeze".utf8))
            XCTAssertEqual(Set(again.tasks.map { again.texts.string($0.text) }), ["buy stamps", "file taxes", "a new task"])
            for card in again.cards {
                let description = try again.openCard(card.id, password: SecretBytes(copying: Array("card password 7".utf8)))
                defer { description.wipe() }
                XCTAssertEqual(description.withUnsafeBytes { Array($0) }, Array("door code 4711\nkey under the mat".utf8))
            }
        }
    }

    /// The frozen vault has no commit; its first save today starts the chain (count 1, no
    /// parent), the next follows it, and both are in the store's commits table.
    func testTheFrozenVaultBecomesAChainAtItsFirstSave() throws {
        let vector = try sqliteVector()
        let password = SecretBytes(copying: try vector.hex("password"))
        defer { password.wipe() }
        try FormatVectorCheck.inTemporaryFolder { temporary in
            let path = temporary.appendingPathComponent("onions.db").path
            let state = temporary.appendingPathComponent("state").path
            try FileManager.default.copyItem(atPath: folder.appendingPathComponent("vault.sqlite").path, toPath: path)
            let store = try SQLiteStore(path: path)
            let session = try Session.logIn(store: store, username: try vector.value("username"),
                                            password: password, stateDirectory: state)
            defer { session.lock() }
            XCTAssertNil(try session.fingerprint(), "no save since the freeze: no chain yet")
            XCTAssertEqual(try store.commits(vault: session.vault, since: 0), [])
            _ = try session.saveOnion(id: nil, title: SecretBytes(copying: Array("first".utf8)),
                                      info: SecretBytes(copying: Array("".utf8)))
            let first = try XCTUnwrap(session.chain?.head)
            XCTAssertEqual(first.count, 1)
            XCTAssertEqual(session.chain?.graph[first.hash]?.parents, [])
            _ = try session.saveOnion(id: nil, title: SecretBytes(copying: Array("second".utf8)),
                                      info: SecretBytes(copying: Array("".utf8)))
            let second = try XCTUnwrap(session.chain?.head)
            XCTAssertEqual(session.chain?.graph[second.hash]?.parents.map(\.hash), [first.hash])
            XCTAssertEqual(try store.commits(vault: session.vault, since: 0).map { CommitHash(sealed: $0.blob) },
                           [first.hash, second.hash])
            XCTAssertEqual(try session.fingerprint(at: 1)?.words, Fingerprint(first.hash).description)
        }
    }

    /// The onion title of record-onion-title.txt lies in the file as its blob; one byte of it
    /// changed there, and the log in reports the onion damaged.
    func testAFlippedByteInTheFrozenVaultIsReported() throws {
        let title = try XCTUnwrap(try FormatVectorFolder.vectors(in: folder).first { $0.file == "record-onion-title.txt" })
        let blob = try title.base64("blob")
        var file = [UInt8](try Data(contentsOf: folder.appendingPathComponent("vault.sqlite")))
        let at = try XCTUnwrap(firstIndex(of: blob, in: file), "the title's blob is in the file as it is")
        file[at + blob.count / 2] ^= 0x01
        try FormatVectorCheck.inTemporaryFolder { temporary in
            try Data(file).write(to: temporary.appendingPathComponent("vault.sqlite"))
            let failures = FormatVectorCheck.failures(of: try sqliteVector(), in: temporary)
            XCTAssertTrue(failures.contains { $0.contains("damaged") }, "\(failures)")
        }
    }

    func firstIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        return (0...(haystack.count - needle.count)).first { i in
            haystack[i] == needle[0] && haystack[i..<(i + needle.count)].elementsEqual(needle)
        }
    }
}

/// Makes a fresh set of vectors from today's code and checks it as the frozen set is checked.
/// With ONIONS_WRITE_FORMAT_VECTORS set to a folder it writes them there instead of a temporary
/// folder; `1` names Vectors/format itself, replacing the frozen set (see the README there).
final class FormatVectorGeneratorTests: XCTestCase {
    func testVectorsMadeByTodaysCodeHold() throws {
        let target = ProcessInfo.processInfo.environment["ONIONS_WRITE_FORMAT_VECTORS"].flatMap { $0.isEmpty ? nil : $0 }
        try FormatVectorCheck.inTemporaryFolder { temporary in
            let folder = target.map { $0 == "1" ? FormatVectorFolder.url : URL(fileURLWithPath: $0) } ?? temporary
            var generator = FormatVectorGenerator(folder: folder)
            try generator.run()
            let vectors = try FormatVectorFolder.vectors(in: folder)
            XCTAssertGreaterThanOrEqual(vectors.count, 25)
            for vector in vectors {
                XCTAssertEqual(FormatVectorCheck.failures(of: vector, in: folder), [], vector.file)
            }
        }
    }
}
