import CLibPQ
import OnionsCore
@testable import OnionsStore
import XCTest

/// The read budget on results made here (libpq's PQmakeEmptyPGresult), without a server:
/// exactly the budget is read, one row over is refused naming the server, rows larger than an
/// ordinary record count twice while read (libpq's copy), and the budget is shared by every
/// answer of a round until the round starts again.
final class PostgresRowBudgetTests: XCTestCase {
    private let server = "the server db.example.org:5432"

    /// A one-row bytea result with one column per length.
    private func result(lengths: [Int]) throws -> OpaquePointer {
        let made = try XCTUnwrap(PQmakeEmptyPGresult(nil, PGRES_SINGLE_TUPLE))
        var name = Array("blob".utf8CString)
        let described = name.withUnsafeMutableBufferPointer { pointer -> Int32 in
            var attributes = [PGresAttDesc](repeating: PGresAttDesc(name: pointer.baseAddress, tableid: 0, columnid: 0,
                                                                    format: 1, typid: 17, typlen: -1, atttypmod: -1),
                                            count: lengths.count)
            return PQsetResultAttrs(made, Int32(lengths.count), &attributes)
        }
        XCTAssertEqual(described, 1)
        for (column, length) in lengths.enumerated() {
            var value = [CChar](repeating: 0x78, count: max(1, length))
            XCTAssertEqual(PQsetvalue(made, 0, Int32(column), &value, Int32(length)), 1)
        }
        return made
    }

    private func result(length: Int) throws -> OpaquePointer { try result(lengths: [length]) }

    func testLargeRowsCountTwiceWhileReadAndAreRefusedPastTheBudget() throws {
        let budget = PostgresReadBudget()
        var rows = PostgresRows(server: server, budget: budget)
        let large = 1 << 20
        let one = try result(length: large)
        defer { PQclear(one) }
        var accepted = 0
        do {
            while accepted < 1_000 {
                try rows.append(one)
                accepted += 1
            }
        } catch {
            XCTAssertEqual(error as? StoreError, .damaged("\(server) sent more than a vault can hold (over "
                + "\(PostgresReadBudget.largeBytes >> 20) MiB of manifest-sized records in one sync); its answer was refused"))
        }
        XCTAssertEqual(rows.count, accepted, "the refused row was not copied")
        // The copies kept, the one being made and libpq's never pass the budget; one more would.
        XCTAssertLessThanOrEqual((accepted + 1) * large, PostgresReadBudget.largeBytes)
        XCTAssertGreaterThan((accepted + 2) * large, PostgresReadBudget.largeBytes)
    }

    func testTheLargestManifestFitsOnceAndNotTwiceInARound() throws {
        let budget = PostgresReadBudget()
        let manifest = try result(lengths: [32, 8, Limits.maximumBlobBytes, 1, 8])
        defer { PQclear(manifest) }
        var first = PostgresRows(server: server, budget: budget)
        try first.append(manifest)
        var second = PostgresRows(server: server, budget: budget)
        XCTAssertThrowsError(try second.append(manifest), "a second answer shares the round's budget")
        budget.reset()
        var next = PostgresRows(server: server, budget: budget)
        XCTAssertNoThrow(try next.append(manifest), "a new round has the whole budget")
    }

    func testOrdinaryRowsCountAsTheVaultsRows() throws {
        let budget = PostgresReadBudget()
        var rows = PostgresRows(server: server, budget: budget)
        let ordinary = try result(lengths: [32, 8, 8_478, 1, 8])
        defer { PQclear(ordinary) }
        for _ in 0..<(PostgresReadBudget.largeBytes / 8_478 + 10) {
            try rows.append(ordinary)
        }
        XCTAssertEqual(rows.bytes(0, 2)?.count, 8_478)
        XCTAssertEqual(budget.largeBytesRead, 0)
        XCTAssertEqual(budget.vaultBytesRead, rows.count * (32 + 8 + 8_478 + 1 + 8))
    }

    func testEmptyRowsAreBoundedByTheRoundsRowCount() throws {
        let budget = PostgresReadBudget(rows: 1_000)
        let empty = try result(lengths: [0])
        defer { PQclear(empty) }
        var answers = 0
        var refusal: (any Error)?
        // Many small answers, as a server answering every call would send.
        while refusal == nil && answers <= 1_000 {
            var rows = PostgresRows(server: server, budget: budget)
            do { try rows.append(empty) } catch { refusal = error }
            answers += 1
        }
        XCTAssertEqual(answers, 1_001)
        guard case .damaged(let sentence)? = refusal as? StoreError else { return XCTFail("\(String(describing: refusal))") }
        XCTAssertTrue(sentence.hasPrefix("\(server) answered with more than 1000 rows"), sentence)
        XCTAssertGreaterThanOrEqual(PostgresReadBudget.rows, 2 * Limits.maximumRecordsPerVault,
                                    "an honest round reads a vault's versions and its records")
    }

    func testAValueOverTheRecordCapIsRefusedBeforeItIsCopied() throws {
        var rows = PostgresRows(server: server, budget: PostgresReadBudget())
        let over = try result(length: Limits.maximumBlobBytes + 1)
        defer { PQclear(over) }
        XCTAssertThrowsError(try rows.append(over)) {
            guard case .damaged(let sentence)? = $0 as? StoreError else { return XCTFail("\($0)") }
            XCTAssertTrue(sentence.hasPrefix("\(self.server) sent a value of 33554463 bytes"), sentence)
        }
        XCTAssertEqual(rows.count, 0)
    }

    func testAnAnswerWiderThanAnyCallIsRefused() throws {
        var rows = PostgresRows(server: server, budget: PostgresReadBudget())
        let wide = try result(lengths: [Int](repeating: 0, count: PostgresReadBudget.columns + 1))
        defer { PQclear(wide) }
        XCTAssertThrowsError(try rows.append(wide))
        XCTAssertEqual(rows.count, 0)
    }
}
