import FuzzSupport
@testable import OnionsCore
import OnionsCrypto

// A record as a store hands it over, opened and decoded the way a log in and sync do.
//
// Input: `selector(1) | payload`. The raw input is first opened as a sealed blob (framing and
// length checks; random bytes never authenticate). Then the payload is sealed with a fixed
// data key, in the size class it fits, so that it authenticates, and opened and read by the
// reader the selector names: the bytes behind the GCM tag are what this target explores.

/// The seed inputs: what the real encoders write, and edge cases.
func seeds() throws -> [(name: String, bytes: [UInt8])] {
    let id = ItemID(bytes: Array(0..<16))
    let text = SecretBytes(copying: Array("Groceries: milk, eggs, 家, é".utf8))
    let card = RecordPayload.Card(id: id, created: 1, modified: 2, recipient: SecretBytes(copying: Array("Alice".utf8)),
                                  salt: [UInt8](repeating: 7, count: 16), kdf: ScryptParameters(logN: 14, r: 8, p: 1),
                                  sealedDescription: [UInt8](repeating: 9, count: 60),
                                  sealedUnder: ItemID(bytes: [UInt8](repeating: 3, count: 16)))
    let settings = RecordPayload.Settings(values: [1: SecretBytes(copying: [1]), 7: SecretBytes(copying: [2, 3])])
    let seeds: [(String, RecordKind, SecretBytes)] = [
        ("title", .onionTitle, try RecordPayload.OnionTitle(id: id, created: 1, modified: 2, title: text).encoded()),
        ("info", .onionInfo, try RecordPayload.OnionInfo(id: id, info: text).encoded()),
        ("card", .card, try card.encoded()),
        ("task", .task, try RecordPayload.Task(id: 3, done: true, text: text).encoded()),
        ("task-counter", .taskCounter, try RecordPayload.taskCounter(4)),
        ("draft", .draft, try RecordPayload.Draft(target: id, title: text, info: text).encoded()),
        ("settings", .settings, try settings.encoded()),
    ]
    return seeds.map { name, kind, payload in
        (name, [kind.rawValue] + payload.withUnsafeBytes { Array($0) })
    } + [("sealed-title", try sealer.seal(seeds[0].2, name: recordName, version: 1, sizeClass: .small))]
}

/// One input.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = fuzzInput(data, count)
    if let opened = try? sealer.open(StoredRecord(name: recordName, version: 1, blob: bytes, deleted: false, sequence: 0)) {
        opened.wipe()
    }
    guard let selector = bytes.first else { return 0 }
    let payload = SecretBytes(copying: bytes.dropFirst())
    defer { payload.wipe() }
    let sizeClass: SizeClass = SizeClass.small.paddedSize(for: payload.count) != nil ? .small
        : SizeClass.large.paddedSize(for: payload.count) != nil ? .large : .manifest
    let version = UInt64(selector)
    guard let blob = try? sealer.seal(payload, name: recordName, version: version, sizeClass: sizeClass) else { return 0 }
    let record = StoredRecord(name: recordName, version: version, blob: blob, deleted: false, sequence: 0)
    if sizeClass == .manifest {
        guard let opened = try? sealer.open(record) else { preconditionFailure("a sealed record does not open") }
        precondition(opened.withUnsafeBytes { Array($0) } == Array(bytes.dropFirst()), "a record opens to other bytes")
        opened.wipe()
        return 0
    }
    guard var reader = try? sealer.open(record, into: scratch) else { preconditionFailure("a sealed record does not open") }
    read(kind: selector % 9, &reader)
    return 0
}

/// Reads an opened payload as the log in does (`Session.openSmall`) and sync does
/// (`RecordPayload.read`, which also refuses leftover bytes).
private func read(kind: UInt8, _ r: inout PayloadReader) {
    let texts = SecretTable(capacity: 64)
    defer { texts.wipe() }
    switch RecordKind(rawValue: kind) {
    case .onionTitle: _ = try? RecordPayload.OnionTitle.read(&r) { texts.add($0) }
    case .onionInfo: (try? RecordPayload.OnionInfo.read(&r, capacity: 2_500 * 4))?.info.wipe()
    case .card:
        if let card = try? RecordPayload.Card.read(&r, text: { texts.add($0) }) { _ = card.kdf }
    case .task: _ = try? RecordPayload.Task.read(&r) { texts.add($0) }
    case .taskCounter: _ = try? RecordPayload.readTaskCounter(&r)
    case .draft: (try? RecordPayload.Draft.read(&r, titleCapacity: 120, infoCapacity: 10_000))?.wipe()
    case .settings: (try? RecordPayload.Settings.read(&r))?.wipe()
    case .filler: _ = try? r.expect(.filler)
    // The manifest has a target of its own; a commit is not a record (it is sealed on its own).
    case .manifest, .manifestRoot, .manifestPart, .commit, nil: break
    }
    _ = try? r.expectEnd()
}

private let recordName = RecordName([UInt8](repeating: 0x42, count: 32))
private let keys = try! DataKeys(dataKey: SecretBytes(copying: [UInt8](repeating: 0x24, count: 32)))
private let sealer = RecordSealer(vault: VaultID("fuzz"), keys: keys)
/// One buffer for every input, as a log in reuses one for every record.
private let scratch = SecretBytes(count: 0, capacity: RecordSealer.scratchCapacity)
