import OnionsCrypto

/// The server's side of the chain as one sync read it: its head record and that head's commit.
struct ServerChain {
    var head: CommitRef?
    /// The head record's version (0 when there is none), for the head's compare-and-set.
    var version: UInt64 = 0
    var blob: [UInt8]?
    /// The commits the server returned when it was read in full (nil when read from the cursor).
    var held: Set<CommitHash>?
    /// True when the check named what the server lost (`checkServerChain`): the records the
    /// rounds then find older or missing there are part of it, not news.
    var explained = false
    /// How many commits the server said it holds when its head was read (nil: it cannot tell).
    var commitCount: Int?
    /// The head record's change sequence value when it was read (0 when there is none).
    var sequence: Int64 = 0
}

extension SyncReport {
    /// Leaves what a server that went back did to the records to the chain's sentence: the
    /// records it lost or holds older are sent again with the saves that sentence names.
    mutating func leaveToChain() {
        issues.removeAll {
            switch $0.kind {
            case .serverOlder, .dropped, .replayed: return true
            default: return false
            }
        }
        repaired = 0
    }
}

/// What the chain step after the record rounds did.
enum ChainOutcome {
    /// The server's head and this machine's agree now (or nothing could be written).
    case settled
    /// The server's head moved meanwhile, or its compare-and-set failed: another round.
    case again
}

/// The chain in a sync (DESIGN.md 5b): pull the server's commits, read its head, check it
/// against the pinned one, then move either side's head or write the join.
extension Session {
    /// Reads the server's commits since the cursor (all of them when `full`) into the graph and
    /// this machine's commits table, and the server's head. Commits that do not open are
    /// reported and left out. A head whose history has gaps is read again in full once (the
    /// cursor means nothing on a table that was swapped).
    func readServerChain(_ server: RemoteStore, _ local: SyncStateStore, full: Bool = false,
                         report: inout SyncReport) throws -> ServerChain {
        guard let chain else { return ServerChain() }
        loadLocalCommits(local)
        var fresh: [[UInt8]] = []
        var unopened = 0
        // A commit of a later format: nothing is written anywhere, the sync stops with its name.
        var newer: String?
        func open(_ blob: [UInt8], _ sealer: CommitSealer) -> Commit? {
            do { return try sealer.open(blob) } catch VaultError.needsNewerVersion(let what) {
                newer = newer ?? what
            } catch {
                unopened += 1
            }
            return nil
        }
        var held: Set<CommitHash> = []
        let pulled = try pullCommits(server, local, since: full ? 0 : chain.state.cursor)
        try withCommitSealer { sealer in
            for stored in pulled {
                chain.state.cursor = max(chain.state.cursor, stored.sequence)
                let hash = CommitHash(sealed: stored.blob)
                held.insert(hash)
                if chain.graph[hash] != nil { continue }
                guard let commit = open(stored.blob, sealer) else { continue }
                guard chain.add(commit, blob: stored.blob, hash: hash) else {
                    unopened += 1
                    continue
                }
                chain.state.saw(commit, hash: hash)
                fresh.append(stored.blob)
            }
        }
        var view = ServerChain()
        let read = try server.headRecord(vault: vault, name: chainHeadName)
        view.commitCount = read.commits
        if let record = read.record {
            view.version = record.version
            view.sequence = record.sequence
            let hash = CommitHash(sealed: record.blob)
            if chain.graph[hash] == nil, let commit = try withCommitSealer({ open(record.blob, $0) }) {
                if chain.add(commit, blob: record.blob, hash: hash) {
                    chain.state.saw(commit, hash: hash)
                    fresh.append(record.blob)
                } else {
                    unopened += 1
                }
            }
            if let commit = chain.graph[hash] {
                view.head = CommitRef(hash: hash, count: commit.count)
                view.blob = record.blob
            }
        }
        if !fresh.isEmpty { try local.apply(vault: vault, writes: [], commits: fresh) }
        if let newer { throw VaultError.needsNewerVersion(newer + " on the server") }
        if unopened > 0 {
            report.issues.append(IntegrityIssue(kind: .history, label: "the server holds \(unopened) commit(s) of "
                + "this vault that do not open (altered or injected); left out"))
        }
        if full { view.held = held }
        if let head = view.head, !full, !chain.graph.gaps(from: [head.hash]).isEmpty {
            return try readServerChain(server, local, full: true, report: &report)
        }
        if let head = view.head {
            let gaps = chain.graph.gaps(from: [head.hash])
            if !gaps.isEmpty {
                report.issues.append(IntegrityIssue(kind: .history, label: "the server withholds \(gaps.count) "
                    + "commit(s) of this vault's history that this machine does not hold (withheld or cut)"))
            }
        }
        return view
    }

    /// Reads the server's chain and checks it against the pin. A server that went back (a
    /// failover to a standby that had not received everything, a restored backup) may have
    /// taken its change sequence back too, below what this machine read: the cursors start
    /// again from the beginning, so that nothing written there since is skipped. A rollback
    /// then compares every record with the server (and puts back what it lost); a fork drops
    /// the record base, so that the merge keeps both sides.
    func chainStart(_ server: RemoteStore, _ local: SyncStateStore, _ link: SyncLink,
                    verify: inout Bool, report: inout SyncReport) throws -> ServerChain {
        guard let chain = try openChain() else { return ServerChain() }
        var view = try readServerChain(server, local, report: &report)
        try sendCutCommits(server, view: view, report: &report)
        let verdict = checkServerChain(view, report: &report)
        switch verdict {
        case .fine: break
        case .rolledBack:
            verify = true
            var base = try link.cachedBase(local, self)
            base.sequence = 0
            link.base = base
        case .forked:
            link.base = SyncBase()
        }
        if verdict != .fine {
            chain.state.cursor = 0
            view.explained = true
        }
        saveChainState()
        return view
    }

    /// Adds this machine's commits not read yet to the graph.
    func loadLocalCommits(_ local: Store) {
        guard let chain, let found = try? local.commits(vault: vault, since: chain.localSequence) else { return }
        try? withCommitSealer { sealer in
            for stored in found {
                chain.localSequence = max(chain.localSequence, stored.sequence)
                let hash = CommitHash(sealed: stored.blob)
                guard chain.graph[hash] == nil, let commit = try? sealer.open(stored.blob) else { continue }
                chain.add(commit, blob: stored.blob, hash: hash)
                chain.state.saw(commit, hash: hash)
            }
        }
    }

    /// What the server's head says about the server, before the record rounds.
    enum ChainVerdict {
        /// Nothing the chain can hold against it.
        case fine
        /// It lost saves: this machine's head contains the server's, which lacks the pinned one
        /// or an accepted one. Every record is compared with the server again.
        case rolledBack
        /// It holds saves this machine's head does not, and lacks the pinned one: another
        /// history. The record base counts along the wrong one and is dropped.
        case forked
    }

    /// Before the record rounds: reports by name a server head that does not contain the head
    /// this machine pinned (a fork, a rollback, a swapped table or a restored dump), or that
    /// lacks saves the server accepted from any machine (the `accepted` fields). A head whose
    /// history has gaps was reported as withheld and is judged no further. No clock is used.
    func checkServerChain(_ view: ServerChain, report: inout SyncReport) -> ChainVerdict {
        guard let chain else { return .fine }
        let graph = chain.graph
        let pinned = chain.state.pinned
        if pinned == nil, let head = view.head {
            report.given = "save \(head.count): \(Fingerprint(head.hash))"
        }
        if let head = view.head, !graph.gaps(from: [head.hash]).isEmpty { return .fine }
        // The head this machine pinned was the server's head, which moves only by a compare-and-set
        // it accepted: whoever saved it, the server had accepted it.
        let own = [chain.state.accepted?.hash, pinned?.hash].compactMap { $0 }
        let accepted = graph.acceptedHeads(own: own).filter { graph[$0] != nil }
        if let pinned, !(view.head.map { graph.contains($0.hash, pinned.hash) } ?? false) {
            let lost = view.head.map { graph.lostAccepted(accepted, serverHead: $0.hash) }
                ?? graph.commits(from: accepted, notIn: nil)
            if lost.isEmpty {
                let seen = graph[pinned.hash].map { " (save \($0.count), \(Fingerprint(pinned.hash)))" } ?? ""
                report.issues.append(IntegrityIssue(kind: .history, label: "the server's history does not hold the "
                    + "save this machine last saw there\(seen): a rollback or a fork; joined, nothing dropped"))
            } else {
                report.issues.append(IntegrityIssue(kind: .history, label: lostSentence(lost, sentAgain: true)))
            }
            guard let theirs = view.head, !(chain.head.map { graph.contains($0.hash, theirs.hash) } ?? false) else {
                return .rolledBack
            }
            return .forked
        }
        if let head = view.head {
            let lost = graph.lostAccepted(accepted, serverHead: head.hash)
            if !lost.isEmpty {
                report.issues.append(IntegrityIssue(kind: .history, label: lostSentence(lost, sentAgain: false)))
                return .rolledBack
            }
        }
        return .fine
    }

    /// "the server no longer has 3 save(s) it had accepted (...), with onion 'Groceries', task
    /// 'buy milk' and 1 more, saved on this machine and on machine 1a2b3c; sent again".
    private func lostSentence(_ lost: [CommitHash], sentAgain: Bool) -> String {
        guard let chain else { return "" }
        var machines: [String] = []
        var seen: Set<MachineID> = []
        for hash in lost {
            guard let commit = chain.graph[hash], seen.insert(commit.machine).inserted else { continue }
            machines.append(commit.machine == chain.state.machine ? "this machine"
                            : "machine " + String(lowercaseHex: commit.machine.bytes.prefix(3)))
        }
        let whose = machines.isEmpty ? "" : ", saved on " + machines.joined(separator: " and ")
        let what = lostItems(lost).map { ", with " + $0 } ?? ""
        return "the server no longer has \(lost.count) save(s) it had accepted (a restored backup, a failover "
            + "or a fork)\(what)\(whose)" + (sentAgain ? "; sent again" : "; the machine that saved them sends them again")
    }

    /// After the record rounds: moves the server's head to this machine's (push), this
    /// machine's to the server's (pull), or writes the join of both, here and there. `start`
    /// is the server's chain as read before the rounds.
    func settleChain(_ server: RemoteStore, _ local: SyncStateStore, start: ServerChain, pushOnly: Bool,
                     pullOnly: Bool, report: inout SyncReport) throws -> ChainOutcome {
        guard let chain else { return .settled }
        // The head read before the rounds: their merge covers it. A head moved since then fails
        // the compare-and-set below, and another round follows.
        let view = start
        let serverHead = view.head
        defer { saveChainState() }
        switch (chain.head, serverHead) {
        case (nil, nil):
            return .settled
        case (let mine?, let theirs?) where mine == theirs:
            chain.state.pinned = theirs
            return .settled
        case (let mine, let theirs?) where mine == nil || chain.graph.contains(theirs.hash, mine!.hash):
            // The server's head contains this machine's: it becomes this machine's.
            guard !pushOnly, let blob = view.blob else { return .settled }
            try local.apply(vault: vault, writes: [.put(name: chainHeadName, blob: blob, expectedVersion: chain.headVersion)],
                            commits: [blob])
            chain.head = theirs
            chain.headVersion += 1
            chain.state.pinned = theirs
            // A head that binds another header than this session's: swapped outside the chain.
            if let issue = headerBindingIssue() {
                report.issues.append(issue)
                if !issues.contains(issue) { issues.append(issue) }
            }
            return .settled
        case (let mine?, let theirs) where theirs == nil || chain.graph.contains(mine.hash, theirs!.hash):
            guard !pullOnly, let blob = chain.blobs[mine.hash] else { return .settled }
            return try pushHead(mine, blob: blob, server, view: view)
        case (let mine?, let theirs?):
            // Two lines: the join, whose manifest is the merged one the rounds left on both sides.
            guard !pushOnly, !pullOnly else { return .settled }
            guard let join = try chainWrite(parents: [mine, theirs], writes: []) else { return .settled }
            try local.apply(vault: vault, writes: [join.write], commits: [join.blob])
            chainWritten(join)
            return try pushHead(join.ref, blob: join.blob, server, view: view)
        default:
            return .settled
        }
    }

    /// Sends the commits the server's head lacks and moves its head (compare-and-set); on
    /// success the head is this machine's accepted one and its pin.
    private func pushHead(_ head: CommitRef, blob: [UInt8], _ server: RemoteStore, view: ServerChain) throws -> ChainOutcome {
        guard let chain else { return .settled }
        var missing = chain.graph.commits(from: [head.hash], notIn: view.head?.hash)
        if let held = view.held {
            missing = chain.graph.commits(from: [head.hash], notIn: nil).filter { !held.contains($0) }
        }
        let blobs = missing.compactMap { chain.blobs[$0] }
        do {
            try server.apply(vault: vault, writes: [.put(name: chainHeadName, blob: blob, expectedVersion: view.version)],
                             commits: blobs)
        } catch StoreError.conflict {
            return .again
        }
        chain.state.accepted = head
        chain.state.acceptedSealed = false
        chain.state.pinned = head
        return .settled
    }
}
