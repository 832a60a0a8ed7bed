/// The one shape every save has in the store (FORMAT.md section 8): whatever was saved (an
/// onion, a task, a card, the settings, a draft, a delete), the store and the wire see the same
/// number of small and large records put, of tombstones, of manifest parts and one root.
///
/// A save that needs fewer writes is filled up with filler records (`LogicalKey.filler`), which
/// hold nothing but their kind and padding and are listed in the manifest like any record; the
/// manifest parts it writes are the ones its counter names (`scheduledParts`). A save that needs more (a repair, an import
/// written in one go) is written as it is. The record writes go in one order whatever they are
/// (small puts, large puts, tombstones, each by name), so the order tells nothing either.
enum SaveShape {
    /// Small records put by every save: an item's small record and a filler (a task's add does
    /// not write the task counter, FORMAT.md section 5).
    static let smallPuts = 2
    /// Large records put by every save: an onion's info, a card, the settings or the draft.
    static let largePuts = 1
    /// Tombstones written by every save: deleting an onion deletes its title and info.
    static let tombstones = 2
    /// Manifest parts written by every save besides the root: the two the counter's schedule
    /// names (`scheduledParts`).
    static let parts = 2

    /// How many filler keys of `kind` exist: one per write of that kind a save may lack.
    static func slots(_ kind: LogicalKey.Filler) -> UInt8 {
        switch kind {
        case .small: return UInt8(smallPuts)
        case .large: return UInt8(largePuts)
        case .gone: return UInt8(tombstones)
        }
    }

    /// Every filler key.
    static var fillers: [LogicalKey] {
        LogicalKey.Filler.allCases.flatMap { kind in (0..<slots(kind)).map { LogicalKey.filler(kind, $0) } }
    }

    /// The filler writes that bring `pending` up to the shape: small and large puts of the
    /// filler payload, tombstones of `noise/gone/<n>`.
    static func fillers(for pending: [PendingWrite]) throws -> [PendingWrite] {
        var small = 0, large = 0, gone = 0
        for write in pending {
            switch write {
            case .put(_, _, .small, _): small += 1
            case .put(_, _, _, _): large += 1
            case .delete: gone += 1
            }
        }
        var fillers: [PendingWrite] = []
        for slot in small..<max(small, smallPuts) {
            fillers.append(.put(.filler(.small, UInt8(slot)), try RecordPayload.filler(), .small, label: nil))
        }
        for slot in large..<max(large, largePuts) {
            fillers.append(.put(.filler(.large, UInt8(slot)), try RecordPayload.filler(), .large, label: nil))
        }
        for slot in gone..<max(gone, tombstones) {
            fillers.append(.delete(.filler(.gone, UInt8(slot))))
        }
        return fillers
    }

    /// The parts a save whose manifest counter is `counter` writes, of `partCount`: the next
    /// `parts` in turn (`counter × parts` onwards, modulo the count), so that every part is
    /// written once in `partCount / parts` saves and which parts a save writes follows the
    /// counter alone. What changed elsewhere waits in the root's journal (`ManifestRoot.swift`).
    static func scheduledParts(counter: UInt64, partCount: Int) -> Set<Int> {
        let first = Int((counter % UInt64(partCount)) * UInt64(parts) % UInt64(partCount))
        return Set((0..<min(parts, partCount)).map { (first + $0) % partCount })
    }

    /// `writes` in the one order of a save: small puts, large puts, tombstones, each by name.
    static func ordered(_ writes: [RecordWrite]) -> [RecordWrite] {
        func rank(_ write: RecordWrite) -> Int {
            switch write {
            case .put(_, let blob, _, _): return blob.count > 1 && blob[1] == SizeClass.small.rawValue ? 0 : 1
            case .delete: return 2
            }
        }
        return writes.sorted { a, b in
            let ra = rank(a), rb = rank(b)
            if ra != rb { return ra < rb }
            return a.name.bytes.lexicographicallyPrecedes(b.name.bytes)
        }
    }
}
