/// What one sync round decided: the writes each side needs, and what to tell the person.
struct SyncPlan {
    /// The server's batch (written first).
    var remoteWrites: [RecordWrite] = []
    /// This machine's batch.
    var localWrites: [RecordWrite] = []
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
