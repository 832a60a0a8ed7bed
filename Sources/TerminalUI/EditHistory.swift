/// The undo and redo steps of one text editor, each step a replacement of graphemes.
///
/// A step keeps only what it changed (the graphemes removed and inserted at one index), so a
/// step costs what was typed, not the whole text. Typing in one run (up to a space after a
/// word), and Backspace or Delete pressed in a row, each make one step. The history is
/// bounded (`maximumSteps` steps, `maximumGraphemes` graphemes kept in all, oldest dropped
/// first) and holds plaintext: `wipe()` overwrites it, and the editors call it from theirs.
struct EditHistory: Hashable, Sendable {
    /// How a step came about: runs of the same kind at the same place join one step.
    enum Kind: Hashable, Sendable {
        case typing, deletingBackward, deletingForward, other
    }

    /// Graphemes `removed` were at `at` and `inserted` took their place.
    struct Step: Hashable, Sendable {
        var at: Int
        var removed: [Character]
        var inserted: [Character]
        /// Where the cursor was before the step (undo puts it back there).
        var cursorBefore: Int
        var kind: Kind

        mutating func wipe() {
            for index in removed.indices { removed[index] = " " }
            for index in inserted.indices { inserted[index] = " " }
            removed.removeAll()
            inserted.removeAll()
        }

        var size: Int { removed.count + inserted.count }
    }

    static let maximumSteps = 100
    static let maximumGraphemes = 20_000

    private(set) var undoSteps: [Step] = []
    private(set) var redoSteps: [Step] = []
    private var kept = 0

    var canUndo: Bool { !undoSteps.isEmpty }
    var canRedo: Bool { !redoSteps.isEmpty }

    /// Records an edit made at `at`: `removed` gave way to `inserted`. Clears the redo steps.
    mutating func record(at: Int, removed: [Character], inserted: [Character], cursorBefore: Int, kind: Kind) {
        dropRedo()
        // The last step is changed in place: a copy of it would copy (and leave behind) its text.
        if kind != .other, !undoSteps.isEmpty, undoSteps[undoSteps.count - 1].kind == kind,
           Self.join(&undoSteps[undoSteps.count - 1], at: at, removed: removed, inserted: inserted) {
            kept += removed.count + inserted.count
        } else {
            undoSteps.append(Step(at: at, removed: removed, inserted: inserted, cursorBefore: cursorBefore, kind: kind))
            kept += removed.count + inserted.count
        }
        while undoSteps.count > Self.maximumSteps || (kept > Self.maximumGraphemes && undoSteps.count > 1) {
            var oldest = undoSteps.removeFirst()
            kept -= oldest.size
            oldest.wipe()
        }
    }

    /// Extends `last` by an edit of the same kind right where it ended; false when it does not
    /// continue it.
    private static func join(_ last: inout Step, at: Int, removed: [Character], inserted: [Character]) -> Bool {
        switch last.kind {
        case .typing:
            guard removed.isEmpty, at == last.at + last.inserted.count, let typed = inserted.first,
                  inserted.count == 1 else { return false }
            // A space after a word starts the next step, so undo takes back a word at a time.
            if typed.isWhitespace, let previous = last.inserted.last, !previous.isWhitespace { return false }
            last.inserted.append(typed)
            return true
        case .deletingBackward:
            guard inserted.isEmpty, removed.count == 1, at + 1 == last.at else { return false }
            last.removed.insert(removed[0], at: 0)
            last.at = at
            return true
        case .deletingForward:
            guard inserted.isEmpty, removed.count == 1, at == last.at else { return false }
            last.removed.append(removed[0])
            return true
        case .other:
            return false
        }
    }

    /// A combining mark or joiner typed onto the last grapheme of the typing step under way
    /// changes that step instead of making a new one; false when there is no such step.
    mutating func amendTyping(at index: Int, to character: Character) -> Bool {
        guard redoSteps.isEmpty, let last = undoSteps.indices.last, undoSteps[last].kind == .typing,
              !undoSteps[last].inserted.isEmpty,
              index == undoSteps[last].at + undoSteps[last].inserted.count - 1 else { return false }
        undoSteps[last].inserted[undoSteps[last].inserted.count - 1] = character
        return true
    }

    /// Takes the last step off for undoing; it moves to the redo steps.
    mutating func popUndo() -> Step? {
        guard let step = undoSteps.popLast() else { return nil }
        redoSteps.append(step)
        return step
    }

    /// Takes the last undone step off for redoing; it moves back to the undo steps.
    mutating func popRedo() -> Step? {
        guard let step = redoSteps.popLast() else { return nil }
        var closed = step
        // A redone step never joins what is typed next.
        closed.kind = .other
        undoSteps.append(closed)
        return step
    }

    private mutating func dropRedo() {
        for index in redoSteps.indices {
            kept -= redoSteps[index].size
            redoSteps[index].wipe()
        }
        redoSteps.removeAll()
    }

    /// Overwrites every grapheme kept and forgets all steps.
    mutating func wipe() {
        for index in undoSteps.indices { undoSteps[index].wipe() }
        for index in redoSteps.indices { redoSteps[index].wipe() }
        undoSteps.removeAll()
        redoSteps.removeAll()
        kept = 0
    }
}
