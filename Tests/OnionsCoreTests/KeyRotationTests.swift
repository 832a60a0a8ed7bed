import OnionsCrypto
@testable import OnionsCore
import XCTest

/// `passwd --rotate`: a new data key seals every record again, so whoever kept the old password
/// and the old header opens nothing written afterwards; plain `passwd` leaves that possible.
final class KeyRotationTests: VaultTestCase {
    /// The keys an old password opens from an old header, as an attacker who kept both has them.
    private func keys(from header: VaultHeaderBlob, vault: VaultID, password: String) throws -> DataKeys {
        let parameters = try VaultParameters(decoding: header.parameters)
        let pk = try PasswordKeys(typed: secret(password), parameters: parameters)
        defer { pk.wipe() }
        let dataKey = try pk.unwrap(header.wrappedKey, vault: vault, parameters: header.parameters)
        defer { dataKey.wipe() }
        return try DataKeys(dataKey: dataKey)
    }

    /// The head record holds the last save's commit, sealed with the commit key, not as a record.
    private func headName(_ keys: DataKeys) -> RecordName {
        RecordName(HMAC.sha256(key: keys.nameKey, message: Array("onions/head".utf8)))
    }

    /// How many of the vault's live records `keys` opens (the head record left out).
    private func opened(by keys: DataKeys, _ vault: VaultID) throws -> (opened: Int, of: Int) {
        let sealer = RecordSealer(vault: vault, keys: keys)
        let records = try store.records(vault: vault).filter { $0.name != headName(keys) }
        let opened = records.filter { record in (try? sealer.open(record)).map { $0.wipe(); return true } ?? false }
        return (opened.count, records.count)
    }

    private func vaultWithEveryKind() throws -> Session {
        let session = try signUp()
        try saveOnion(session, title: "Groceries", info: "milk")
        try saveCard(session, to: "Bob", description: "a scarf", password: "bob")
        _ = try session.addTask(secret("call mom"))
        return session
    }

    func testAfterARotationTheOldPasswordAndHeaderOpenNothingWrittenAfterwards() throws {
        let session = try vaultWithEveryKind()
        let vault = session.vault
        let oldHeader = try XCTUnwrap(try store.header(vault: vault))
        let old = try keys(from: oldHeader, vault: vault, password: "correct horse")
        defer { old.wipe() }
        let before = try opened(by: old, vault)
        XCTAssertEqual(before.opened, before.of, "the control: the old keys open every record before")
        let versionsBefore = Dictionary(uniqueKeysWithValues: try store.records(vault: vault).map { ($0.name, $0.version) })

        try session.changePassword(to: secret("new password"), kdf: cheap, rotate: true)
        XCTAssertEqual(session.issues, [])
        let after = try opened(by: old, vault)
        XCTAssertEqual(after.of, before.of, "the same records, under the same names")
        XCTAssertEqual(after.opened, 0, "the old keys open nothing")
        for record in try store.records(vault: vault) where record.name != headName(old) {
            XCTAssertEqual(record.version, try XCTUnwrap(versionsBefore[record.name]) + 1, "each version advanced once")
        }
        try saveOnion(session, title: "Plans", info: "monday")
        XCTAssertEqual(try opened(by: old, vault).opened, 0, "nor what is saved afterwards")

        session.lock()
        let again = try logIn(password: "new password")
        XCTAssertEqual(again.issues, [])
        XCTAssertEqual(titles(again).sorted(), ["Groceries", "Plans"])
        XCTAssertEqual(text(try again.info(of: try XCTUnwrap(onion(again, titled: "Groceries")).id)), "milk")
        XCTAssertEqual(text(try again.openCard(try XCTUnwrap(again.cards.first).id, password: secret("bob"))), "a scarf")
        XCTAssertEqual(taskTexts(again), [0: "call mom"])
    }

    func testPlainPasswdLeavesEveryRecordOpenToTheOldPasswordAndHeader() throws {
        let session = try vaultWithEveryKind()
        let oldHeader = try XCTUnwrap(try store.header(vault: session.vault))
        try session.changePassword(to: secret("new password"), kdf: cheap)
        try saveOnion(session, title: "Plans", info: "monday")
        let old = try keys(from: oldHeader, vault: session.vault, password: "correct horse")
        defer { old.wipe() }
        let result = try opened(by: old, session.vault)
        XCTAssertEqual(result.opened, result.of, "what plain passwd says: records are not re-encrypted")
    }

    func testARotationRefusesAVaultWithUnacceptedStoreProblems() throws {
        let session = try vaultWithEveryKind()
        let title = session.keys.name(.onionTitle(try XCTUnwrap(onion(session, titled: "Groceries")).id))
        session.lock()
        store.contents.records[session.vault]?[title] = nil
        let again = try logIn()
        XCTAssertTrue(again.isReadOnly)
        let header = try store.header(vault: again.vault)
        XCTAssertThrowsError(try again.changePassword(to: secret("new password"), kdf: cheap, rotate: true))
        XCTAssertEqual(try store.header(vault: again.vault), header, "nothing changed")
    }
}
