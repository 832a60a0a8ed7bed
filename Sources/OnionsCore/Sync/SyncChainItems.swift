/// What the saves a server lost held, in the words a person knows them by: the chain's
/// sentence ("the server no longer has N save(s) it had accepted ...") names their items.
///
/// Every record a save writes carries its stamp (`VersionStamp`: the machine and the count of
/// the commit the save wrote), so the items of this machine's manifest whose record bears the
/// stamp of a lost commit are what those saves held (a later save of the same item is named by
/// its own commit). The names go into the report only: shown to the person at the keyboard,
/// never logged.
extension Session {
    /// At most this many items are named; the rest are counted ("and 4 more").
    static let lostItemsNamed = 3
    /// A longer label is cut to this many characters in the sentence.
    static let lostItemLabelLength = 40

    /// "onion 'Groceries', task 'buy milk' and 2 more": the items whose record a commit of
    /// `lost` wrote, the oldest save first; nil when none is found here (a save that only
    /// deleted, or a manifest not loaded).
    func lostItems(_ lost: [CommitHash]) -> String? {
        guard let chain, !manifestIsDamaged else { return nil }
        struct Writer: Hashable {
            let machine: [UInt8]
            let count: UInt64
        }
        let writers = Set(lost.compactMap { chain.graph[$0].map { Writer(machine: $0.machine.bytes, count: $0.count) } })
        guard !writers.isEmpty else { return nil }
        var byName: [RecordName: LogicalKey] = [:]
        for key in manifest.entries.keys where ItemRef(key) != nil { byName[keys.name(key)] = key }
        let names = Array(byName.keys)
        var found: [(count: UInt64, what: String)] = []
        let opener = sealer
        for start in stride(from: 0, to: names.count, by: 512) {
            let slice = Array(names[start..<min(start + 512, names.count)])
            guard let records = try? store.records(vault: vault, names: slice) else { continue }
            for record in records {
                guard let key = byName[record.name], let opened = try? opener.openStamped(record) else { continue }
                opened.payload.wipe()
                guard let stamp = opened.stamp, writers.contains(Writer(machine: stamp.machine, count: stamp.count)) else {
                    continue
                }
                found.append((stamp.count, lostItemName(key)))
            }
        }
        guard !found.isEmpty else { return nil }
        found.sort { $0.count != $1.count ? $0.count < $1.count : $0.what < $1.what }
        let shown = found.prefix(Self.lostItemsNamed).map(\.what)
        let rest = found.count - shown.count
        if rest > 0 { return shown.joined(separator: ", ") + " and \(rest) more" }
        if shown.count == 1 { return shown[0] }
        return shown.dropLast().joined(separator: ", ") + " and " + shown[shown.count - 1]
    }

    /// "onion 'Groceries'", its label cut to `lostItemLabelLength` characters.
    private func lostItemName(_ key: LogicalKey) -> String {
        guard let handle = manifest.entries[key]?.label else { return key.displayName(label: nil) }
        let text = texts.string(handle)
        let cut = text.count > Self.lostItemLabelLength ? String(text.prefix(Self.lostItemLabelLength)) + "..." : text
        return key.displayName(label: cut)
    }
}
