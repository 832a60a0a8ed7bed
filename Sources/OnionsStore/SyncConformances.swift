import OnionsCore

/// The SQLite store keeps a vault's sync bookkeeping in its `local_state` table.
extension SQLiteStore: SyncStateStore {}

/// The PostgreSQL store announces changes with LISTEN/NOTIFY.
extension PostgresStore: RemoteStore {}

/// Both stores write a sync's batch a page at a time; the server also gives the versions of its
/// changes without their blobs.
extension SQLiteStore: PagedWriting {}
extension PostgresStore: PagedWriting, PagedReading {}
