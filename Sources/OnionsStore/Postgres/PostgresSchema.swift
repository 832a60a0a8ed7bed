/// The server schema that `PostgresStore.installSchema` runs, embedded in the build so the
/// binary needs no resource files.
///
/// `schema.sql` beside this file is the only copy (`Resources/schema.sql` links to it);
/// `version` must match the number the script's `onions.schema_version()` returns.
enum PostgresSchema {
    /// The schema version this program installs and speaks (`onions.schema_version()`).
    static let version = 6

    /// The whole install script, `schema.sql` in this folder as the build embeds it:
    /// idempotent, one transaction when sent as one simple query.
    static let sql = String(decoding: PackageResources.schema_sql, as: UTF8.self)
}
