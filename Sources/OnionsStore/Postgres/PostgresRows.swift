import CLibPQ
import OnionsCore

/// The rows of a PostgreSQL result in binary format, copied out of libpq's memory.
///
/// Only for results that hold no secret: the copies are ordinary arrays. The server is not
/// trusted with sizes: a result of more rows than a vault may hold, or a cell larger than a
/// sealed record may be, is refused before anything is copied.
struct PostgresRows {
    private let cells: [[[UInt8]?]]

    /// Copies every cell of `result` (which the caller still owns and clears). Throws
    /// `StoreError.damaged` naming the limit when a count or a size breaks `Limits`.
    init(_ result: OpaquePointer) throws {
        let rowCount = PQntuples(result)
        let columnCount = PQnfields(result)
        // The largest answer is every record of a vault, one per row.
        guard rowCount <= Limits.maximumRecordsPerVault else {
            throw StoreError.damaged("the server answered with \(rowCount) rows, over the limit of "
                                     + "\(Limits.maximumRecordsPerVault) records a vault may hold")
        }
        for row in 0..<rowCount {
            for column in 0..<columnCount {
                let length = Int(PQgetlength(result, row, column))
                guard length <= Limits.maximumBlobBytes else {
                    throw StoreError.damaged(Limits.exceeded("a value from the server", found: length,
                                                             limit: Limits.maximumBlobBytes, unit: "bytes"))
                }
            }
        }
        var cells: [[[UInt8]?]] = []
        cells.reserveCapacity(Int(rowCount))
        for row in 0..<rowCount {
            var values: [[UInt8]?] = []
            for column in 0..<columnCount {
                if PQgetisnull(result, row, column) != 0 {
                    values.append(nil)
                } else {
                    let length = Int(PQgetlength(result, row, column))
                    let start = UnsafeRawPointer(PQgetvalue(result, row, column))
                    values.append(Array(UnsafeRawBufferPointer(start: start, count: length)))
                }
            }
            cells.append(values)
        }
        self.cells = cells
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
