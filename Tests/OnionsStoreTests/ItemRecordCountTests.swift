import Foundation
import OnionsCrypto
@testable import OnionsCore
@testable import OnionsStore
import XCTest

/// Every item is one small and one large record (FORMAT.md section 5), so the records of each
/// size class count items, not kinds: a vault of three onions, one of three tasks and one of
/// three cards hold the same number of small and of large records, here and on the server.
final class ItemRecordCountTests: SyncTestCase {
    /// Live records per sealed length (the size class, which anyone sees): small, large.
    private struct Counts: Equatable, CustomStringConvertible {
        var small = 0
        var large = 0
        var description: String { "\(small) small, \(large) large" }

        /// Sealed lengths of the small and large class (FORMAT.md section 6).
        static let smallLength = 1_310, largeLength = 8_478

        mutating func add(length: Int, count: Int = 1) {
            if length == Self.smallLength { small += count }
            if length == Self.largeLength { large += count }
        }
    }

    private func fill(_ kind: String, _ session: Session) throws {
        for n in 1...3 {
            switch kind {
            case "onions": _ = try session.saveOnion(id: nil, title: secret("onion \(n)"), info: secret("info \(n)"))
            case "tasks": _ = try session.addTask(secret("task \(n)"))
            default:
                _ = try session.saveCard(id: nil, recipient: secret("card \(n)"), description: secret("text \(n)"),
                                         cardPassword: secret("card pass"), kdf: ScryptParameters(logN: 10, r: 8, p: 1))
            }
        }
    }

    /// The live records of `session`'s vault per size class: in `machine`'s store, and on the
    /// server its records' newest rows (what the server holds under server names, turned into
    /// records with the session's naming key) and every row it holds.
    private func counts(_ session: Session, on machine: SyncMachine) throws -> (local: Counts, server: Counts, rows: Counts) {
        var here = Counts()
        for record in try machine.store.changes(vault: session.vault, since: 0) where !record.deleted {
            here.add(length: record.blob.count)
        }
        let rows = try database.adminQuery("SELECT name, length(blob), deleted FROM onions.records WHERE vault = $1",
                                           [.text(session.vault.value)])
        let namer = try ServerNames(nameKey: session.keys.nameKey)
        defer { namer.wipe() }
        var newest: [RecordName: (version: UInt64, length: Int, deleted: Bool)] = [:]
        var every = Counts()
        for row in 0..<rows.count {
            let bytes = try XCTUnwrap(rows.bytes(row, 0)), length = Int(try XCTUnwrap(rows.integer(row, 1)))
            let deleted = rows.bool(row, 2) == true
            if !deleted { every.add(length: length) }
            let (name, version) = namer.open(RecordName(bytes)) ?? (RecordName(bytes), 0)
            if version >= newest[name]?.version ?? 0 { newest[name] = (version, length, deleted) }
        }
        var there = Counts()
        for row in newest.values where !row.deleted { there.add(length: row.length) }
        return (here, there, every)
    }

    func testThreeOnionsThreeTasksAndThreeCardsHoldTheSameRecordsPerSizeClass() throws {
        var local: [String: Counts] = [:]
        var server: [String: Counts] = [:]
        var rows: [String: Counts] = [:]
        for kind in ["onions", "tasks", "cards"] {
            let machine = try machine(kind)
            let session = try machine.signUp("count-\(kind)", "pw")
            try fill(kind, session)
            let report = try session.syncNow()
            XCTAssertNil(report.offline, "\(report.lines)")
            let (here, there, every) = try counts(session, on: machine)
            local[kind] = here
            server[kind] = there
            rows[kind] = every
            XCTAssertEqual(there, here, "\(kind): the server holds what this machine holds")
        }
        // What the operator counts (every row, versions included) is the same for each kind too.
        XCTAssertEqual(rows["tasks"], rows["onions"], "\(rows)")
        XCTAssertEqual(rows["cards"], rows["onions"], "\(rows)")
        XCTAssertEqual(local["tasks"], local["onions"], "\(local)")
        XCTAssertEqual(local["cards"], local["onions"], "\(local)")
        XCTAssertEqual(server["tasks"], server["onions"], "\(server)")
        XCTAssertEqual(server["cards"], server["onions"], "\(server)")
        // Three items: three records of each class, besides the fillers and the task counter.
        XCTAssertEqual(local["onions"], Counts(small: 3 + SaveShape.smallPuts + 1, large: 3 + SaveShape.largePuts))
    }

    /// A draft and the settings are items too: a vault of two onions with a draft and changed
    /// settings holds what a vault of four onions holds, here and on the server, and so does
    /// one whose draft was saved and cleared again with an onion saved.
    func testADraftAndTheSettingsCountAsItemsNotAsKinds() throws {
        var local: [String: Counts] = [:]
        var server: [String: Counts] = [:]
        for vault in ["onions", "draft and settings", "draft cleared"] {
            let machine = try machine(vault.replacingOccurrences(of: " ", with: "-"))
            let session = try machine.signUp("count-\(vault.replacingOccurrences(of: " ", with: "-"))", "pw")
            let onions = vault == "onions" ? 4 : vault == "draft cleared" ? 3 : 2
            for n in 0..<onions { _ = try session.saveOnion(id: nil, title: secret("onion \(n)"), info: secret("info")) }
            if vault != "onions" {
                try session.saveDraft(Draft(target: nil, title: secret("half"), info: secret("way")))
            }
            if vault == "draft and settings" { try session.setListOrder(.title) }
            if vault == "draft cleared" {
                try session.clearDraft()
                try session.setListOrder(.title)
            }
            XCTAssertNil(try session.syncNow().offline)
            let (here, there, _) = try counts(session, on: machine)
            XCTAssertEqual(there, here, "\(vault): the server holds what this machine holds")
            local[vault] = here
            server[vault] = there
        }
        XCTAssertEqual(local["draft and settings"], local["onions"], "\(local)")
        XCTAssertEqual(server["draft and settings"], server["onions"], "\(server)")
        XCTAssertEqual(local["onions"], Counts(small: 4 + SaveShape.smallPuts + 1, large: 4 + SaveShape.largePuts))
        // A cleared draft leaves tombstones only; the settings are the fourth item.
        XCTAssertEqual(local["draft cleared"], local["onions"], "\(local)")
        XCTAssertEqual(server["draft cleared"], server["onions"], "\(server)")
    }
}
