import OnionsCore

/// The SQLite store keeps a vault's sync bookkeeping in its `local_state` table.
extension SQLiteStore: SyncStateStore {}

/// The PostgreSQL store announces changes with LISTEN/NOTIFY.
extension PostgresStore: RemoteStore {}
