import OnionsCore
import OnionsCrypto
import TerminalUI

/// The onion list: selection, search, preview.
public struct OnionListState {
    /// The onions shown (all, or those matching the search).
    public var visible: [OnionSummary] = []
    public var list = ListView(count: 0)
    /// The search being typed after `/` (active) or kept after Enter.
    public var search = TextField(limit: 64)
    public var searching = false
    /// The folder the list is narrowed to (`f`), nil for every onion.
    public var folder: [UInt8]?
    /// Results of the queries typed so far, each a prefix of the next, so that typing one more
    /// character searches only the last results and Backspace needs no search at all.
    public var searchSteps: [(query: [UInt8], results: [OnionSummary])] = []
    /// The selected onion's info, opened for the preview.
    public var preview: (id: ItemID, info: SecretBytes)?
    /// The onion whose preview was asked for last.
    public var previewAsked: ItemID?
    /// The selected onion shown read-only over the list (Enter), nil on the list itself.
    public var reader: OnionReader?
    /// The way `n` (1) or `N` (-1) went when it left the read view's onion for the next one
    /// with a match: the next one opens at its first match, or at its last.
    public var readerStep = 1
    public init() {}

    public var selectedID: ItemID? { list.selection.flatMap { visible.indices.contains($0) ? visible[$0].id : nil } }

    /// Overwrites the remembered queries and drops their results (after a change to the vault).
    public mutating func forgetSearchSteps() {
        for i in searchSteps.indices {
            for j in searchSteps[i].query.indices { searchSteps[i].query[j] = 0 }
        }
        searchSteps.removeAll()
    }

    /// Zeroes and drops the folder the list is narrowed to.
    public mutating func forgetFolder() {
        if var folder { for i in folder.indices { folder[i] = 0 } }
        folder = nil
    }

    public mutating func wipe() {
        search.wipe()
        forgetFolder()
        forgetSearchSteps()
        preview?.info.wipe()
        preview = nil
        previewAsked = nil
        reader?.wipe()
        reader = nil
        visible.removeAll()
    }
}

/// An onion opened read-only: its info word-wrapped and scrolled, the search's matches marked.
public struct OnionReader {
    public let id: ItemID
    /// The info as it was opened (matches are found in these bytes).
    public var info: SecretBytes
    /// The same info as graphemes, wrapped for the screen.
    public var view: TextView
    /// The match `n` and `N` went to last (an index into the matches of the current search).
    public var currentMatch: Int?

    public init(id: ItemID, info: SecretBytes, view: TextView) {
        self.id = id
        self.info = info
        self.view = view
    }

    public mutating func wipe() {
        info.wipe()
        view.wipe()
        currentMatch = nil
    }
}
