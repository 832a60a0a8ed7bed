/// The commits a machine knows, as a graph: ancestry, common ancestors, gaps and evidence.
///
/// Pure and synchronous: the commits were opened and checked (`CommitSealer`) before they are
/// added, and nothing here trusts a server's word about which commit follows which; a parent's
/// count is checked against the parent itself when both are known.
struct CommitGraph {
    private(set) var commits: [CommitHash: Commit] = [:]

    init() {}

    init(_ commits: [CommitHash: Commit]) {
        for (hash, commit) in commits { self.commits[hash] = commit }
    }

    subscript(hash: CommitHash) -> Commit? { commits[hash] }

    var count: Int { commits.count }

    /// Adds an opened commit. False (and nothing added) when a parent it names is known with
    /// another count than the commit says, or a known child names it with another count: the
    /// counts are part of what the chain proves.
    @discardableResult
    mutating func add(_ commit: Commit, hash: CommitHash) -> Bool {
        for parent in commit.parents {
            if let known = commits[parent.hash], known.count != parent.count { return false }
        }
        commits[hash] = commit
        return true
    }

    /// True when `ancestor` is `descendant` or one of its ancestors. Walks only commits whose
    /// count is above the ancestor's; a missing commit on the way ends that path (see `gaps`).
    func contains(_ descendant: CommitHash, _ ancestor: CommitHash) -> Bool {
        if descendant == ancestor { return true }
        let target = commits[ancestor]?.count ?? 0
        var seen: Set<CommitHash> = [descendant]
        var stack = [descendant]
        while let hash = stack.popLast() {
            guard let commit = commits[hash] else { continue }
            for parent in commit.parents {
                if parent.hash == ancestor { return true }
                guard parent.count > target, seen.insert(parent.hash).inserted else { continue }
                stack.append(parent.hash)
            }
        }
        return false
    }

    /// Every commit reachable from `head`, itself included (known ones only).
    func ancestors(of head: CommitHash) -> Set<CommitHash> {
        var seen: Set<CommitHash> = []
        var stack = [head]
        while let hash = stack.popLast() {
            guard commits[hash] != nil, seen.insert(hash).inserted else { continue }
            stack += commits[hash]!.parents.map(\.hash)
        }
        return seen
    }

    /// The common ancestor of `a` and `b` with the highest count (ties: the lowest hash), or nil
    /// when the two share none that this machine knows.
    func mergeBase(_ a: CommitHash, _ b: CommitHash) -> CommitHash? {
        let fromA = ancestors(of: a)
        if fromA.contains(b) { return b }
        var best: (count: UInt64, hash: CommitHash)?
        var seen: Set<CommitHash> = []
        var stack = [b]
        while let hash = stack.popLast() {
            guard let commit = commits[hash], seen.insert(hash).inserted else { continue }
            if let best, commit.count < best.count { continue }
            if fromA.contains(hash) {
                if best == nil || commit.count > best!.count || (commit.count == best!.count && hash < best!.hash) {
                    best = (commit.count, hash)
                }
                continue
            }
            stack += commit.parents.map(\.hash)
        }
        return best?.hash
    }

    /// Commits that known commits reachable from `heads` name as parents but that this machine
    /// does not hold: a server that withholds them, or a chain cut in the middle.
    func gaps(from heads: [CommitHash]) -> Set<CommitHash> {
        var missing: Set<CommitHash> = []
        var seen: Set<CommitHash> = []
        var stack = heads
        while let hash = stack.popLast() {
            guard seen.insert(hash).inserted else { continue }
            guard let commit = commits[hash] else {
                missing.insert(hash)
                continue
            }
            stack += commit.parents.map(\.hash)
        }
        return missing
    }

    /// The commits reachable from `heads` and not from `base` (what one side has that the
    /// other lacks), oldest first.
    func commits(from heads: [CommitHash], notIn base: CommitHash?) -> [CommitHash] {
        let excluded = base.map(ancestors(of:)) ?? []
        var found: Set<CommitHash> = []
        for head in heads { found.formUnion(ancestors(of: head)) }
        return found.subtracting(excluded).sorted {
            let (a, b) = (commits[$0]!.count, commits[$1]!.count)
            return a != b ? a < b : $0 < $1
        }
    }

    /// What the server's head lacks of the heads it had accepted: every commit that one of
    /// `accepted` reaches and `serverHead` does not. An honest server only moves its head to
    /// a commit that contains the one it accepted before, so any commit listed here is a save
    /// the server had accepted and then lost or hid (a restored backup, a failover, a fork).
    func lostAccepted(_ accepted: [CommitHash], serverHead: CommitHash) -> [CommitHash] {
        let kept = ancestors(of: serverHead)
        let lost = accepted.filter { !kept.contains($0) }
        guard !lost.isEmpty else { return [] }
        return commits(from: lost, notIn: nil).filter { !kept.contains($0) }
    }

    /// Every head the server is known to have accepted: the `accepted` field of every known
    /// commit, plus `own` (what this machine itself saw accepted).
    func acceptedHeads(own: [CommitHash]) -> [CommitHash] {
        var heads = Set(own)
        for commit in commits.values {
            if let accepted = commit.accepted { heads.insert(accepted.hash) }
        }
        return heads.sorted()
    }

    /// Pairs of accepted heads of which neither contains the other: proof, without the server's
    /// head, that the server showed two histories.
    func incomparableAccepted(_ heads: [CommitHash]) -> [(CommitHash, CommitHash)] {
        var pairs: [(CommitHash, CommitHash)] = []
        let known = heads.filter { commits[$0] != nil }
        for (i, a) in known.enumerated() {
            for b in known[(i + 1)...] where !contains(a, b) && !contains(b, a) {
                pairs.append((a, b))
            }
        }
        return pairs
    }
}
