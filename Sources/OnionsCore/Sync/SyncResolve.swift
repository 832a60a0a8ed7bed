import OnionsCrypto

/// Records both machines changed since their last sync: merged, or kept twice, by the rules of
/// `ItemMerge` (this machine's version is "mine", the server's "theirs"), against the common
/// ancestor (the blob both last agreed on, kept when this machine first changed the record).
/// What is left here is sync's own: reading the three versions from the snapshot, turning the
/// outcome into decisions and report lines, and two tasks that took the same free number (this
/// machine's moves to another one).
extension SyncPlanner {
    struct Sides {
        var local: SecretBytes?
        var remote: SecretBytes?
        var base: SecretBytes?
        func wipe() { local?.wipe(); remote?.wipe(); base?.wipe() }
    }

    /// Keeps the server's version of a record, or this machine's when the server's was left out
    /// (reported as damaged or older by `verifyRemoteRecords`): never a crash on what a server sends.
    func keepServer(_ name: RecordName) -> Decision {
        remoteChanged[name].map { .remote($0) } ?? .local
    }

    /// Both sides' payloads of a record and their common ancestor, from the snapshot; nil where
    /// a side is deleted or does not open.
    func sides(_ name: RecordName) -> Sides {
        var result = Sides()
        if snapshot.localVersions[name]?.deleted == false, let record = snapshot.localRecords[name] {
            result.local = try? sealer.open(record)
        }
        let ancestor = snapshot.ancestors[name].flatMap { try? sealer.open($0) }
        if let record = remoteChanged[name] {
            if !record.deleted { result.remote = try? sealer.open(record) }
        } else if !localChanged(name) {
            result.remote = result.local?.copy()
        } else {
            result.remote = ancestor?.copy()
        }
        result.base = localChanged(name) ? ancestor : result.local?.copy()
        if !localChanged(name) { ancestor?.wipe() }
        return result
    }

    func resolve(_ names: [RecordName]) throws {
        var onions: Set<ItemID> = []
        for name in names {
            switch nameToKey[name] {
            case .onionTitle(let id)?, .onionInfo(let id)?: onions.insert(id)
            case .card(let id)?: try resolveCard(name, id: id)
            case .task(let id)?: try resolveTask(name, id: id)
            case .taskCounter?: taskMaxConflict = true
            case .draft?: try resolveDraft(name)
            case .settings?: try resolveSettings(name)
            case .manifest?, .manifestPart?, .filler?, .taskBody?, .cardHead?, .draftHead?, .settingsHead?, nil:
                decisions[name] = keepServer(name)
            }
        }
        for id in onions { try resolveOnion(id) }
    }

    /// The decision for a record whose one side is deleted: keep the other (an edit wins), and
    /// say so when `what` is given. False when both sides hold it.
    private func keepLiving(_ name: RecordName, _ sides: Sides, reporting what: String? = nil) -> Bool {
        switch ItemMerge.survivor(mine: sides.local != nil, theirs: sides.remote != nil) {
        case .neither:
            decisions[name] = .tombstone
            return true
        case .mine: decisions[name] = .local
        case .theirs: decisions[name] = .remote(remoteChanged[name] ?? StoredRecord(name: name, version: 0, blob: [], deleted: true, sequence: 0))
        case .both: return false
        }
        if let what { report.restored.append("\(what) was deleted on one machine and edited on the other; the edit is kept") }
        return true
    }

    // MARK: Onions

    private func resolveOnion(_ id: ItemID) throws {
        let titleName = name(.onionTitle(id)), infoName = name(.onionInfo(id))
        let titles = sides(titleName), infos = sides(infoName)
        defer { titles.wipe(); infos.wipe() }
        let what = describe(titleName)
        if keepLiving(titleName, titles, reporting: what) {
            _ = keepLiving(infoName, infos)
            return
        }
        guard let l = try? Self.onionTitle(titles.local!), let r = try? Self.onionTitle(titles.remote!) else {
            decisions[titleName] = keepServer(titleName)
            decisions[infoName] = keepServer(infoName)
            return
        }
        let b = titles.base.flatMap { try? Self.onionTitle($0) }
        defer { l.title.wipe(); r.title.wipe(); b?.title.wipe(); l.folder?.wipe(); r.folder?.wipe(); b?.folder?.wipe() }
        let folder = Self.mergedFolder(mine: l.folder, theirs: r.folder, base: b.map { $0.folder })
        let li = infos.local.flatMap { try? Self.onionInfo($0) } ?? SecretBytes(count: 0)
        let ri = infos.remote.flatMap { try? Self.onionInfo($0) } ?? SecretBytes(count: 0)
        let bi = infos.base.flatMap { try? Self.onionInfo($0) }
        defer { li.wipe(); ri.wipe(); bi?.wipe() }
        decisions[titleName] = keepServer(titleName)
        decisions[infoName] = keepServer(infoName)
        switch ItemMerge.onion(mine: (l.title, li), theirs: (r.title, ri), base: (b?.title, bi)) {
        case .merged(let merged):
            defer { merged.title.wipe(); merged.info.wipe() }
            if !ItemMerge.equal(merged.title, r.title) || !ItemMerge.equal(merged.info, ri)
                || !Self.sameFolder(folder, r.folder) {
                let (tp, ip) = try Self.encodeOnion(id: id, created: min(l.created, r.created),
                                                    modified: max(snapshot.now, l.modified, r.modified),
                                                    title: merged.title, info: merged.info, folder: folder)
                let label = labels.add(merged.title)
                decisions[titleName] = .payload(tp, .small, label: label)
                decisions[infoName] = .payload(ip, .large, label: label)
                decisionLabels[titleName] = label
                decisionLabels[infoName] = label
            }
            report.merged.append("\(what): the edits of both machines are merged")
        case .conflict:
            // The server's stays, this machine's becomes a new onion.
            let label = try addOnionCopy(title: l.title, info: li, created: l.created, modified: l.modified,
                                         folder: l.folder, origin: localOrigin(.onion(id), of: titleName, time: l.modified))
            report.conflicts.append("\(what) was changed on both machines; this machine's version is kept as onion '\(labels.string(label))'")
        }
    }

    /// Adds a new onion under the conflict name of `title`, whose title record names `origin`;
    /// returns its label.
    private func addOnionCopy(title: SecretBytes, info: SecretBytes, created: UInt64, modified: UInt64,
                              folder: SecretBytes? = nil, origin: ConflictOrigin) throws -> Int {
        let copy = ItemID.random()
        let copyTitle = uniqueConflictName(title, limit: .onionTitle, like: .onionTitle(copy))
        defer { copyTitle.wipe() }
        let (tp, ip) = try Self.encodeOnion(id: copy, created: created, modified: modified, title: copyTitle, info: info,
                                            folder: folder)
        let label = labels.add(copyTitle)
        addNew(.onionTitle(copy), tp, .small, label: label)
        addNew(.onionInfo(copy), ip, .large, label: label)
        origins[name(.onionTitle(copy))] = origin
        return label
    }

    /// Where a copy of `item` made from this machine's record `name` came from: that record's
    /// stamp, or this machine at `time` when it has none.
    func localOrigin(_ item: ItemRef?, of name: RecordName, time: UInt64) -> ConflictOrigin {
        var stamp: VersionStamp?
        if let record = snapshot.localRecords[name], let opened = try? sealer.openStamped(record) {
            opened.payload.wipe()
            stamp = opened.stamp
        }
        return ConflictOrigin(item: item, stamp: stamp, machine: sealer.stamp?.machine ?? [], time: time)
    }

    func addNew(_ key: LogicalKey, _ payload: SecretBytes, _ sizeClass: SizeClass, label: Int) {
        let name = name(key)
        nameToKey[name] = key
        newKeys[key] = label
        decisions[name] = .payload(payload, sizeClass, label: label)
        decisionLabels[name] = label
    }

    /// `ItemMerge.conflictName` among the labels of every item of the kind on either side and
    /// of those this round adds.
    func uniqueConflictName(_ text: SecretBytes, limit: FieldLimit, like kind: LogicalKey) -> SecretBytes {
        var taken: [Int] = []
        for (key, entry) in localManifest.entries where key.isSameKind(as: kind) { taken.append(entry.label) }
        for (key, entry) in remoteManifest?.entries ?? [:] where key.isSameKind(as: kind) { taken.append(entry.label) }
        for (key, label) in newKeys where key.isSameKind(as: kind) { taken.append(label) }
        return ItemMerge.conflictName(text, limit: limit, among: taken, in: labels)
    }

    // MARK: Cards

    private func resolveCard(_ name: RecordName, id: ItemID) throws {
        let s = sides(name)
        defer { s.wipe() }
        let what = describe(name)
        if keepLiving(name, s, reporting: what) { return }
        decisions[name] = keepServer(name)
        guard case .conflict = ItemMerge.whole(same: ItemMerge.equal(s.local!, s.remote!)) else { return }
        guard var card = try? RecordPayload.read(s.local!, { try RecordPayload.Card.read(&$0, text: RecordPayload.copy) })
        else { return }
        defer { card.recipient.wipe() }
        let origin = localOrigin(.card(id), of: name, time: card.modified)
        let recipient = uniqueConflictName(card.recipient, limit: .cardRecipient, like: .card(id))
        card.recipient.wipe()
        card.recipient = recipient
        card.id = ItemID.random()
        let payload = try card.encoded()
        let label = labels.add(recipient)
        addNew(.card(card.id), payload, .large, label: label)
        origins[self.name(.card(card.id))] = origin
        report.conflicts.append("\(what) was changed on both machines; this machine's version is kept as card for '\(labels.string(label))'")
    }

    // MARK: Settings

    /// Both machines changed the settings: merged by `ItemMerge.settings` (a deleted side
    /// keeps the other). What does not read keeps the server's.
    private func resolveSettings(_ name: RecordName) throws {
        let s = sides(name)
        defer { s.wipe() }
        if keepLiving(name, s) { return }
        guard var l = try? VaultSettings.read(s.local!), var r = try? VaultSettings.read(s.remote!) else {
            decisions[name] = keepServer(name)
            return
        }
        var b = s.base.flatMap { try? VaultSettings.read($0) }
        var merged = ItemMerge.settings(mine: l, theirs: r, base: b)
        defer { l.wipe(); r.wipe(); b?.wipe(); merged.wipe() }
        let payload = try merged.encoded()
        if ItemMerge.equal(payload, s.remote!) {
            payload.wipe()
            decisions[name] = keepServer(name)
        } else {
            let label = labels.add(UnsafeRawBufferPointer(start: nil, count: 0))
            decisions[name] = .payload(payload, .large, label: label)
            decisionLabels[name] = label
        }
        report.merged.append("the settings: the changes of both machines are merged")
    }

    // MARK: Drafts

    private func resolveDraft(_ name: RecordName) throws {
        let s = sides(name)
        defer { s.wipe() }
        if keepLiving(name, s) { return }
        decisions[name] = keepServer(name)
        guard case .conflict = ItemMerge.whole(same: ItemMerge.equal(s.local!, s.remote!)),
              let draft = try? RecordPayload.read(s.local!, { try RecordPayload.Draft.read(&$0) }) else { return }
        defer { draft.wipe() }
        let title = draft.title.count > 0 ? draft.title : SecretBytes(copying: Array("Draft".utf8))
        let label = try addOnionCopy(title: title, info: draft.info, created: snapshot.now, modified: snapshot.now,
                                     origin: localOrigin(nil, of: name, time: snapshot.now))
        report.conflicts.append("the unsaved drafts of both machines differ; this machine's is kept as onion '\(labels.string(label))'")
    }

    // MARK: Tasks

    private func resolveTask(_ name: RecordName, id: UInt16) throws {
        let s = sides(name)
        defer { s.wipe() }
        let what = describe(name)
        if keepLiving(name, s, reporting: what) {
            taskMaxConflict = true
            return
        }
        guard let l = try? Self.task(s.local!), let r = try? Self.task(s.remote!) else {
            decisions[name] = keepServer(name)
            return
        }
        let b = s.base.flatMap { try? Self.task($0) }
        defer { l.text.wipe(); r.text.wipe(); b?.text.wipe() }
        decisions[name] = keepServer(name)
        switch ItemMerge.task(mine: (l.text, l.done), theirs: (r.text, r.done), base: b.map { ($0.text, $0.done) }) {
        case .merged(let (text, done)):
            defer { text.wipe() }
            if !ItemMerge.equal(text, r.text) || done != r.done {
                let label = labels.add(text)
                decisions[name] = .payload(try RecordPayload.Task(id: id, done: done, text: text).encoded(), .small,
                                           label: label)
                decisionLabels[name] = label
            }
            report.merged.append("\(what): the edits of both machines are merged")
        case .conflict:
            taskMaxConflict = true
            let mine = LogicalKey.task(id).displayName(label: l.text.withUnsafeBytes { String(decoding: $0, as: UTF8.self) })
            if b == nil {
                pendingTasks.append(PendingTask(text: l.text.copy(), done: l.done, what: mine, reason: .addedOnBoth(number: id)))
            } else {
                let text = uniqueConflictName(l.text, limit: .taskDescription, like: .task(id))
                pendingTasks.append(PendingTask(text: text, done: l.done, what: mine, reason: .changedOnBoth,
                                                origin: localOrigin(.task(id), of: name, time: snapshot.now)))
            }
        }
    }

    /// Gives each task that lost its number the lowest free one, and rewrites task_max.
    func placePendingTasks() throws {
        guard taskMaxConflict || !pendingTasks.isEmpty else { return }
        var used = Set<UInt16>()
        var keys = Set(localManifest.entries.keys)
        keys.formUnion(remoteManifest?.entries.keys ?? [:].keys)
        for key in keys {
            guard case .task(let id) = key else { continue }
            if case .live = finalState(name(key)) { used.insert(id) }
        }
        for task in pendingTasks {
            defer { task.text.wipe() }
            var id: UInt16 = 0
            while used.contains(id) { id += 1 }
            used.insert(id)
            let label = labels.add(task.text)
            addNew(.task(id), try RecordPayload.Task(id: id, done: task.done, text: task.text).encoded(), .small, label: label)
            if let origin = task.origin { origins[name(.task(id))] = origin }
            switch task.reason {
            case .addedOnBoth(let number):
                report.renumbered.append("\(task.what) was added on both machines as number \(number); "
                    + "this machine's is now number \(id)")
            case .changedOnBoth:
                report.conflicts.append("\(task.what) was changed on both machines; this machine's version is kept as "
                    + "task \(id) '\(labels.string(label))'")
            }
        }
        pendingTasks.removeAll()
        let highest = used.max().map { $0 + 1 } ?? 0
        addNew(.taskCounter, try RecordPayload.taskCounter(highest), .small,
               label: labels.add(UnsafeRawBufferPointer(start: nil, count: 0)))
    }

    // MARK: Payloads as the merge sees them

    /// A task that lost its number to the other machine's, waiting for a free one.
    struct PendingTask {
        enum Reason {
            /// Both machines added a task under `number` (no common ancestor).
            case addedOnBoth(number: UInt16)
            /// Both machines changed the task differently.
            case changedOnBoth
        }
        var text: SecretBytes
        var done: Bool
        /// "task 'buy milk'"
        var what: String
        var reason: Reason
        /// Where the copy came from (a task changed on both machines).
        var origin: ConflictOrigin?
    }

    static func onionTitle(_ p: SecretBytes) throws -> RecordPayload.OnionTitle<SecretBytes> {
        try RecordPayload.read(p) { try RecordPayload.OnionTitle.read(&$0, text: RecordPayload.copy) }
    }

    /// An onion's folder after both machines' edits: the one that changed it from the common
    /// ancestor wins; when both moved it to different folders, the server's stays. `base` is nil
    /// when there is no common ancestor (the server's then stays too).
    static func mergedFolder(mine: SecretBytes?, theirs: SecretBytes?, base: SecretBytes??) -> SecretBytes? {
        if sameFolder(mine, theirs) { return theirs }
        guard let base else { return theirs }
        return sameFolder(base, theirs) ? mine : theirs
    }

    /// Whether two folders are the same path (nil and empty are both the top).
    static func sameFolder(_ a: SecretBytes?, _ b: SecretBytes?) -> Bool {
        let x = a ?? SecretBytes(count: 0), y = b ?? SecretBytes(count: 0)
        return ItemMerge.equal(x, y)
    }

    static func onionInfo(_ p: SecretBytes) throws -> SecretBytes {
        try RecordPayload.read(p) { try RecordPayload.OnionInfo.read(&$0) }.info
    }

    static func task(_ p: SecretBytes) throws -> RecordPayload.Task<SecretBytes> {
        try RecordPayload.read(p) { try RecordPayload.Task.read(&$0, text: RecordPayload.copy) }
    }

    static func encodeOnion(id: ItemID, created: UInt64, modified: UInt64, title: SecretBytes,
                            info: SecretBytes, folder: SecretBytes? = nil) throws -> (title: SecretBytes, info: SecretBytes) {
        (try RecordPayload.OnionTitle(id: id, created: created, modified: modified, title: title, folder: folder).encoded(),
         try RecordPayload.OnionInfo(id: id, info: info).encoded())
    }
}
