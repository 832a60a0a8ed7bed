import OnionsCrypto

/// The one set of rules by which two versions of an item meet: "mine" (this machine's, or this
/// save's) and "theirs" (the server's, or what another writer of the same store committed),
/// against the version both started from (the base, nil when unknown).
///
/// Sync (another machine's changes, SyncResolve.swift) and saves made after another writer of
/// the same store (SessionPeerWrites.swift, SessionPeerCards.swift, SessionPeerTasks.swift,
/// SessionSettings.swift) ask here and nowhere else, so the two cannot drift apart. (A draft is
/// one editor's autosave: within one store the latest replaces it; only sync meets two.)
///
/// - An edit wins over a delete (`survivor`).
/// - Onions: a title changed on one side only takes that side's; infos merge line by line
///   (`ThreeWayMerge`). Overlapping edits, or a merge over the limits, keep theirs in place and
///   mine as a new onion under `conflictName`.
/// - Tasks: the text as an onion's title; the done mark changed on one side only takes that
///   side's (mine when both changed it).
/// - Cards (sealed under their own password) and drafts (one editor's state) never merge:
///   unless both are the same, theirs stays and mine becomes a copy.
/// - Settings: see `settings`.
///
/// Every function reads its arguments and returns new secret memory the caller wipes.
enum ItemMerge {
    /// What survives when one side deleted an item: the side that kept it (an edit wins).
    enum Survivor: Equatable {
        /// Both deleted it.
        case neither
        case mine
        case theirs
        /// Both hold it: merge them.
        case both
    }

    static func survivor(mine: Bool, theirs: Bool) -> Survivor {
        switch (mine, theirs) {
        case (false, false): .neither
        case (true, false): .mine
        case (false, true): .theirs
        case (true, true): .both
        }
    }

    /// How two living versions met.
    enum Outcome<Value> {
        /// Merged (possibly equal to theirs: then nothing of mine is lost by keeping theirs).
        case merged(Value)
        /// They overlap: theirs stays, mine is kept as a new item (`conflictName`).
        case conflict
    }

    /// One field: the side that changed when only one did; either when both agree; nil when both
    /// changed it differently (or, without a base, when they differ).
    static func pick(_ mine: SecretBytes, _ theirs: SecretBytes, base: SecretBytes?) -> SecretBytes? {
        if equal(mine, theirs) { return mine.copy() }
        guard let base else { return nil }
        if equal(base, mine) { return theirs.copy() }
        if equal(base, theirs) { return mine.copy() }
        return nil
    }

    // MARK: Onions

    static func onion(mine: (title: SecretBytes, info: SecretBytes), theirs: (title: SecretBytes, info: SecretBytes),
                      base: (title: SecretBytes?, info: SecretBytes?)) -> Outcome<(title: SecretBytes, info: SecretBytes)> {
        guard let title = pick(mine.title, theirs.title, base: base.title) else { return .conflict }
        var info: SecretBytes?
        if equal(mine.info, theirs.info) {
            info = mine.info.copy()
        } else if let baseInfo = base.info {
            info = ThreeWayMerge.merge(base: baseInfo, local: mine.info, remote: theirs.info)
        }
        guard let info, (try? FieldLimit.onionTitle.check(title)) != nil, (try? FieldLimit.onionInfo.check(info)) != nil
        else {
            title.wipe()
            info?.wipe()
            return .conflict
        }
        return .merged((title, info))
    }

    // MARK: Tasks

    static func task(mine: (text: SecretBytes, done: Bool), theirs: (text: SecretBytes, done: Bool),
                     base: (text: SecretBytes, done: Bool)?) -> Outcome<(text: SecretBytes, done: Bool)> {
        guard let text = pick(mine.text, theirs.text, base: base?.text) else { return .conflict }
        let done = mine.done == theirs.done ? mine.done : (base.map { $0.done == mine.done ? theirs.done : mine.done } ?? theirs.done)
        return .merged((text, done))
    }

    // MARK: Cards and drafts

    /// A card or draft: `same` when both sides hold the same one (or theirs did not change since
    /// the base), else a conflict. Nothing sealed under a card's password is ever opened to merge.
    static func whole(same: Bool) -> Outcome<Void> {
        same ? .merged(()) : .conflict
    }

    // MARK: Settings

    /// The order, the task order and the retention chosen later win (theirs on a tie); an item pinned or
    /// unpinned on one side follows that side, and without a base the pins are united; values
    /// this program does not read are theirs, with mine where theirs has none.
    static func settings(mine l: VaultSettings, theirs r: VaultSettings, base b: VaultSettings?) -> VaultSettings {
        var m = VaultSettings()
        (m.order, m.orderChanged) = l.orderChanged > r.orderChanged ? (l.order, l.orderChanged) : (r.order, r.orderChanged)
        (m.taskOrder, m.taskOrderChanged) = l.taskOrderChanged > r.taskOrderChanged
            ? (l.taskOrder, l.taskOrderChanged) : (r.taskOrder, r.taskOrderChanged)
        (m.retention, m.retentionChanged) = l.retentionChanged > r.retentionChanged
            ? (l.retention, l.retentionChanged) : (r.retention, r.retentionChanged)
        if let b {
            m.pinned = l.pinned.union(r.pinned).filter { id in
                b.pinned.contains(id) ? l.pinned.contains(id) && r.pinned.contains(id) : true
            }
        } else {
            m.pinned = l.pinned.union(r.pinned)
        }
        if m.pinned.count > VaultSettings.maxPinned {
            m.pinned = Set(m.pinned.sorted { $0.bytes.lexicographicallyPrecedes($1.bytes) }.prefix(VaultSettings.maxPinned))
        }
        for (tag, value) in r.unknown { m.unknown[tag] = value.copy() }
        for (tag, value) in l.unknown where m.unknown[tag] == nil { m.unknown[tag] = value.copy() }
        return m
    }

    // MARK: The conflict name

    /// The name mine is kept under: "text (conflict N)" with the lowest N from 2 that none of
    /// `taken` (handles in `table`: the labels of every item of the kind) equals, cut by
    /// characters so that it fits `limit`.
    static func conflictName(_ text: SecretBytes, limit: FieldLimit, among taken: [Int], in table: SecretTable) -> SecretBytes {
        var number = 2
        while true {
            let candidate = conflictName(text, number: number, limit: limit)
            let used = taken.contains { handle in
                table.withBytes(handle) { existing in
                    candidate.withUnsafeBytes { existing.count == $0.count && ConstantTime.equals(existing, $0) }
                }
            }
            if !used { return candidate }
            candidate.wipe()
            number += 1
        }
    }

    /// `text` followed by " (conflict N)", cut (by characters) so that it fits `limit`.
    static func conflictName(_ text: SecretBytes, number: Int, limit: FieldLimit) -> SecretBytes {
        let suffix = " (conflict \(number))"
        var kept = Substring(text.withUnsafeBytes { String(decoding: $0, as: UTF8.self) })
        while kept.count + suffix.count > limit.maxCharacters || kept.utf8.count + suffix.utf8.count > limit.maxBytes {
            kept = kept.dropLast()
        }
        while kept.last == " " { kept = kept.dropLast() }
        var bytes = Array(kept.utf8) + Array(suffix.utf8)
        defer { for i in bytes.indices { bytes[i] = 0 } }
        return SecretBytes(copying: bytes)
    }

    static func equal(_ a: SecretBytes, _ b: SecretBytes) -> Bool {
        a.count == b.count && a.constantTimeEquals(b)
    }
}
