/// Something a store did that the vault noticed: reported by name, never shown as data.
public struct IntegrityIssue: Equatable, Sendable, CustomStringConvertible {
    public enum Kind: Hashable, Sendable {
        /// The store holds an older version of a record than the manifest lists.
        case older
        /// The store lost (or deleted) a record the manifest lists.
        case missing
        /// A record does not open: altered, or moved from another name or version.
        case damaged
        /// The store holds records the manifest does not list (replayed after delete).
        case unlisted(count: Int)
        /// The store holds another copy of a record than this vault wrote at that version
        /// (replayed after a hidden delete, or swapped).
        case replaced
        /// The store holds a record again that this vault deleted (put back behind its back).
        case reAdded
        /// The whole store is older than this machine has seen.
        case rolledBack(seen: UInt64, found: UInt64)
        /// The manifest itself is missing or does not open.
        case manifest
        /// The server holds a record at an older version than this vault wrote (rolled back).
        case serverOlder
        /// The server deleted a record, or reports it deleted, behind this vault's back.
        case dropped
        /// The server holds another blob for a record than this vault wrote, one that belongs
        /// to no other record of the vault (a changed byte, an injected blob).
        case altered
        /// The server holds, under this record's name, the blob of the record named `with`.
        case swapped(with: String)
        /// The server put back an older copy of the whole vault: `count` records older or missing.
        case replayed(count: Int)
        /// What the vault's chain of commits proves the server did (a fork, a rollback, a
        /// withheld or altered commit): the label is the whole sentence.
        case history
    }

    public let kind: Kind
    /// What the record is ("onion 'Groceries'", "task 'buy milk'"), when known.
    public let label: String

    public init(kind: Kind, label: String) {
        self.kind = kind
        self.label = label
    }

    public var description: String {
        switch kind {
        case .older: return "the store returned an older version of \(label)"
        case .missing: return "the store lost \(label) (deleted behind this program's back)"
        case .damaged: return "\(label) is damaged or was tampered with (it does not open)"
        case .replaced:
            return "the store returned another copy of \(label) than this vault wrote (replayed or swapped); not shown"
        case .reAdded: return "the store brought back a deleted record (\(label)); not shown"
        case .unlisted(let n):
            return "the store holds \(n) record(s) this vault does not list (replayed or injected); ignored"
        case .rolledBack(let seen, let found):
            return "the store was rolled back to an older copy: vault state \(found), this machine has seen \(seen)"
        case .manifest: return "the vault's manifest is missing or damaged; the store was tampered with"
        case .serverOlder: return "the server returned an older version of \(label)"
        case .dropped: return "the server dropped \(label)"
        case .altered: return "the server altered \(label) (it does not open, or is not the copy this vault wrote)"
        case .swapped(let other): return "the server swapped \(label) with \(other)"
        case .replayed(let n):
            return "the server replayed an older copy of the vault (\(n) record(s) older or missing)"
        case .history: return label
        }
    }

    /// True for what a sync found the server did: the description names the server itself.
    public var isAboutServer: Bool {
        switch kind {
        case .serverOlder, .dropped, .altered, .swapped, .replayed, .history: return true
        default: return false
        }
    }
}
