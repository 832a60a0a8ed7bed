@testable import OnionsCore
import OnionsCrypto
import XCTest

/// A store that alters, swaps, deletes or replays single records is caught: each change is
/// reported by the name of what it hit, and nothing altered is shown as data.
final class RecordTamperingTests: VaultTestCase {
    private var session: Session!
    private var groceries: ItemID!
    /// The title and info records of "Groceries", and of "Garden".
    private var groceriesTitle: StoredRecord!
    private var groceriesInfo: StoredRecord!
    private var gardenTitle: StoredRecord!
    private var gardenInfo: StoredRecord!

    override func setUpWithError() throws {
        try super.setUpWithError()
        session = try signUp()
        var written = try recordsWritten(of: session) {
            groceries = try saveOnion(session, title: "Groceries", info: "milk")
        }
        groceriesTitle = try record(ofLength: SealedLength.small, in: written)
        groceriesInfo = try record(ofLength: SealedLength.large, in: written)
        written = try recordsWritten(of: session) { try saveOnion(session, title: "Garden", info: "roses") }
        gardenTitle = try record(ofLength: SealedLength.small, in: written)
        gardenInfo = try record(ofLength: SealedLength.large, in: written)
        session.lock()
    }

    private var vault: VaultID { session.vault }

    private func flip(_ record: StoredRecord, at index: Int) {
        store.tamper(vault: vault, name: record.name) { $0 = StoredRecord(
            name: $0.name, version: $0.version, blob: flipped($0.blob, at: index), deleted: false, sequence: $0.sequence) }
    }

    private func flipped(_ blob: [UInt8], at index: Int) -> [UInt8] {
        var copy = blob
        copy[index] ^= 0x01
        return copy
    }

    private func replaceBlob(of record: StoredRecord, with blob: [UInt8], version: UInt64? = nil) {
        store.tamper(vault: vault, name: record.name) { $0 = StoredRecord(
            name: $0.name, version: version ?? $0.version, blob: blob, deleted: false, sequence: $0.sequence) }
    }

    private func assertIssue(_ kind: IntegrityIssue.Kind, naming name: String, in session: Session,
                             file: StaticString = #filePath, line: UInt = #line) {
        let matching = session.issues.filter { $0.kind == kind && $0.label.contains(name) }
        XCTAssertEqual(matching.count, 1, "no \(kind) issue naming \(name) in \(session.issues)", file: file, line: line)
        if let issue = matching.first {
            XCTAssertTrue(issue.description.contains(name), issue.description, file: file, line: line)
        }
    }

    // MARK: Altered bytes

    func testAFlippedByteAnywhereInATitleRecordIsReportedByNameAndTheOnionIsHidden() throws {
        let original = groceriesTitle.blob
        for index in [0, 1, 2, 13, 14, 100, original.count - 17, original.count - 1] {
            flip(groceriesTitle, at: index)
            let reopened = try logIn()
            assertIssue(.damaged, naming: "Groceries", in: reopened)
            XCTAssertEqual(reopened.issues.count, 1, "byte \(index): \(reopened.issues)")
            XCTAssertEqual(titles(reopened), ["Garden"], "byte \(index)")
            replaceBlob(of: groceriesTitle, with: original)
        }
        let healed = try logIn()
        XCTAssertEqual(Set(titles(healed)), ["Groceries", "Garden"])
        XCTAssertTrue(healed.issues.isEmpty, "\(healed.issues)")
    }

    func testAFlippedByteInAnInfoRecordIsReportedByNameWhenTheInfoIsOpened() throws {
        flip(groceriesInfo, at: 500)
        let reopened = try logIn()
        XCTAssertEqual(Set(titles(reopened)), ["Groceries", "Garden"], "titles open; infos open on demand")
        assertDamaged(naming: "Groceries") { try reopened.info(of: groceries) }
        assertIssue(.damaged, naming: "Groceries", in: reopened)
        XCTAssertEqual(text(try reopened.info(of: try XCTUnwrap(onion(reopened, titled: "Garden")).id)), "roses")
    }

    func testTruncatedEmptyAndGarbageBlobsAreReportedNotCrashed() throws {
        let original = groceriesTitle.blob
        let replacements: [[UInt8]] = [
            [], [1], [1, 1], Array(original.prefix(40)), Array(original.prefix(original.count - 1)),
            original + [0], SecureRandom.bytes(original.count), [1, 9] + original.dropFirst(2),
        ]
        for (index, blob) in replacements.enumerated() {
            replaceBlob(of: groceriesTitle, with: blob)
            let reopened = try logIn()
            assertIssue(.damaged, naming: "Groceries", in: reopened)
            XCTAssertEqual(titles(reopened), ["Garden"], "replacement \(index)")
        }
        replaceBlob(of: groceriesInfo, with: [])
        replaceBlob(of: groceriesTitle, with: original)
        assertDamaged(naming: "Groceries") { try logIn().info(of: groceries) }
    }

    // MARK: Moved records

    func testTwoTitleBlobsSwappedAreBothReportedByName() throws {
        replaceBlob(of: groceriesTitle, with: gardenTitle.blob)
        replaceBlob(of: gardenTitle, with: groceriesTitle.blob)
        let reopened = try logIn()
        assertIssue(.damaged, naming: "Groceries", in: reopened)
        assertIssue(.damaged, naming: "Garden", in: reopened)
        XCTAssertTrue(reopened.onions.isEmpty, "a swapped record was shown: \(titles(reopened))")
    }

    func testTwoInfoBlobsSwappedDoNotOpenAsEachOther() throws {
        replaceBlob(of: groceriesInfo, with: gardenInfo.blob)
        replaceBlob(of: gardenInfo, with: groceriesInfo.blob)
        let reopened = try logIn()
        let garden = try XCTUnwrap(onion(reopened, titled: "Garden")).id
        assertDamaged(naming: "Groceries") { try reopened.info(of: groceries) }
        assertDamaged(naming: "Garden") { try reopened.info(of: garden) }
    }

    func testATitleBlobPutWhereAnInfoBelongsIsReported() throws {
        replaceBlob(of: groceriesInfo, with: groceriesTitle.blob)
        assertDamaged(naming: "Groceries") { try logIn().info(of: groceries) }
    }

    func testABlobReplayedUnderAHigherVersionDoesNotOpen() throws {
        let reopened = try logIn()
        try saveOnion(reopened, id: groceries, title: "Groceries", info: "milk and bread")
        reopened.lock()
        // The old version 1 blob relabelled as version 2, which the manifest lists.
        replaceBlob(of: groceriesInfo, with: groceriesInfo.blob, version: 2)
        assertDamaged(naming: "Groceries") { try logIn().info(of: groceries) }
    }

    // MARK: Old and missing records

    func testAnOlderVersionOfATitleIsReportedByItsCurrentName() throws {
        let reopened = try logIn()
        try saveOnion(reopened, id: groceries, title: "Shopping", info: "milk and bread")
        reopened.lock()
        replaceBlob(of: groceriesTitle, with: groceriesTitle.blob, version: groceriesTitle.version)
        let rolled = try logIn()
        assertIssue(.older, naming: "Shopping", in: rolled)
        XCTAssertEqual(titles(rolled), ["Garden"], "the old title was shown")
        XCTAssertFalse(rolled.issues.description.contains("Groceries"))
    }

    func testAnOlderVersionOfAnInfoIsRefusedWhenOpened() throws {
        let reopened = try logIn()
        try saveOnion(reopened, id: groceries, title: "Groceries", info: "milk and bread")
        reopened.lock()
        replaceBlob(of: groceriesInfo, with: groceriesInfo.blob, version: groceriesInfo.version)
        let rolled = try logIn()
        assertIssue(.older, naming: "Groceries", in: rolled)
        assertDamaged(naming: "Groceries") { try rolled.info(of: groceries) }
    }

    func testADeletedTitleRecordIsReportedMissingByName() throws {
        store.erase(vault: vault, name: groceriesTitle.name)
        let reopened = try logIn()
        assertIssue(.missing, naming: "Groceries", in: reopened)
        XCTAssertEqual(titles(reopened), ["Garden"])
    }

    func testADeletedInfoRecordIsReportedMissingByName() throws {
        store.erase(vault: vault, name: groceriesInfo.name)
        let reopened = try logIn()
        assertIssue(.missing, naming: "Groceries", in: reopened)
        assertDamaged(naming: "Groceries") { try reopened.info(of: groceries) }
    }

    func testARecordDeletedWhileTheVaultIsOpenIsReportedWhenRead() throws {
        let reopened = try logIn()
        XCTAssertTrue(reopened.issues.isEmpty)
        store.erase(vault: vault, name: groceriesInfo.name)
        assertDamaged(naming: "Groceries") { try reopened.info(of: groceries) }
        assertIssue(.missing, naming: "Groceries", in: reopened)
    }

    func testRecordsReplayedAfterADeleteAreReportedAndNotShown() throws {
        let reopened = try logIn()
        try reopened.deleteOnion(groceries)
        reopened.lock()
        // The store brings both records back as they were before the delete.
        store.contents.records[vault]?[groceriesTitle.name] = groceriesTitle
        store.contents.records[vault]?[groceriesInfo.name] = groceriesInfo
        let replayed = try logIn()
        XCTAssertEqual(replayed.issues.filter { $0.kind == .reAdded }.count, 2, "\(replayed.issues)")
        XCTAssertEqual(titles(replayed), ["Garden"])
    }

    // MARK: Other kinds of record

    func testATamperedCardAndTaskAreReportedByRecipientAndText() throws {
        let reopened = try logIn()
        let card = try recordsWritten(of: reopened) {
            try saveCard(reopened, to: "Alice", description: "a scarf", password: "snow")
        }.first { $0.blob.count == SealedLength.large }
        let task = try recordsWritten(of: reopened) { try reopened.addTask(secret("buy milk")) }
        // The task's record is the one small record that the next task does not rewrite.
        let counter = try recordsWritten(of: reopened) { try reopened.addTask(secret("call mum")) }
        let taskRecord = try XCTUnwrap(task.first { r in r.blob.count == SealedLength.small
            && !counter.contains { $0.name == r.name } })
        reopened.lock()
        flip(try XCTUnwrap(card), at: 300)
        flip(taskRecord, at: 300)
        let tampered = try logIn()
        assertIssue(.damaged, naming: "Alice", in: tampered)
        assertIssue(.damaged, naming: "buy milk", in: tampered)
        XCTAssertTrue(tampered.cards.isEmpty)
        XCTAssertEqual(taskTexts(tampered), [1: "call mum"])
    }

    func testACardLostOrReplayedWhileTheVaultIsOpenIsReportedForWhatHappened() throws {
        let reopened = try logIn()
        var card: ItemID?
        let written = try recordsWritten(of: reopened) {
            card = try saveCard(reopened, to: "Alice", description: "a scarf", password: "snow")
        }
        let cardRecord = try XCTUnwrap(written.first { $0.blob.count == SealedLength.large })
        let id = try XCTUnwrap(card)
        try saveCard(reopened, id: id, to: "Alice", description: "a hat", password: "snow")
        store.contents.records[vault]?[cardRecord.name] = cardRecord
        assertDamaged(naming: "Alice") { try reopened.openCard(id, password: secret("snow")) }
        assertIssue(.older, naming: "Alice", in: reopened)
        store.erase(vault: vault, name: cardRecord.name)
        assertDamaged(naming: "Alice") { try reopened.openCard(id, password: secret("snow")) }
        assertIssue(.missing, naming: "Alice", in: reopened)
    }

    func testADamagedManifestIsReportedAndNothingUnlistedIsShown() throws {
        let opened = try logIn()
        // The fillers and the task counter that sign-up writes.
        let fillerNames = fillerNames(opened).union([opened.keys.name(.taskCounter)])
        opened.lock()
        let fillers = try store.records(vault: vault).filter { fillerNames.contains($0.name) }.count
        let manifest = try XCTUnwrap(store.changes(vault: vault, since: 0).first { SealedLength.isManifest($0.blob) })
        flip(manifest, at: 200)
        let reopened = try logIn()
        XCTAssertTrue(reopened.issues.contains { $0.kind == .manifest }, "\(reopened.issues)")
        XCTAssertTrue(reopened.onions.isEmpty)
        XCTAssertTrue(reopened.issues.contains { $0.kind == .unlisted(count: 4 + fillers) }, "\(reopened.issues)")
    }

    func testAMissingManifestIsReported() throws {
        let manifest = try XCTUnwrap(store.changes(vault: vault, since: 0).first { SealedLength.isManifest($0.blob) })
        store.erase(vault: vault, name: manifest.name)
        let reopened = try logIn()
        XCTAssertTrue(reopened.issues.contains { $0.kind == .manifest }, "\(reopened.issues)")
        XCTAssertTrue(reopened.onions.isEmpty)
    }
}
