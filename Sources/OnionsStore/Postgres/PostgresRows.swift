import CLibPQ
import OnionsCore

/// The rows of a PostgreSQL result in binary format, copied out of libpq's memory one row at a
/// time as they arrive (libpq's single-row mode, `PostgresConnection`).
///
/// Only for results that hold no secret: the copies are ordinary arrays. The server is not
/// trusted with sizes: each row's lengths are checked before it is copied, and an answer is
/// refused, naming the server, as soon as it holds more rows than a vault may hold, a value
/// larger than a sealed record may be, or more bytes than a vault can hold (`Budget`). So a
/// server can make the client hold at most the budget plus the one row libpq holds whole.
struct PostgresRows {
    /// What one answer may hold.
    enum Budget {
        /// Rows: every record of a vault, one per row, is the largest answer.
        static let rows = Limits.maximumRecordsPerVault
        /// One value: the largest sealed record.
        static let valueBytes = Limits.maximumBlobBytes
        /// A value above this is larger than any sealed record but the manifest's (the small and
        /// large classes seal to 1,310 and 8,478 bytes) and counts against `largeBytes`; the
        /// others are bounded by `rows` (at most 300,000 × 16 KiB).
        static let largeValue = 16 * 1024
        /// All values above `largeValue` together: twice the largest manifest (a vault's
        /// manifest, root and parts together, is at most one largest sealed record).
        static let largeBytes = 2 * Limits.maximumBlobBytes
    }

    private var cells: [[[UInt8]?]] = []
    private var largeBytes = 0
    /// The server, as a sentence names it ("the server db.example.org:5432").
    private let server: String

    init(server: String) {
        self.server = server
    }

    /// Copies the rows of `result` (which the caller still owns and clears): one row in
    /// single-row mode, any number otherwise. Throws `StoreError.damaged`, naming the server and
    /// the limit, before copying a row that breaks `Budget`.
    mutating func append(_ result: OpaquePointer) throws {
        let rowCount = Int(PQntuples(result))
        let columnCount = PQnfields(result)
        guard rowCount <= Budget.rows - cells.count else {
            throw StoreError.damaged("\(server) answered with more than \(Budget.rows) rows, the most records a "
                                     + "vault may hold; its answer was refused")
        }
        for row in 0..<Int32(rowCount) {
            for column in 0..<columnCount {
                let length = Int(PQgetlength(result, row, column))
                guard length <= Budget.valueBytes else {
                    throw StoreError.damaged("\(server) sent a value of \(length) bytes, over the limit of "
                                             + "\(Budget.valueBytes) bytes a sealed record may have; its answer was refused")
                }
                if length > Budget.largeValue { largeBytes += length }
            }
            guard largeBytes <= Budget.largeBytes else {
                throw StoreError.damaged("\(server) sent more than a vault can hold (over \(Budget.largeBytes >> 20) MiB "
                                         + "of manifest-sized records in one answer); its answer was refused")
            }
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
