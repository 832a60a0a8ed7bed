import OnionsCore
import OnionsCrypto
import TerminalUI

/// The editor: a title field and an info area.
public struct EditorState {
    public enum Focus: Equatable { case title, info }
    /// The onion being edited; nil for a new one.
    public var target: ItemID?
    public var title: TextField
    public var info: TextArea
    public var focus: Focus = .title
    /// True once anything was typed (Esc asks before discarding).
    public var dirty = false
    /// The text the editor started from (nil for a new onion or a restored draft): a save
    /// carries it to merge with another writer's change; it is away while the save runs.
    public var base: EditBase?

    public init(target: ItemID?, title: [Character], info: [Character], base: EditBase? = nil) {
        self.base = base
        self.target = target
        self.title = TextField(title, limit: FieldLimit.onionTitle.maxCharacters, byteLimit: FieldLimit.onionTitle.maxBytes)
        self.info = TextArea(info, limit: FieldLimit.onionInfo.maxCharacters, byteLimit: FieldLimit.onionInfo.maxBytes)
    }

    public mutating func wipe() {
        title.wipe()
        info.wipe()
        base?.wipe()
        base = nil
    }
}

/// Where the editor's cursors and view were (positions only, nothing typed), so that unlocking
/// shows the draft as it was left.
public struct EditorPlace: Equatable {
    public var infoFocused: Bool
    public var titleCursor: Int
    public var infoCursor: Int
    public var infoScroll: Int

    public init(infoFocused: Bool, titleCursor: Int = 0, infoCursor: Int = 0, infoScroll: Int = 0) {
        self.infoFocused = infoFocused
        self.titleCursor = titleCursor
        self.infoCursor = infoCursor
        self.infoScroll = infoScroll
    }

    /// The place `editor` is at.
    public init(_ editor: EditorState) {
        self.init(infoFocused: editor.focus == .info, titleCursor: editor.title.cursor, infoCursor: editor.info.cursor,
                  infoScroll: editor.info.scroll)
    }

    /// Puts `editor` back at this place (positions past the text end at its end).
    public func restore(_ editor: inout EditorState) {
        editor.focus = infoFocused ? .info : .title
        editor.title.setCursor(titleCursor)
        editor.info.setScroll(infoScroll)
        editor.info.setCursor(infoCursor)
    }
}
