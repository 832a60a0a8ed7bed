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
    var report = SyncReport()
}
