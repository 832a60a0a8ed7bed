import OnionsCrypto

/// Where a conflict copy came from, sealed in its record's padding just before the stamp
/// (FORMAT.md "Versions and trash"): `2 | kind(u8) | id(16) | machine(16) | count(u64) |
/// time(u64)`. `kind` is the payload kind of the item copied (1 onion, 3 card, 4 task, 6 a
/// draft, which has no id); `id` is the onion's or card's id, or a task's number (u16) then zero
/// bytes; machine, count and time are the stamp of the version the copy holds (count 0 when that
/// version had no stamp). Records without it have zero padding there.
public struct ConflictOrigin: Equatable, Sendable {
    static let size = 1 + 1 + 16 + 16 + 8 + 8
    /// The item the copy was made from; nil for an unsaved draft.
    public let item: ItemRef?
    /// The id of the machine that saved the copied version (16 bytes; a shorter one is padded with zeros).
    public let machine: [UInt8]
    /// The count of the commit the copied version came with, nil when unknown.
    public let commit: UInt64?
    /// When the copied version was saved (ms since 1970, the saving machine's clock).
    public let time: UInt64

    public init(item: ItemRef?, machine: [UInt8], commit: UInt64?, time: UInt64) {
        self.item = item
        self.machine = Array(machine.prefix(16)) + [UInt8](repeating: 0, count: max(0, 16 - machine.count))
        self.commit = commit == 0 ? nil : commit
        self.time = time
    }

    /// The origin of a copy of `item` whose copied version carried `stamp` (this machine's
    /// `machine` and `time` when it carried none).
    init(item: ItemRef?, stamp: VersionStamp?, machine: [UInt8], time: UInt64) {
        self.init(item: item, machine: stamp?.machine ?? machine, commit: stamp?.count, time: stamp?.time ?? time)
    }

    func write(to plain: SecretBytes) {
        plain.append(byte: 2)
        var id = [UInt8](repeating: 0, count: 16)
        switch item {
        case .onion(let value)?:
            plain.append(byte: RecordKind.onionTitle.rawValue)
            id = value.bytes
        case .card(let value)?:
            plain.append(byte: RecordKind.card.rawValue)
            id = value.bytes
        case .task(let number)?:
            plain.append(byte: RecordKind.task.rawValue)
            id[0] = UInt8(number >> 8)
            id[1] = UInt8(number & 0xff)
        case nil:
            plain.append(byte: RecordKind.draft.rawValue)
        }
        for byte in id { plain.append(byte: byte) }
        for byte in machine { plain.append(byte: byte) }
        for _ in machine.count..<16 { plain.append(byte: 0) }
        for value in [commit ?? 0, time] {
            for shift in stride(from: 56, through: 0, by: -8) { plain.append(byte: UInt8((value >> UInt64(shift)) & 0xff)) }
        }
    }

    /// The origin just before the stamp at the end of an opened plaintext, or nil (no stamp,
    /// no origin, or one of a kind this version does not know).
    static func read(_ plain: UnsafeRawBufferPointer, payloadEnd: Int) -> ConflictOrigin? {
        let at = plain.count - VersionStamp.size - size
        guard at >= payloadEnd, plain[plain.count - VersionStamp.size] == 1, plain[at] == 2 else { return nil }
        let id = Array(plain[(at + 2)..<(at + 18)])
        let item: ItemRef?
        switch RecordKind(rawValue: plain[at + 1]) {
        case .onionTitle?: item = .onion(ItemID(bytes: id))
        case .card?: item = .card(ItemID(bytes: id))
        case .task?: item = .task(UInt16(id[0]) << 8 | UInt16(id[1]))
        case .draft?: item = nil
        default: return nil
        }
        func u64(_ start: Int) -> UInt64 { (0..<8).reduce(UInt64(0)) { $0 << 8 | UInt64(plain[start + $1]) } }
        return ConflictOrigin(item: item, machine: Array(plain[(at + 18)..<(at + 34)]), commit: u64(at + 34),
                              time: u64(at + 42))
    }
}
