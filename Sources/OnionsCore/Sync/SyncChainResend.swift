/// The holder of a cut or withheld commit sends it again (DESIGN.md 5b).
///
/// An honest server holds every commit its head follows: each was sent in the transaction that
/// moved its head past it. The head record comes with the number of commits the server holds
/// (`Store.headRecord`, one statement), so a machine that knows more commits behind that head
/// than the server holds in all learns, without a call of its own, that the server lost some:
/// one cut from the middle of the chain, or one withheld. Only then does it ask which of them
/// the server holds (`Store.heldCommits`) and send the missing ones again. The machines that
/// lack them name the gap until then, and read them at their next sync.
extension ChainLink {
    /// How many commits known here `head` follows, itself included (kept while the head and
    /// the number of known commits stay the same).
    func knownHistoryCount(of head: CommitHash) -> Int {
        if let kept = historyCount, kept.head == head, kept.graphCount == graph.count { return kept.count }
        let count = graph.ancestors(of: head).count
        historyCount = (head, graph.count, count)
        return count
    }
}

extension Session {
    /// After the server's head was read: when the server holds fewer commits than this machine
    /// knows that head to follow, sends the ones it lacks (at most 10,000 a call, as the server
    /// takes them) and names them. Nothing while the vault is read-only.
    func sendCutCommits(_ server: RemoteStore, view: ServerChain, report: inout SyncReport) throws {
        guard let chain, let head = view.head, let held = view.commitCount, !isReadOnly,
              held < chain.graph.count, held < chain.knownHistoryCount(of: head.hash) else { return }
        let history = chain.graph.commits(from: [head.hash], notIn: nil)
        let there = try server.heldCommits(vault: vault, hashes: history)
        let blobs = history.filter { !there.contains($0) }.compactMap { chain.blobs[$0] }
        guard !blobs.isEmpty else { return }
        for start in stride(from: 0, to: blobs.count, by: 10_000) {
            try server.apply(vault: vault, writes: [], commits: Array(blobs[start..<min(start + 10_000, blobs.count)]))
        }
        report.issues.append(IntegrityIssue(kind: .history, label: "the server lacks \(blobs.count) commit(s) of "
            + "the history its head follows (cut from it or withheld); this machine holds them and sent them again"))
    }
}
