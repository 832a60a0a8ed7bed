/// What `onions server status` shows of PostgreSQL's own streaming replication: whether this
/// server is the primary or a standby, and the standbys a primary streams to.
public struct PostgresReplication: Sendable, Equatable {
    /// One standby a primary streams to (a row of `pg_stat_replication`).
    public struct Standby: Sendable, Equatable {
        /// Its `application_name` (the standby's `cluster_name`, or "walreceiver").
        public var name: String
        /// Its address, or "local" over a Unix socket.
        public var address: String
        /// `streaming`, `catchup`, `startup`, ...
        public var state: String
        /// `async`, `sync`, `quorum` or `potential`.
        public var syncState: String
        /// WAL bytes the primary wrote that the standby has not replayed yet; nil when unknown.
        public var lagBytes: Int64?
        /// How long the last replayed change took to be replayed there; nil when idle or unknown.
        public var replayLagMilliseconds: Int64?
    }

    /// True on a standby (the server is in recovery and refuses writes).
    public var isStandby: Bool
    /// On a primary, its standbys (none: "no standby").
    public var standbys: [Standby]
    /// On a standby, where it receives WAL from and the receiver's state; nil when it receives
    /// nothing (cut off, or promoted in the meantime).
    public var receiving: String?
    /// The primary's `synchronous_standby_names`, empty when replication is asynchronous.
    public var synchronousNames: String

    /// The one line of `server status`.
    public var line: String {
        if isStandby {
            return "standby, " + (receiving.map { "receiving from \($0)" } ?? "not receiving from a primary")
                + " (read-only: clients with target_session_attrs=read-write pass it by)"
        }
        guard !standbys.isEmpty else {
            return "primary; no standby" + (synchronousNames.isEmpty ? ""
                : " (synchronous_standby_names = '\(synchronousNames)': saves wait for a standby)")
        }
        return "primary; " + standbys.map { standby in
            var words = ["standby \(standby.name) at \(standby.address)", standby.state, standby.syncState]
            if let bytes = standby.lagBytes { words.append("\(bytes) bytes behind") }
            if let lag = standby.replayLagMilliseconds { words.append("replay lag \(lag) ms") }
            return words.joined(separator: ", ")
        }.joined(separator: "; ")
    }
}

extension PostgresAdmin {
    /// Reads the replication state over an administrator's connection.
    static func replication(_ connection: PostgresConnection) throws -> PostgresReplication {
        let standby = try connection.query("SELECT pg_is_in_recovery()").bool(0, 0) == true
        let names = try connection.query("SELECT current_setting('synchronous_standby_names')").text(0, 0) ?? ""
        var state = PostgresReplication(isStandby: standby, standbys: [], receiving: nil, synchronousNames: names)
        if standby {
            let receiver = try connection.query("""
                SELECT status, coalesce(sender_host, '?') || ':' || coalesce(sender_port::text, '?')
                FROM pg_stat_wal_receiver
                """)
            if receiver.count > 0, let status = receiver.text(0, 0), let sender = receiver.text(0, 1) {
                state.receiving = "\(sender) (\(status))"
            }
            return state
        }
        let rows = try connection.query("""
            SELECT application_name, coalesce(host(client_addr), 'local'), state, sync_state,
                   pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::int8,
                   (extract(epoch FROM replay_lag) * 1000)::int8
            FROM pg_stat_replication ORDER BY application_name, client_addr
            """)
        for row in 0..<rows.count {
            state.standbys.append(PostgresReplication.Standby(
                name: rows.text(row, 0) ?? "", address: rows.text(row, 1) ?? "", state: rows.text(row, 2) ?? "",
                syncState: rows.text(row, 3) ?? "", lagBytes: rows.integer(row, 4),
                replayLagMilliseconds: rows.integer(row, 5)))
        }
        return state
    }
}
