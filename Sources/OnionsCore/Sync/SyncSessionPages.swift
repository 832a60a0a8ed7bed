import OnionsCrypto

/// How far a round that copies records a page at a time has come (`SyncRemote.progress`).
public struct SyncProgress: Sendable, Equatable {
    /// Records written so far, of `total`.
    public let done: Int
    public let total: Int
    /// True when the records go to the server (a push), false when they come here.
    public let sending: Bool

    public init(done: Int, total: Int, sending: Bool) {
        self.done = done
        self.total = total
        self.sending = sending
    }
}

/// Writing a round's plan with its copies a page at a time: a sync that moves a whole vault holds
/// one page of blobs, not every one.
extension Session {
    /// The server's batch in one transaction: the records sent as they are (`remoteCopies`), read
    /// from this machine's store a page at a time, then the plan's other writes. A record that is
    /// no longer here at the planned version makes the round again (`SyncPageMismatch`).
    func writeRemote(_ plan: SyncPlan, server: RemoteStore, local: SyncStateStore,
                     progress: ((SyncProgress) -> Void)?) throws {
        // Nothing copied: the one statement a round without copies always was.
        guard !plan.remoteCopies.isEmpty else {
            try server.apply(vault: vault, writes: plan.remoteWrites)
            return
        }
        try server.applyPaged(vault: vault, pages: pageSource(plan.remoteCopies, sending: true, progress: progress,
                                                             read: { try local.records(vault: self.vault, names: $0) },
                                                             accepts: { record, write in
            record.version == write.newVersion && !record.deleted
        }), then: plan.remoteWrites)
    }

    /// This machine's batch in one transaction: the server's records taken as they are
    /// (`localCopies`), read from the server a page at a time, then the plan's other writes.
    ///
    /// Each copy is checked before it is written as a change the round read first would have
    /// been (SyncPlanner.verifyRemoteRecords): at the version the server's manifest lists, it
    /// opens, and its digest is the one that manifest lists. One that fails rolls the batch back
    /// and makes the round again with it read first, where it is reported and left out.
    func writeLocal(_ plan: SyncPlan, server: RemoteStore, local: SyncStateStore,
                    progress: ((SyncProgress) -> Void)?) throws {
        guard !plan.localCopies.isEmpty else {
            try local.apply(vault: vault, writes: plan.localWrites)
            return
        }
        // Every copy opens into one reused secret buffer (as a log in opens its titles).
        let scratch = SecretBytes(count: 0, capacity: RecordSealer.scratchCapacity)
        defer { scratch.wipe() }
        try local.applyPaged(vault: vault, pages: pageSource(plan.localCopies, sending: false, progress: progress,
                                                           read: { try server.records(vault: self.vault, names: $0) },
                                                           accepts: { record, write in
            self.checkCopy(record, write, digest: plan.copyDigests[write.name], scratch: scratch)
        }), then: plan.localWrites)
    }

    /// The pages of `copies` one call at a time (nil after the last), each read with `read` and
    /// written as it was read; a record missing or not `accepts`ed makes the round again
    /// (`SyncPageMismatch`). Reports the progress before each page and at the end.
    private func pageSource(_ copies: [RecordWrite], sending: Bool, progress: ((SyncProgress) -> Void)?,
                            read: @escaping ([RecordName]) throws -> [StoredRecord],
                            accepts: @escaping (StoredRecord, RecordWrite) -> Bool) -> () throws -> [RecordWrite]? {
        let pages = SyncPage.pages(copies)
        let total = copies.count
        var next = 0, done = 0
        if total > 0 { progress?(SyncProgress(done: 0, total: total, sending: sending)) }
        return {
            if next > 0 { progress?(SyncProgress(done: done, total: total, sending: sending)) }
            guard next < pages.count else { return nil }
            let page = pages[next]
            next += 1
            var found: [RecordName: StoredRecord] = [:]
            for record in try read(page.map(\.name)) { found[record.name] = record }
            var writes: [RecordWrite] = []
            writes.reserveCapacity(page.count)
            var failed: Set<RecordName> = []
            for write in page {
                guard let record = found[write.name], accepts(record, write) else {
                    failed.insert(write.name)
                    continue
                }
                writes.append(.put(name: write.name, blob: record.blob, expectedVersion: write.expectedVersion,
                                   version: write.newVersion))
            }
            if !failed.isEmpty { throw SyncPageMismatch(names: failed) }
            done += page.count
            return writes
        }
    }

    /// True when the server's `record` is the one `write` copies: live, at its version, opening,
    /// with the listed digest. A record of a fixed-size class opens into `scratch`; a larger one
    /// into its own buffer.
    private func checkCopy(_ record: StoredRecord, _ write: RecordWrite, digest: RecordDigest?,
                           scratch: SecretBytes) -> Bool {
        guard !record.deleted, record.version == write.newVersion, let digest,
              RecordDigest(blob: record.blob) == digest else { return false }
        if record.blob.count <= scratch.capacity {
            defer { scratch.wipe() }
            return (try? sealer.open(record, into: scratch)) != nil
        }
        guard let payload = try? sealer.open(record) else { return false }
        payload.wipe()
        return true
    }
}

extension SyncProgress {
    /// "Receiving from the server: 2,048 of 20,514 records".
    public var sentence: String {
        (sending ? "Sending to the server: " : "Receiving from the server: ")
            + "\(Self.grouped(done)) of \(Self.grouped(total)) records"
    }

    private static func grouped(_ n: Int) -> String {
        var digits = String(n), out = ""
        while digits.count > 3 {
            out = "," + digits.suffix(3) + out
            digits.removeLast(3)
        }
        return digits + out
    }
}

/// When a copy's progress is worth showing: once it has run for `delay` seconds (a copy that
/// ends sooner shows nothing), and then at most every `interval` seconds and at its end.
public struct SyncProgressGate: Sendable {
    public static let delay = 1.0
    public static let interval = 0.1
    private var start: Double?
    private var shown: Double?

    public init() {}

    /// The sentence to show for `progress` at `now` (seconds on any one clock), or nil.
    public mutating func sentence(_ progress: SyncProgress, now: Double) -> String? {
        if progress.done == 0 || start == nil {
            start = now
            shown = nil
        }
        guard let start, now - start >= Self.delay else { return nil }
        let last = progress.done >= progress.total
        if let shown, now - shown < Self.interval, !last { return nil }
        shown = now
        return progress.sentence
    }
}
