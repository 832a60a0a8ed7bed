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

    func testThreeOnionsThreeTasksAndThreeCardsHoldTheSameRecordsPerSizeClass() throws {
        var local: [String: Counts] = [:]
        var server: [String: Counts] = [:]
        for kind in ["onions", "tasks", "cards"] {
            let machine = try machine(kind)
            let session = try machine.signUp("count-\(kind)", "pw")
            try fill(kind, session)
            let report = try session.syncNow()
            XCTAssertNil(report.offline, "\(report.lines)")
            var here = Counts()
            for record in try machine.store.changes(vault: session.vault, since: 0) where !record.deleted {
                here.add(length: record.blob.count)
            }
            local[kind] = here
            let rows = try database.adminQuery(
                "SELECT length(blob), count(*) FROM onions.records WHERE vault = $1 AND NOT deleted GROUP BY 1",
                [.text(session.vault.value)])
            var there = Counts()
            for row in 0..<rows.count {
                there.add(length: Int(try XCTUnwrap(rows.integer(row, 0))), count: Int(try XCTUnwrap(rows.integer(row, 1))))
            }
            server[kind] = there
            XCTAssertEqual(there, here, "\(kind): the server holds what this machine holds")
        }
        XCTAssertEqual(local["tasks"], local["onions"], "\(local)")
        XCTAssertEqual(local["cards"], local["onions"], "\(local)")
        XCTAssertEqual(server["tasks"], server["onions"], "\(server)")
        XCTAssertEqual(server["cards"], server["onions"], "\(server)")
        // Three items: three records of each class, besides the fillers and the task counter.
        XCTAssertEqual(local["onions"], Counts(small: 3 + SaveShape.smallPuts + 1, large: 3 + SaveShape.largePuts))
    }
}
