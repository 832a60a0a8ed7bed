import OnionsCore

/// What the server's answers may make the client hold during one sync round, shared by every
/// answer of the round (`PostgresStore.beginRound` starts one, `endRound` ends it), so that a
/// server cannot get past it by answering many calls each under it. Outside a round each answer
/// has a budget of its own.
///
/// Every row is counted before it is copied. A row no larger than an ordinary record's (a name,
/// a blob of the large class, its version, flag and sequence) counts as a row of the vault: at
/// most `rows` rows and `vaultBytes` bytes, what the largest vault needs. A larger row (only a
/// manifest's, root or part, is larger) counts against `largeBytes` twice while it is read:
/// once for the copy made here and once for the copy libpq holds, so that the copies kept plus
/// the one being made never pass `largeBytes`. A manifest, root and parts together, is at most
/// one largest sealed record, so any honest round fits. What a server can make the client hold
/// is then `largeBytes` above what the largest vault needs, plus the one row libpq reads whole
/// into its input buffer before any check can run (at most PostgreSQL's 1 GB; `valueBytes`
/// refuses it after that).
final class PostgresReadBudget {
    /// The most rows one round may read: a vault's records, their versions, and the records
    /// read again by name, each at most once.
    static let rows = 3 * Limits.maximumRecordsPerVault
    /// One value at most: the largest sealed record.
    static let valueBytes = Limits.maximumBlobBytes
    /// The most columns an answer may have (the widest, `pull`, has five).
    static let columns = 8
    /// An ordinary row's bytes at most: a blob of the large class (8,478 bytes), a name of 32,
    /// and room for the version, flag and sequence.
    static let ordinaryRowBytes = 8_478 + 128
    /// All ordinary rows of a round together, in bytes: every record of the largest vault once.
    static let vaultBytes = Limits.maximumRecordsPerVault * ordinaryRowBytes
    /// All larger rows of a round together, counted as above: twice the largest manifest, and
    /// room for the names and numbers of its rows (at most 2,049 of about 50 bytes).
    static let largeBytes = 2 * Limits.maximumBlobBytes + 256 * 1024

    /// The limits this budget holds to: the ones above, smaller ones for a fuzz target.
    let rowLimit: Int, valueByteLimit: Int, vaultByteLimit: Int, largeByteLimit: Int

    init(rows: Int = PostgresReadBudget.rows, valueBytes: Int = PostgresReadBudget.valueBytes,
         vaultBytes: Int = PostgresReadBudget.vaultBytes, largeBytes: Int = PostgresReadBudget.largeBytes) {
        rowLimit = rows
        valueByteLimit = valueBytes
        vaultByteLimit = vaultBytes
        largeByteLimit = largeBytes
    }

    private(set) var rowsRead = 0
    private(set) var vaultBytesRead = 0
    private(set) var largeBytesRead = 0

    /// True between `beginRound` and `endRound`: the answers share this budget.
    private var inRound = false

    /// Starts a round: nothing read yet, and every answer until `endRound` counts here.
    func beginRound() {
        reset()
        inRound = true
    }

    /// Ends the round: from now on each answer starts from nothing.
    func endRound() {
        inRound = false
    }

    /// Called before each answer is read: outside a round, a fresh budget.
    func startAnswer() {
        if !inRound { reset() }
    }

    /// Nothing read yet.
    func reset() {
        rowsRead = 0
        vaultBytesRead = 0
        largeBytesRead = 0
    }

    /// Why a row of `columns` values, `lengths` bytes each, is refused, or nil when it fits (it
    /// is then counted). `server` names the server in the sentence.
    func take(lengths: [Int], server: String) -> String? {
        guard lengths.count <= Self.columns else {
            return "\(server) answered with \(lengths.count) columns, more than any call has; its answer was refused"
        }
        guard rowsRead < rowLimit else {
            return "\(server) answered with more than \(rowLimit) rows in one sync, more than a vault's "
                + "records can make; its answer was refused"
        }
        var total = 0
        for length in lengths {
            guard length >= 0, length <= valueByteLimit else {
                return "\(server) sent a value of \(length) bytes, over the limit of \(valueByteLimit) bytes a "
                    + "sealed record may have; its answer was refused"
            }
            total += length
        }
        if total <= Self.ordinaryRowBytes {
            guard total <= vaultByteLimit - vaultBytesRead else {
                return "\(server) sent more than a vault can hold (over \(vaultByteLimit >> 20) MiB of records "
                    + "in one sync); its answer was refused"
            }
            vaultBytesRead += total
        } else {
            guard 2 * total <= largeByteLimit - largeBytesRead else {
                return "\(server) sent more than a vault can hold (over \(largeByteLimit >> 20) MiB of "
                    + "manifest-sized records in one sync); its answer was refused"
            }
            largeBytesRead += total
        }
        rowsRead += 1
        return nil
    }
}
