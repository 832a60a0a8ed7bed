import CLibPQ
import FuzzSupport
import OnionsCore
@testable import OnionsStore

// The row reader (`PostgresRows`) and its round budget (`PostgresReadBudget`) over answers of
// any shape, made here with libpq's own result functions (no server): rows of any number of
// columns, NULLs, values of any length. Every row is either copied exactly or refused, naming
// the server, before it is copied; the budget never lets the kept copies, with the one being
// made and libpq's, pass its limits; the cells decode without trapping.
//
// An input is a list of answers. Its first byte picks smaller limits (so that every refusal is
// reached in a short input). Then each answer: a byte for its rows (0-3) and columns (0-9),
// then per value two bytes (bit 7 of the first: NULL; its bits 0-5 and the second: the length, scaled by 8 when
// bit 6 is set), its first bytes taken from the input and the rest repeating the last of them.

private let server = "the server fuzz.example:5432"

func seeds() throws -> [(name: String, bytes: [UInt8])] {
    [
        ("pull-row", [0x00, 0x15, 0x00, 0x20, 0x00, 0x00, 0x08, 0x00, 0x00, 0x40, 0x00, 0x00, 0x01, 0x00, 0x00, 0x08, 0x00]),
        ("null-and-wide", [0x01, 0x39, 0x80, 0x00, 0x00, 0x7F, 0xFF, 0x40, 0x00, 0x10, 0x00]),
        ("many-answers", [0x02] + [UInt8](repeating: 0x11, count: 64)),
        ("empty", [0x03, 0x00, 0x10]),
    ]
}

/// Little reader over the input; past its end it gives zeros.
private struct Input {
    let bytes: [UInt8]
    var at = 0
    var more: Bool { at < bytes.count }
    mutating func byte() -> UInt8 {
        defer { at += 1 }
        return at < bytes.count ? bytes[at] : 0
    }
}

/// The budget's own rule, written again: the decision every row must get.
private struct Model {
    let rows: Int, value: Int, vault: Int, large: Int
    var rowsRead = 0, vaultRead = 0, largeRead = 0

    mutating func accepts(_ lengths: [Int]) -> Bool {
        guard lengths.count <= PostgresReadBudget.columns, rowsRead < rows,
              lengths.allSatisfy({ $0 >= 0 && $0 <= value }) else { return false }
        let total = lengths.reduce(0, +)
        if total <= PostgresReadBudget.ordinaryRowBytes {
            guard vaultRead + total <= vault else { return false }
            vaultRead += total
        } else {
            guard largeRead + 2 * total <= large else { return false }
            largeRead += total
        }
        rowsRead += 1
        return true
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    var input = Input(bytes: fuzzInput(data, count))
    let small = input.byte() % 4
    let limits = small == 0 ? (rows: 6, value: 4_096, vault: 20_000, large: 40_000)
        : small == 1 ? (rows: 40, value: 70_000, vault: 60_000, large: 200_000)
        : small == 2 ? (rows: 1_000, value: 100_000, vault: 1 << 18, large: 1 << 19)
        : (rows: 3, value: PostgresReadBudget.valueBytes, vault: 1 << 16, large: 1 << 22)
    let budget = PostgresReadBudget(rows: limits.rows, valueBytes: limits.value, vaultBytes: limits.vault,
                                    largeBytes: limits.large)
    var model = Model(rows: limits.rows, value: limits.value, vault: limits.vault, large: limits.large)
    var answers = 0
    while input.more && answers < 16 {
        answers += 1
        let shape = input.byte()
        let shapedRows = Int(shape >> 4) % 4
        let columnCount = Int(shape & 0x0F) % 10
        // A result without columns holds no rows.
        let rowCount = columnCount == 0 ? 0 : shapedRows
        var values: [[[UInt8]?]] = []
        for _ in 0..<rowCount {
            var row: [[UInt8]?] = []
            for _ in 0..<columnCount {
                let flags = input.byte()
                let low = input.byte()
                var length = Int(flags & 0x3F) << 8 | Int(low)
                if flags & 0x40 != 0 { length *= 8 }
                if flags & 0x80 != 0 {
                    row.append(nil)
                } else {
                    // The next input bytes start it; the rest repeats the last of them.
                    let start = min(input.at, input.bytes.count)
                    var value = Array(input.bytes[start..<min(input.bytes.count, start + min(length, 16))])
                    value += [UInt8](repeating: value.last ?? 0x5A, count: length - value.count)
                    row.append(value)
                }
            }
            values.append(row)
        }
        guard let result = makeResult(values, columns: columnCount) else { continue }
        defer { PQclear(result) }
        var rows = PostgresRows(server: server, budget: budget)
        var expected: [[[UInt8]?]] = []
        var refused = false
        for row in values where !refused {
            if model.accepts(row.map { $0?.count ?? 0 }) { expected.append(row) } else { refused = true }
        }
        do {
            try rows.append(result)
            precondition(!refused, "a row past the budget was read")
        } catch StoreError.damaged(let sentence) {
            precondition(refused, "a row within the budget was refused: \(sentence)")
            precondition(sentence.hasPrefix(server + " "), "the refusal does not name the server")
        } catch {
            preconditionFailure("unexpected error \(error)")
        }
        precondition(rows.count == expected.count, "a refused row was copied, or a row was lost")
        for (index, row) in expected.enumerated() {
            for (column, value) in row.enumerated() {
                precondition(rows.bytes(index, column) == value, "a value was not copied exactly")
                let integer = rows.integer(index, column)
                precondition(integer == nil || [2, 4, 8].contains(value?.count ?? 0))
                _ = rows.bool(index, column)
                _ = rows.text(index, column)
            }
            precondition(rows.bytes(index, row.count) == nil && rows.bytes(expected.count, 0) == nil)
        }
        precondition(budget.rowsRead == model.rowsRead && budget.vaultBytesRead == model.vaultRead
                     && budget.largeBytesRead == model.largeRead, "the budget counted otherwise")
        precondition(budget.rowsRead <= limits.rows && budget.vaultBytesRead <= limits.vault
                     && budget.largeBytesRead <= limits.large / 2 + PostgresReadBudget.valueBytes,
                     "the budget passed its limits")
        if refused { break }
    }
    return 0
}

/// A result with `columns` bytea columns holding `values`, as libpq makes one from a server's
/// answer; nil when libpq refuses to make it.
private func makeResult(_ values: [[[UInt8]?]], columns: Int) -> OpaquePointer? {
    guard let result = PQmakeEmptyPGresult(nil, PGRES_TUPLES_OK) else { return nil }
    var name = Array("value".utf8CString)
    let described = name.withUnsafeMutableBufferPointer { pointer -> Int32 in
        var attributes = [PGresAttDesc](repeating: PGresAttDesc(name: pointer.baseAddress, tableid: 0, columnid: 0,
                                                                format: 1, typid: 17, typlen: -1, atttypmod: -1),
                                        count: max(1, columns))
        return attributes.withUnsafeMutableBufferPointer {
            PQsetResultAttrs(result, Int32(columns), columns == 0 ? nil : $0.baseAddress)
        }
    }
    guard described == 1 else { PQclear(result); return nil }
    for (row, cells) in values.enumerated() {
        for (column, cell) in cells.enumerated() {
            var bytes = (cell ?? []).map { CChar(bitPattern: $0) } + [0]
            let stored = cell == nil ? PQsetvalue(result, Int32(row), Int32(column), nil, -1)
                : PQsetvalue(result, Int32(row), Int32(column), &bytes, Int32(cell!.count))
            guard stored == 1 else { PQclear(result); return nil }
        }
    }
    return result
}
