/// The one shape every save has in the store (FORMAT.md section 8): whatever was saved (an
/// onion, a task, a card, the settings, a draft, a delete), the store and the wire see the same
/// number of small and large records put, of tombstones, of manifest parts and one root.
///
/// A save that needs fewer writes is filled up with filler records (`LogicalKey.filler`), which
/// hold nothing but their kind and padding and are listed in the manifest like any record, and
/// with manifest parts written again unchanged. A save that needs more (a repair, an import
/// written in one go) is written as it is. The record writes go in one order whatever they are
/// (small puts, large puts, tombstones, each by name), so the order tells nothing either.
enum SaveShape {
    /// Small records put by every save: a new task writes the task and the task counter.
    static let smallPuts = 2
    /// Large records put by every save: an onion's info, a card, the settings or the draft.
    static let largePuts = 1
    /// Tombstones written by every save: deleting an onion deletes its title and info.
    static let tombstones = 2
    /// Manifest parts written by every save besides the root: the fillers' part (0) and the
    /// part of the item saved.
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

    /// `changed` with parts added until it counts `parts`: parts that were written before
    /// (chosen at random, so which one tells nothing), else any other part.
    static func padParts(_ changed: Set<Int>, manifest: Manifest) -> Set<Int> {
        var result = changed
        var written = (0..<manifest.partCount).filter { manifest.parts[$0].version > 0 && !result.contains($0) }
        var unwritten = (0..<manifest.partCount).filter { manifest.parts[$0].version == 0 && !result.contains($0) }
        while result.count < parts {
            if let index = written.indices.randomElement() {
                result.insert(written.remove(at: index))
            } else if let index = unwritten.indices.randomElement() {
                result.insert(unwritten.remove(at: index))
            } else {
                break
            }
        }
        return result
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
