/// What one sync round decided: the writes each side needs, and what to tell the person.
struct SyncPlan {
    /// The server's batch (written first).
    var remoteWrites: [RecordWrite] = []
    /// This machine's batch.
    var localWrites: [RecordWrite] = []
    /// Records this machine takes from the server as they are, whose blobs the round reads a
    /// page at a time while it writes them (`SyncSnapshot.deferred`): puts with empty blobs,
    /// written before `localWrites`; each blob must open and have the digest listed here.
    var localCopies: [RecordWrite] = []
    var copyDigests: [RecordName: RecordDigest] = [:]
    /// Records the server takes from this machine as they are, read from this machine's store a
    /// page at a time (`SyncSnapshot.deferredLocal`): puts with empty blobs, before `remoteWrites`.
    var remoteCopies: [RecordWrite] = []
    /// The sync base once both batches are written.
    var base: SyncBase
    /// Names this round wrote: their ancestors are no longer needed.
    var touched: [RecordName] = []
    /// The manifest counter both sides end with.
    var counter: UInt64 = 0
    /// True when the round only took the server's changes in (merged with this machine's):
    /// what this machine has to send is left for the next round, which finds it in the outbox.
    var pushesHeld = false
    /// The server's blobs of records this round merged here without sending them: the common
    /// ancestors of the next round's merge, should the server change them again first.
    var ancestors: [StoredRecord] = []
    /// The server's altered or swapped rows this round's repairs replace: the server keeps a
    /// replaced row, and the session removes these there after the writes.
    var replacedTampered: [HistoryPurge] = []
    var report = SyncReport()
}
