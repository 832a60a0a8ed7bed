@testable import OnionsCore
import OnionsCrypto
import XCTest

/// A record sealed with the vault's own keys but with bytes after its payload's layout is
/// reported as damaged, wherever the session reads it.
final class OverlongRecordTests: VaultTestCase {
    /// Re-seals the record of `key` at its version with one byte appended to its payload.
    private func lengthen(_ key: LogicalKey, in session: Session, sizeClass: SizeClass) throws {
        let name = session.keys.name(key)
        let record = try XCTUnwrap(try store.record(vault: session.vault, name: name))
        let payload = try session.sealer.open(record)
        let longer = SecretBytes(count: 0, capacity: payload.count + 1)
        XCTAssertTrue(longer.append(payload))
        XCTAssertTrue(longer.append(byte: 0))
        let blob = try session.sealer.seal(longer, name: name, version: record.version, sizeClass: sizeClass)
        store.tamper(vault: session.vault, name: name) {
            $0 = StoredRecord(name: $0.name, version: $0.version, blob: blob, deleted: false, sequence: $0.sequence)
        }
        // Bound in the open session's manifest, so that only the payload's reader can refuse it.
        session.manifest.setDigest(key, try XCTUnwrap(RecordDigest(blob: blob)))
    }

    /// Overlong records read at log in are damaged, not merely replaced (their digest differs too).
    func testOverlongRecordsAreReportedByNameAtLogIn() throws {
        let session = try signUp()
        let onion = try saveOnion(session, title: "Groceries", info: "milk")
        let task = try session.addTask(secret("buy milk"))
        let card = try saveCard(session, to: "Mum", description: "hi", password: "card pass")
        try session.saveDraft(Draft(target: nil, title: secret("Half"), info: secret("written")))
        try lengthen(.onionTitle(onion), in: session, sizeClass: .small)
        try lengthen(.task(task), in: session, sizeClass: .small)
        try lengthen(.card(card), in: session, sizeClass: .large)
        try lengthen(session.draftKey, in: session, sizeClass: .large)
        session.lock()

        let again = try logIn()
        defer { again.lock() }
        let damaged = again.issues.filter { $0.kind == .damaged }.map(\.label)
        XCTAssertEqual(Set(damaged), ["onion 'Groceries'", "task 'buy milk'", "card for 'Mum'", "the draft"])
        XCTAssertTrue(again.onions.isEmpty && again.tasks.isEmpty && again.cards.isEmpty, "nothing damaged is shown")
        XCTAssertNil(again.draft)
    }

    func testAnOverlongInfoOrCardIsDamagedWhenOpened() throws {
        let session = try signUp()
        defer { session.lock() }
        let onion = try saveOnion(session, title: "Groceries", info: "milk")
        let card = try saveCard(session, to: "Mum", description: "hi", password: "card pass")
        try lengthen(.onionInfo(onion), in: session, sizeClass: .large)
        XCTAssertThrowsError(try session.info(of: onion)) { error in
            XCTAssertEqual("\(error)", "\(VaultError.damaged("the info of onion 'Groceries'"))")
        }
        try lengthen(.card(card), in: session, sizeClass: .large)
        XCTAssertThrowsError(try session.openCard(card, password: secret("card pass"))) { error in
            guard case VaultError.malformed = error else { return XCTFail("\(error)") }
        }
    }
}
