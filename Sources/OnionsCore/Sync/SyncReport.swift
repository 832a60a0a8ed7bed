/// What one sync did, for the interface to show and the command line to print (on stderr).
///
/// Lines name records the way the person knows them (titles, recipients, task texts), so show
/// them only to the person at the keyboard; never log them.
public struct SyncReport: Sendable, Equatable {
    /// Records fetched from the server and written here (a merge or a conflict copy is written
    /// on both sides, so it counts here and in `pushed`); the manifest is not counted.
    public var pulled = 0
    /// Records sent to the server; the manifest is not counted.
    public var pushed = 0
    /// Both machines changed the same item and their edits were merged.
    public var merged: [String] = []
    /// Both machines changed the same item in overlapping ways: the other version is kept as a
    /// new item whose title says "conflict".
    public var conflicts: [String] = []
    /// One machine deleted an item the other edited: the edit is kept.
    public var restored: [String] = []
    /// Tasks added on both machines under the same number: this machine's moved to a free one.
    public var renumbered: [String] = []
    /// What the server did that the vault noticed (older, missing, damaged records, rollback).
    public var issues: [IntegrityIssue] = []
    /// Records whose good copy this machine put back on the server after the server altered,
    /// dropped, swapped or rolled them back (each named in `issues`).
    public var repaired = 0
    /// Why the server could not be reached (the session works offline), nil when it was.
    public var offline: String?
    /// The server refused this vault's key or holds a different vault under the same name.
    public var refused: String?
    /// True when this machine's lists changed: the interface should show them again (find the
    /// selected item again by id; handles in `Session.texts` from before are invalid).
    public var changedLocally = false
    /// At a machine's first sync with a head on the server: its six words and count, as
    /// "save N: words", for the person to compare with another machine's `onions verify`.
    public var given: String?

    public init() {}

    /// This report followed by `later` (a second round of the same sync): counts add up, lists
    /// join, and the later round says whether the server was reached.
    public func followed(by later: SyncReport) -> SyncReport {
        var both = later
        both.pulled += pulled
        both.pushed += pushed
        both.repaired += repaired
        both.merged = merged + later.merged
        both.conflicts = conflicts + later.conflicts
        both.restored = restored + later.restored
        both.renumbered = renumbered + later.renumbered
        both.issues = issues + later.issues.filter { !issues.contains($0) }
        both.changedLocally = changedLocally || later.changedLocally
        both.given = given ?? later.given
        return both
    }

    /// One line per thing worth telling, in a fixed order; empty when nothing happened.
    public var lines: [String] {
        var out: [String] = []
        if let offline { out.append("offline: \(offline); changes stay here and sync when the server is back") }
        if let refused { out.append(refused) }
        out += merged + conflicts + restored + renumbered
        out += issues.map { $0.isAboutServer ? "\($0)" : "the server: \($0)" }
        if repaired > 0 { out.append("put this machine's good copy of \(repaired) record(s) back on the server") }
        return out
    }

    /// "synced: 3 record(s) pulled, 1 pushed, 1 merged, 0 conflict copies" style summary.
    public var summary: String {
        if let offline { return "offline (\(offline))" }
        return "synced: \(pulled) record(s) pulled, \(pushed) pushed, \(merged.count) merged, "
            + "\(conflicts.count) conflict cop\(conflicts.count == 1 ? "y" : "ies")"
    }
}
