/// Record names at positions 0, 1, 2, ... with the position of a name found in constant time:
/// an open-addressing table on the name's first word, each slot holding the whole name.
///
/// Only for names this program made (`DataKeys.name`, HMAC-SHA256 outputs under the vault's
/// key): their first words are evenly spread and no store can choose them, so the table needs no
/// hashing of its own, and a store's names (any bytes) only ever look names up. A name the table
/// does not hold costs a probe through one cluster of a table at most half full, whatever its
/// bytes. A log in looks up every row of the store this way, about twice per item; a slot holds
/// the name itself so that a look-up reads one place in memory, not two.
struct NameIndex {
    private struct Slot {
        var w0: UInt64 = 0, w1: UInt64 = 0, w2: UInt64 = 0, w3: UInt64 = 0
        /// Position + 1; 0 for an empty slot.
        var position: Int32 = 0
    }

    /// The names in position order.
    private(set) var names: [RecordName] = []
    private var slots: [Slot]
    private let mask: Int

    /// A table for up to `capacity` names (more are refused by `append`).
    init(capacity: Int) {
        var size = 16
        while size < 2 * capacity { size *= 2 }
        slots = [Slot](repeating: Slot(), count: size)
        mask = size - 1
        names.reserveCapacity(capacity)
    }

    /// Adds `name` (32 bytes, as this program makes them) at the next position and returns it;
    /// the position it has when it is held already.
    @discardableResult
    mutating func append(_ name: RecordName) -> Int {
        guard let words = name.words else { preconditionFailure("a name index holds names of 32 bytes") }
        precondition(2 * (names.count + 1) <= slots.count, "a name index holds at most half its slots")
        var slot = Int(truncatingIfNeeded: words.0) & mask
        while slots[slot].position != 0 {
            if Self.holds(slots[slot], words) { return Int(slots[slot].position) - 1 }
            slot = (slot + 1) & mask
        }
        slots[slot] = Slot(w0: words.0, w1: words.1, w2: words.2, w3: words.3, position: Int32(names.count + 1))
        names.append(name)
        return names.count - 1
    }

    /// The position of `name`, or nil.
    func position(of name: RecordName) -> Int? {
        guard let words = name.words else { return nil }
        var slot = Int(truncatingIfNeeded: words.0) & mask
        while slots[slot].position != 0 {
            if Self.holds(slots[slot], words) { return Int(slots[slot].position) - 1 }
            slot = (slot + 1) & mask
        }
        return nil
    }

    @inline(__always)
    private static func holds(_ slot: Slot, _ words: (UInt64, UInt64, UInt64, UInt64)) -> Bool {
        slot.w0 == words.0 && slot.w1 == words.1 && slot.w2 == words.2 && slot.w3 == words.3
    }
}
