/// What `onions server status` shows about a server: figures an administrator's connection
/// can read, each nil when the server does not tell.
public struct PostgresServerStatus: Sendable, Equatable {
    /// `onions.schema_version()`; nil when the database has no onions schema.
    public var schemaVersion: Int?
    /// Vault headers stored; nil without the schema.
    public var vaults: Int?
    /// Bytes of the onions tables with their indexes and TOAST.
    public var schemaBytes: Int64
    /// Bytes of the whole database.
    public var databaseBytes: Int64
    /// Failed password log ins found in the server's current log file; nil when it has none
    /// the server can read (`logging_collector` off).
    public var failedLogins: Int?
    /// Where `failedLogins` was counted, or why it could not be.
    public var failedLoginsSource: String
    /// Primary or standby, and the standbys with their lag (`PostgresReplication`).
    public var replication: PostgresReplication?

    public init(schemaVersion: Int?, vaults: Int?, schemaBytes: Int64, databaseBytes: Int64, failedLogins: Int?,
                failedLoginsSource: String) {
        self.schemaVersion = schemaVersion
        self.vaults = vaults
        self.schemaBytes = schemaBytes
        self.databaseBytes = databaseBytes
        self.failedLogins = failedLogins
        self.failedLoginsSource = failedLoginsSource
    }
}

/// Counts a server log's failed password log ins, fed in pieces of any size.
public struct FailedLoginCounter: Sendable {
    /// What PostgreSQL logs for each refused password (SCRAM or not), in its English messages.
    static let marker = Array("password authentication failed".utf8)

    public private(set) var count = 0
    /// The end of the last piece, in case the marker spans two pieces.
    private var carry: [UInt8] = []

    public init() {}

    public mutating func add(_ piece: [UInt8]) {
        let bytes = carry + piece
        let marker = Self.marker
        var index = 0
        while index + marker.count <= bytes.count {
            if bytes[index] == marker[0] && bytes[index..<(index + marker.count)].elementsEqual(marker) {
                count += 1
                index += marker.count
            } else {
                index += 1
            }
        }
        carry = Array(bytes[index...])
    }
}
