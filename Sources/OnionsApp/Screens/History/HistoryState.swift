import OnionsCore
import OnionsCrypto
import TerminalUI

/// One version as the history view lists it: the version, and its time and machine as shown.
public struct VersionLine {
    public let version: ItemVersion
    /// "2026-11-26 16:30 UTC", or "time unknown".
    public var when: String
    /// "this machine", or "machine 1a2b3c4d" (the first bytes of its id), or "machine unknown".
    public var machine: String

    public init(version: ItemVersion, when: String, machine: String) {
        self.version = version
        self.when = when
        self.machine = machine
    }
}

/// The text of one version in secret memory, one line per line shown: an onion's title then its
/// info, a task's text, a card's recipient then (opened with its own password) its description.
/// Belongs to whoever holds it last; `wipe()` when done.
public final class VersionText: @unchecked Sendable {
    public let number: Int
    public let text: SecretBytes
    /// A card version that the password given did not open: `text` holds its recipient only.
    public let sealed: Bool

    public init(number: Int, text: SecretBytes, sealed: Bool = false) {
        self.number = number
        self.text = text
        self.sealed = sealed
    }

    public func wipe() { text.wipe() }
}

/// What the history of a conflict copy says it came from.
public struct HistoryOrigin: Equatable, Sendable {
    /// "Conflict copy of version 3 of the onion, saved by machine 1a2b3c4d (commit 5)".
    public var text: String
    /// The item it came from is in the vault: `o` gives it the copy's text.
    public var restorable: Bool

    public init(text: String, restorable: Bool) {
        self.text = text
        self.restorable = restorable
    }
}

/// An item's versions with its current one and the one before it opened (the answer to
/// `VaultRequest.history`), and a card's password that opened them.
public final class HistoryListing: @unchecked Sendable {
    public let lines: [VersionLine]
    public let current: VersionText
    public let selected: VersionText
    public let password: SecretBytes?
    /// Set for a conflict copy.
    public var origin: HistoryOrigin?

    public init(lines: [VersionLine], current: VersionText, selected: VersionText, password: SecretBytes?) {
        self.lines = lines
        self.current = current
        self.selected = selected
        self.password = password
    }

    public func wipe() {
        current.wipe()
        selected.wipe()
        password?.wipe()
    }
}

/// The history view of one item: its versions, the selected one beside the current one.
public struct HistoryState {
    public let item: ItemRef
    /// The view Esc goes back to.
    public let back: VaultView
    public var lines: [VersionLine]
    public var list: ListView
    public var current: VersionText
    /// The selected version's text once opened (nil while asked for).
    public var shown: VersionText?
    /// The version number asked for last.
    public var asked: Int?
    /// The selected version against the current one, line by line.
    public var diff: [DiffLine] = []
    /// First row of the comparison shown.
    public var scroll = 0
    /// A card's own password, for opening its other versions.
    public var password: SecretBytes?
    /// Where a conflict copy came from (nil for anything else).
    public var origin: HistoryOrigin?

    init(item: ItemRef, back: VaultView, listing: HistoryListing) {
        self.item = item
        self.back = back
        lines = listing.lines
        current = listing.current
        shown = listing.selected
        password = listing.password
        origin = listing.origin
        list = ListView(count: lines.count)
        if let index = lines.firstIndex(where: { $0.version.number == listing.selected.number }) { list.select(index) }
        asked = listing.selected.number
        diff = LineDiff.diff(old: listing.selected.text, new: listing.current.text)
    }

    /// The version selected in the list.
    public var selected: VersionLine? { list.selection.flatMap { lines.indices.contains($0) ? lines[$0] : nil } }

    public mutating func wipe() {
        current.wipe()
        shown?.wipe()
        shown = nil
        password?.wipe()
        password = nil
        diff.removeAll()
    }
}
