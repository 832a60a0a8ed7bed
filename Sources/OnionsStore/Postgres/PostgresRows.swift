import CLibPQ
import OnionsCore

/// The rows of a PostgreSQL result in binary format, copied out of libpq's memory one row at a
/// time as they arrive (libpq's single-row mode, `PostgresConnection`).
///
/// Only for results that hold no secret: the copies are ordinary arrays. The server is not
/// trusted with sizes: each row's lengths are checked against the round's `PostgresReadBudget`
/// before it is copied, and no answer may have more rows than a vault has records; an answer
/// that breaks either is refused, naming the server.
struct PostgresRows {
    private var cells: [[[UInt8]?]] = []
    private let budget: PostgresReadBudget
    /// The server, as a sentence names it ("the server db.example.org:5432").
    private let server: String

    init(server: String, budget: PostgresReadBudget) {
        self.server = server
        self.budget = budget
    }

    /// Copies the rows of `result` (which the caller still owns and clears): one row in
    /// single-row mode, any number otherwise. Throws `StoreError.damaged`, naming the server and
    /// the limit, before copying a row the budget refuses.
    mutating func append(_ result: OpaquePointer) throws {
        let rowCount = PQntuples(result)
        let columnCount = PQnfields(result)
        guard rowCount >= 0, columnCount >= 0 else { return }
        for row in 0..<rowCount {
            guard cells.count < Limits.maximumRecordsPerVault else {
                throw StoreError.damaged("\(server) answered with more than \(Limits.maximumRecordsPerVault) rows, "
                                         + "the most records a vault may hold; its answer was refused")
            }
            let lengths = (0..<columnCount).map { Int(PQgetlength(result, row, $0)) }
            if let refusal = budget.take(lengths: lengths, server: server) {
                throw StoreError.damaged(refusal)
            }
            var values: [[UInt8]?] = []
            values.reserveCapacity(lengths.count)
            for column in 0..<columnCount {
                if PQgetisnull(result, row, column) != 0 {
                    values.append(nil)
                } else {
                    let start = UnsafeRawPointer(PQgetvalue(result, row, column))
                    values.append(Array(UnsafeRawBufferPointer(start: start, count: lengths[Int(column)])))
                }
            }
            cells.append(values)
        }
    }

    var count: Int { cells.count }

    /// A cell's bytes (bytea, or text as UTF-8), nil for NULL.
    func bytes(_ row: Int, _ column: Int) -> [UInt8]? {
        guard row < cells.count, column < cells[row].count else { return nil }
        return cells[row][column]
    }

    func text(_ row: Int, _ column: Int) -> String? {
        bytes(row, column).map { String(decoding: $0, as: UTF8.self) }
    }

    /// A smallint, integer or bigint cell (big-endian in binary format), nil for NULL.
    func integer(_ row: Int, _ column: Int) -> Int64? {
        guard let bytes = bytes(row, column), [2, 4, 8].contains(bytes.count) else { return nil }
        var value = Int64(Int8(bitPattern: bytes[0]))
        for byte in bytes.dropFirst() { value = value << 8 | Int64(byte) }
        return value
    }

    func bool(_ row: Int, _ column: Int) -> Bool? {
        bytes(row, column).map { $0.first == 1 }
    }
}
