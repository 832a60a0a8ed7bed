/// The editing keys `TextField` and `TextArea` share beyond characters and arrows: word
/// motions and deletions, undo and redo.
///
/// Undo is Ctrl-_ (most terminals send it for Ctrl-/ and Ctrl-7 too) or Alt-u; redo is Alt-r.
/// Ctrl-Z stays the suspend key and Ctrl-R is left free.
public enum EditingKeys {
    public enum Action: Hashable, Sendable {
        case wordLeft, wordRight, deleteWordBefore, deleteWordAfter, undo, redo
    }

    /// The action `key` asks for, nil when it is not one of these keys.
    public static func action(for key: Key) -> Action? {
        switch key {
        case .ctrlLeft, .alt("b"): return .wordLeft
        case .ctrlRight, .alt("f"): return .wordRight
        case .ctrl("w"), .altBackspace: return .deleteWordBefore
        case .alt("d"): return .deleteWordAfter
        case .ctrl("_"), .alt("u"): return .undo
        case .alt("r"): return .redo
        default: return nil
        }
    }
}
