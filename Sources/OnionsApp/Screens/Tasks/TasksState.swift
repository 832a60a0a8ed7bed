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
    /// The number of the task being edited.
    public var editing: UInt16? { base?.id }
    public init() {}

    public var selectedID: UInt16? { list.selection.flatMap { visible.indices.contains($0) ? visible[$0].id : nil } }

    public mutating func wipe() {
        input?.wipe()
        input = nil
        base?.wipe()
        base = nil
        visible.removeAll()
    }
}
