import OnionsCrypto

/// Tasks: the checklist, numbered by the lowest free id. The counter record (`task_max`) is
/// not written by a task's add or delete: a name written only when a task is added would tell
/// a server which saves added tasks (FORMAT.md section 5); only a sync that renumbers writes it.
extension Session {
    /// Adds a task under the lowest free id. Returns the id.
    @discardableResult
    public func addTask(_ text: SecretBytes) throws -> UInt16 {
        try checkUnlocked()
        try check(text, FieldLimit.taskDescription)
        var id: UInt16 = 0
        for t in tasks where t.id == id { id += 1 }  // tasks are sorted by id
        guard tasks.count < Int(UInt16.max) else { throw VaultError.tooManyTasks }
        try commit([try taskWrite(id: id, text: text, done: false)])
        tasks.append(TaskSummary(id: id, text: texts.add(text), done: false))
        tasks.sort { $0.id < $1.id }
        return id
    }

    /// Marks a task done or not done.
    public func setTask(_ id: UInt16, done: Bool) throws {
        try checkUnlocked()
        guard let i = tasks.firstIndex(where: { $0.id == id }) else { throw VaultError.noSuchItem("task \(id)") }
        let text = texts.copy(tasks[i].text)
        defer { text.wipe() }
        try commit([try taskWrite(id: id, text: text, done: done)])
        tasks[i] = TaskSummary(id: id, text: tasks[i].text, done: done)
    }

    /// Changes a task's text.
    public func editTask(_ id: UInt16, text: SecretBytes) throws {
        try checkUnlocked()
        try check(text, FieldLimit.taskDescription)
        guard let i = tasks.firstIndex(where: { $0.id == id }) else { throw VaultError.noSuchItem("task \(id)") }
        try commit([try taskWrite(id: id, text: text, done: tasks[i].done)])
        texts.replace(tasks[i].text, with: text)
    }

    /// Deletes a task; its id becomes free again.
    public func deleteTask(_ id: UInt16) throws {
        try checkUnlocked()
        guard let i = tasks.firstIndex(where: { $0.id == id }) else { throw VaultError.noSuchItem("task \(id)") }
        var writes: [PendingWrite] = [.delete(.task(id))]
        // The id is given out again: a new task must not take this one's place in the order.
        var next = settings
        if next.taskOrder.contains(id) {
            next.taskOrder.removeAll { $0 == id }
            next.taskOrderChanged = nowMilliseconds()
            writes.append(try settingsWrite(next))
        }
        try commit(writes)
        settings = next
        texts.remove(tasks[i].text)
        tasks.remove(at: i)
        lastDeleted = .task(id)
    }

    /// Writes task `id` with `text` and `done`: in place when it is listed, under that number
    /// when it is not.
    func putTask(_ id: UInt16, text: SecretBytes, done: Bool) throws {
        try check(text, FieldLimit.taskDescription)
        if let i = tasks.firstIndex(where: { $0.id == id }) {
            try commit([try taskWrite(id: id, text: text, done: done)])
            texts.replace(tasks[i].text, with: text)
            tasks[i] = TaskSummary(id: id, text: tasks[i].text, done: done)
            return
        }
        try commit([try taskWrite(id: id, text: text, done: done)])
        tasks.append(TaskSummary(id: id, text: texts.add(text), done: done))
        tasks.sort { $0.id < $1.id }
    }

    private func taskWrite(id: UInt16, text: SecretBytes, done: Bool) throws -> PendingWrite {
        .put(.task(id), try RecordPayload.Task(id: id, done: done, text: text).encoded(), .small, label: text)
    }
}
