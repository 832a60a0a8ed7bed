import OnionsCrypto

/// The vault's settings: the list order, pins and the task order, saved in the `settings` record.
extension Session {
    /// Chooses the order of the onion list and the card grid.
    public func setListOrder(_ order: ListOrder) throws {
        try checkUnlocked()
        var next = settings
        next.order = order
        next.orderChanged = nowMilliseconds()
        try save(next)
    }

    /// Chooses how long versions and deleted items are kept, for every machine of the vault.
    public func setRetention(_ retention: Retention) throws {
        try checkUnlocked()
        guard retention.isWithinLimits else {
            throw VaultError.unsupported("versions kept must be 1 to 1,000, days 0 to 3,650")
        }
        var next = settings
        next.retention = retention
        next.retentionChanged = nowMilliseconds()
        try save(next)
        historyExpiredAt = 0
        expireHistoryIfDue()
    }

    /// Pins an onion or a card to the top of its list, or unpins it. Refuses a pin beyond
    /// `VaultSettings.maxPinned` with a sentence.
    public func setPinned(_ id: ItemID, _ pinned: Bool) throws {
        try checkUnlocked()
        guard onions.contains(where: { $0.id == id }) || cards.contains(where: { $0.id == id }) else {
            throw VaultError.noSuchItem("onion or card with that id")
        }
        var next = settings
        next.pinned = next.pinned.filter { p in onions.contains { $0.id == p } || cards.contains { $0.id == p } }
        if pinned { next.pinned.insert(id) } else { next.pinned.remove(id) }
        guard next.pinned.count <= VaultSettings.maxPinned else { throw VaultError.tooManyPins }
        try save(next)
    }

    /// Moves a task `offset` places up (negative) or down in the person's order, within the
    /// list of tasks it is shown among (`among`, every task when nil: the done ones may be hidden).
    public func moveTask(_ id: UInt16, by offset: Int, among shown: Set<UInt16>? = nil) throws {
        try checkUnlocked()
        guard tasks.contains(where: { $0.id == id }) else { throw VaultError.noSuchItem("task \(id)") }
        guard tasks.count <= VaultSettings.maxOrderedTasks else { throw VaultError.tooManyTasksToOrder }
        var order = settings.ordered(tasks).map(\.id)
        let visible = order.filter { shown?.contains($0) ?? true }
        guard let from = visible.firstIndex(of: id) else { return }
        let to = min(max(from + offset, 0), visible.count - 1)
        guard to != from else { return }
        let neighbour = visible[to]
        order.removeAll { $0 == id }
        let at = order.firstIndex(of: neighbour)! + (offset > 0 ? 1 : 0)
        order.insert(id, at: at)
        var next = settings
        next.taskOrder = order
        next.taskOrderChanged = nowMilliseconds()
        try save(next)
    }

    /// Puts the tasks in the order `ids` gives (an import restoring the exported order); tasks
    /// it leaves out follow in their present order, ids of no task are ignored.
    public func orderTasks(_ ids: [UInt16]) throws {
        try checkUnlocked()
        guard tasks.count <= VaultSettings.maxOrderedTasks else { throw VaultError.tooManyTasksToOrder }
        let present = Set(tasks.map(\.id))
        var order = ids.filter { present.contains($0) }
        var placed = Set(order)
        for task in settings.ordered(tasks) where placed.insert(task.id).inserted { order.append(task.id) }
        guard order != settings.ordered(tasks).map(\.id) else { return }
        var next = settings
        next.taskOrder = order
        next.taskOrderChanged = nowMilliseconds()
        try save(next)
    }

    /// Onions in the vault's order, pinned first.
    public var orderedOnions: [OnionSummary] {
        settings.order == .newestChange && settings.pinned.isEmpty
            ? onions : settings.order.sorted(onions, pinned: settings.pinned, texts: texts)
    }

    /// Cards in the vault's order, pinned first.
    public var orderedCards: [CardSummary] {
        settings.order.sorted(cards, pinned: settings.pinned, texts: texts)
    }

    /// Tasks in the person's order.
    public var orderedTasks: [TaskSummary] { settings.ordered(tasks) }

    /// Saves `next`, the settings as they are with one change. When another writer of the store
    /// saved the settings meanwhile, the change merges with theirs by the rules of sync
    /// (`ItemMerge.settings`, against the settings it was made from).
    private func save(_ next: VaultSettings) throws {
        var mine = next.copied(), base = settings.copied()
        defer { mine.wipe(); base.wipe() }
        let baseVersion = versions[.settings]
        try afterPeers {
            var merged = versions[.settings] == baseVersion ? mine.copied()
                : ItemMerge.settings(mine: mine, theirs: settings, base: base)
            do { try commit([try settingsWrite(merged)]) } catch {
                merged.wipe()
                throw error
            }
            settings.wipe()
            settings = merged
        }
    }

    /// The write that saves `next` as the settings record.
    func settingsWrite(_ next: VaultSettings) throws -> PendingWrite {
        .put(.settings, try next.encoded(), .large, label: nil)
    }
}
