import CLibPQ
import OnionsCore
@testable import OnionsStore
import XCTest

/// The row reader's budget on results made here (libpq's PQmakeEmptyPGresult), without a
/// server: exactly the budget is read, one byte over is refused naming the server, and the
/// ordinary values count only as rows.
final class PostgresRowBudgetTests: XCTestCase {
    /// A one-row, one-column bytea result holding `length` bytes.
    private func result(length: Int) throws -> OpaquePointer {
        let made = try XCTUnwrap(PQmakeEmptyPGresult(nil, PGRES_SINGLE_TUPLE))
        var name = Array("blob".utf8CString)
        let described = name.withUnsafeMutableBufferPointer { pointer -> Int32 in
            var attribute = PGresAttDesc(name: pointer.baseAddress, tableid: 0, columnid: 0, format: 1, typid: 17,
                                         typlen: -1, atttypmod: -1)
            return PQsetResultAttrs(made, 1, &attribute)
        }
        XCTAssertEqual(described, 1)
        var value = [CChar](repeating: 0x78, count: max(1, length))
        XCTAssertEqual(PQsetvalue(made, 0, 0, &value, Int32(length)), 1)
        return made
    }

    func testManifestSizedValuesAreReadUpToTheBudgetAndRefusedPastIt() throws {
        var rows = PostgresRows(server: "the server db.example.org:5432")
        let large = PostgresRows.Budget.largeValue + 1
        let fitting = PostgresRows.Budget.largeBytes / large
        for _ in 0..<fitting {
            let one = try result(length: large)
            defer { PQclear(one) }
            try rows.append(one)
        }
        XCTAssertEqual(rows.count, fitting)
        let over = try result(length: large)
        defer { PQclear(over) }
        XCTAssertThrowsError(try rows.append(over)) {
            XCTAssertEqual($0 as? StoreError, .damaged("the server db.example.org:5432 sent more than a vault can hold "
                + "(over 64 MiB of manifest-sized records in one answer); its answer was refused"))
        }
        XCTAssertEqual(rows.count, fitting, "the refused row was not copied")
    }

    func testOrdinaryValuesCountOnlyAsRows() throws {
        var rows = PostgresRows(server: "the server db.example.org:5432")
        let ordinary = try result(length: PostgresRows.Budget.largeValue)
        defer { PQclear(ordinary) }
        for _ in 0..<(PostgresRows.Budget.largeBytes / PostgresRows.Budget.largeValue + 10) {
            try rows.append(ordinary)
        }
        XCTAssertEqual(rows.bytes(0, 0)?.count, PostgresRows.Budget.largeValue)
    }

    func testAValueOverTheRecordCapIsRefusedBeforeItIsCopied() throws {
        var rows = PostgresRows(server: "the server db.example.org:5432")
        let over = try result(length: Limits.maximumBlobBytes + 1)
        defer { PQclear(over) }
        XCTAssertThrowsError(try rows.append(over)) {
            guard case .damaged(let sentence)? = $0 as? StoreError else { return XCTFail("\($0)") }
            XCTAssertTrue(sentence.hasPrefix("the server db.example.org:5432 sent a value of 33554463 bytes"), sentence)
        }
        XCTAssertEqual(rows.count, 0)
    }
}
