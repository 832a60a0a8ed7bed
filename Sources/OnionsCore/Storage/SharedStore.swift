/// A store other processes on this machine may write at the same time (an SQLite file).
///
/// An open session treats such a writer as a peer: it asks `othersCommitted()` before its work
/// and reloads inside `readingOneSnapshot`, so that a manifest and the records it lists are
/// read from the same commit and an honest writer never looks like tampering.
public protocol SharedStore: AnyObject {
    /// True when another connection committed since the previous call (the first call compares
    /// with the moment the store was opened). Cheap: no disk read when nothing changed.
    func othersCommitted() throws -> Bool

    /// Runs `body` so that every read in it sees one committed state of the store.
    func readingOneSnapshot<R>(_ body: () throws -> R) throws -> R

    /// Notes the store as it is now, for `changedSinceMark` (a session that stays open between
    /// commands marks after each one, its own writes included).
    func mark() throws

    /// True when anything may have changed the store since `mark()` (always true before the
    /// first mark): another connection's commit, or the file changed in any other way (bytes
    /// written around SQLite). Then every page this connection kept is dropped, so what is read
    /// next comes from the file, as in a fresh process. Cheap when nothing changed: two `stat`s.
    func changedSinceMark() throws -> Bool
}
