import OnionsCore
import OnionsCrypto
import TerminalUI

/// The checklist: selection, hiding done tasks, the input line for a new or edited task.
public struct TasksState {
    public var visible: [TaskSummary] = []
    public var list = ListView(count: 0)
    public var hideDone = false
    /// The input line while adding (`base` nil) or editing a task.
    public var input: TextField?
    /// The task being edited as it was when the input line opened.
    public var base: TaskBase?
    /// The search over the tasks' texts (`/`), folded as `onions grep` folds (case, accents).
    public var filter = TextField(limit: 30)
    public var filtering = false
    /// True while a key goes into a text (the input line or the search).
    public var isTyping: Bool { input != nil || filtering }
    /// The number of the task being edited.
    public var editing: UInt16? { base?.id }
    public init() {}

    public var selectedID: UInt16? { list.selection.flatMap { visible.indices.contains($0) ? visible[$0].id : nil } }

    public mutating func wipe() {
        input?.wipe()
        input = nil
        base?.wipe()
        base = nil
        filter.wipe()
        filtering = false
        visible.removeAll()
    }
}
