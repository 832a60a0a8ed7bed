import OnionsCrypto

/// Tasks changed after another writer of the same store changed them: the rules of sync
/// (`ItemMerge.task`), applied to what the user started from.
extension Session {
    /// Task `id` as it is listed now, as the base of a change; nil when it is not listed.
    public func taskBase(of id: UInt16) -> TaskBase? {
        guard let task = tasks.first(where: { $0.id == id }) else { return nil }
        return TaskBase(id: id, text: texts.copy(task.text), done: task.done)
    }

    /// Changes task `base.id` to `text` (when given) and `done` (when given), after whatever other
    /// writers saved meanwhile.
    ///
    /// When another writer changed the task since `base`, the two merge as in sync: a text
    /// changed on one side only takes that side's, a done mark changed on one side only takes
    /// that side's. Texts changed differently on both keep the other writer's task and save
    /// this one as a new task "... (conflict N)" under the lowest free number. A task another
    /// writer deleted comes back under its number. Returns the number this change is saved under.
    public func saveTask(text: SecretBytes?, done: Bool?, since base: TaskBase) throws
        -> (id: UInt16, outcome: PeerSaveOutcome) {
        try checkUnlocked()
        if let text { try check(text, FieldLimit.taskDescription) }
        let mine = (text: text ?? base.text, done: done ?? base.done)
        return try afterPeers {
            guard let task = tasks.first(where: { $0.id == base.id }) else {
                try putTask(base.id, text: mine.text, done: mine.done)
                return (base.id, .restored)
            }
            let theirs = (text: texts.copy(task.text), done: task.done)
            defer { theirs.text.wipe() }
            if ItemMerge.equal(theirs.text, base.text) && theirs.done == base.done {
                try putTask(base.id, text: mine.text, done: mine.done)
                return (base.id, .saved)
            }
            if case .merged(let merged) = ItemMerge.task(mine: mine, theirs: theirs, base: (base.text, base.done)) {
                defer { merged.text.wipe() }
                try putTask(base.id, text: merged.text, done: merged.done)
                return (base.id, .merged)
            }
            let copyText = conflictName(mine.text, limit: .taskDescription, among: tasks.map(\.text))
            defer { copyText.wipe() }
            var free: UInt16 = 0
            for t in tasks where t.id == free { free += 1 }  // tasks are sorted by id
            guard tasks.count < Int(UInt16.max) else { throw VaultError.tooManyTasks }
            try keepingCopy(of: .task(base.id)) { try putTask(free, text: copyText, done: mine.done) }
            return (free, .keptAsCopy)
        }
    }

    /// Deletes task `base.id` after whatever other writers saved meanwhile. False when another
    /// writer changed it since `base`: as in sync, the edit wins and the task stays.
    @discardableResult
    public func deleteTask(since base: TaskBase) throws -> Bool {
        try checkUnlocked()
        return try afterPeers {
            guard let task = tasks.first(where: { $0.id == base.id }) else { return true }
            let unchanged = task.done == base.done && texts.withBytes(task.text) { current in
                base.text.withUnsafeBytes { current.count == $0.count && ConstantTime.equals(current, $0) }
            }
            // Theirs holds an edit when it changed since the base: the edit wins over this delete.
            guard ItemMerge.survivor(mine: false, theirs: !unchanged) == .neither else { return false }
            try deleteTask(base.id)
            return true
        }
    }
}
