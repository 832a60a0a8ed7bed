import Foundation
@testable import OnionsCore
import OnionsCrypto
import OnionsStore
import XCTest

/// The frozen vault (Vectors/format/vault.sqlite) was written before every task had a large
/// record and every card a small one beside it (FORMAT.md section 5, "companions"): it opens
/// without them, and an item gets its companion at its next write.
final class FormatVectorCompanionTests: XCTestCase {
    let folder = FormatVectorFolder.url

    func testTheFrozenVaultsTasksAndCardsGetTheirCompanionsAtTheirNextWrite() throws {
        let vector = try XCTUnwrap(try FormatVectorFolder.vectors(in: folder).first { $0.file == "vault-sqlite.txt" })
        let password = SecretBytes(copying: try vector.hex("password"))
        defer { password.wipe() }
        try FormatVectorCheck.inTemporaryFolder { temporary in
            let path = temporary.appendingPathComponent("onions.db").path
            let state = temporary.appendingPathComponent("state").path
            try FileManager.default.copyItem(atPath: folder.appendingPathComponent("vault.sqlite").path, toPath: path)
            let username = try vector.value("username")
            let session = try Session.logIn(store: try SQLiteStore(path: path), username: username,
                                            password: password, stateDirectory: state)
            XCTAssertEqual(session.issues, [])
            XCTAssertEqual(session.manifest.entries.keys.filter(\.isCompanion), [], "made before companions")
            let edited = try XCTUnwrap(session.tasks.first).id
            let deleted = try XCTUnwrap(session.tasks.last).id
            XCTAssertNotEqual(edited, deleted)
            let card = try XCTUnwrap(session.cards.first)
            try session.setTask(edited, done: true)
            XCTAssertNotNil(session.manifest.entries[.taskBody(edited)], "the task's body comes with its next write")
            let recipient = session.texts.copy(card.recipient)
            defer { recipient.wipe() }
            try session.saveCard(id: card.id, recipient: recipient, description: SecretBytes(copying: Array("new".utf8)),
                                 cardPassword: SecretBytes(copying: Array("card password 7".utf8)),
                                 kdf: ScryptParameters(logN: 10, r: 8, p: 1))
            XCTAssertNotNil(session.manifest.entries[.cardHead(card.id)], "the card's head comes with its next write")
            // A task without a body is deleted alone; one with a body takes it along.
            try session.deleteTask(deleted)
            XCTAssertNil(session.manifest.tombstones[.taskBody(deleted)])
            try session.deleteTask(edited)
            XCTAssertNotNil(session.manifest.tombstones[.taskBody(edited)])
            session.lock()

            let again = try Session.logIn(store: try SQLiteStore(path: path), username: username,
                                          password: password, stateDirectory: state)
            defer { again.lock() }
            XCTAssertEqual(again.issues, [])
            XCTAssertEqual(again.tasks.count, 0)
            XCTAssertEqual(again.cards.map(\.id), [card.id])
            let description = try again.openCard(card.id, password: SecretBytes(copying: Array("card password 7".utf8)))
            defer { description.wipe() }
            XCTAssertEqual(description.withUnsafeBytes { Array($0) }, Array("new".utf8))
        }
    }
}
