import FuzzSupport
@testable import OnionsCore
import OnionsCrypto

// The manifest's payloads as they come out of their sealed records (a store cannot forge one
// without the key, but a bug in a writer or a future format could hand the reader anything).
// The first input byte picks the record: even, the root (or a whole format-1 manifest) under
// `manifest`; odd, a part, whose index is the second byte. What decodes must encode to a
// payload that decodes to the same counter, time, parts, keys, versions and tombstones.

/// The seed inputs: what the real encoders write, and edge cases.
func seeds() throws -> [(name: String, bytes: [UInt8])] {
    let labels = SecretTable(capacity: 256)
    var manifest = Manifest()
    manifest.counter = 41
    manifest.changed = 1_763_990_400_000
    let id = ItemID(bytes: Array(0..<16))  // its first byte puts it in part 0, with the rest
    let keys: [LogicalKey] = [.onionTitle(id), .onionInfo(id), .card(id), .task(0), .task(256),
                              .taskCounter, .draft, .settings]
    for (index, key) in keys.enumerated() {
        let label = labels.add(SecretBytes(copying: Array("label \(index) é".utf8)))
        manifest.set(key, Manifest.Entry(version: UInt64(index + 1), label: label,
                                         digest: RecordDigest(bytes: [UInt8](repeating: UInt8(index), count: 16))))
    }
    manifest.setDeleted(.task(512), version: 3)
    manifest.parts[0] = Manifest.Part(version: 7, digest: RecordDigest(bytes: Array(16..<32)))
    let root = try manifest.encodeRoot()
    let part = try manifest.encodePart(0, labels: labels)
    let empty = try Manifest().encodeRoot()
    func bytes(_ prefix: [UInt8], _ payload: SecretBytes) -> [UInt8] { prefix + payload.withUnsafeBytes { Array($0) } }
    return [("empty-root", bytes([0], empty)), ("root", bytes([0], root)), ("part-0", bytes([1, 0], part))]
}

/// One input.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let input = fuzzInput(data, count)
    guard let first = input.first else { return 0 }
    let labels = SecretTable(capacity: 1_024)
    defer { labels.wipe() }
    if first % 2 == 0 {
        let payload = SecretBytes(copying: Array(input.dropFirst()))
        defer { payload.wipe() }
        guard let manifest = try? Manifest.decode(payload, labels: labels) else { return 0 }
        if manifest.isLegacy {
            // A format-1 manifest carries no digests; the first save takes them from the stored
            // blobs and writes every part, and each part must read back the same.
            var migrated = manifest
            for key in manifest.entries.keys { migrated.setDigest(key, RecordDigest(bytes: [UInt8](repeating: 0xd1, count: 16))) }
            for index in migrated.usedParts { roundTrip(migrated, part: index, labels: labels) }
            return 0
        }
        guard let encoded = try? manifest.encodeRoot(), let again = try? Manifest.decode(encoded, labels: labels) else {
            preconditionFailure("a manifest root that was read cannot be written and read again")
        }
        encoded.wipe()
        precondition(again.counter == manifest.counter && again.changed == manifest.changed, "the root changed")
        precondition(again.parts == manifest.parts, "the parts' versions or digests changed on the way round")
    } else {
        guard input.count >= 2 else { return 0 }
        let index = Int(input[1])
        let payload = SecretBytes(copying: Array(input.dropFirst(2)))
        defer { payload.wipe() }
        var manifest = Manifest()
        guard (try? manifest.decodePart(payload, index: index, labels: labels)) != nil else { return 0 }
        roundTrip(manifest, part: index, labels: labels)
    }
    return 0
}

/// Writes part `index` of `manifest` and reads it into an empty manifest: the same entries.
private func roundTrip(_ manifest: Manifest, part index: Int, labels: SecretTable) {
    var again = Manifest()
    guard let encoded = try? manifest.encodePart(index, labels: labels),
          (try? again.decodePart(encoded, index: index, labels: labels)) != nil else {
        preconditionFailure("a manifest part that was read cannot be written and read again")
    }
    encoded.wipe()
    let wanted = manifest.entries.filter { Manifest.part(of: $0.key) == index }
    precondition(again.entries.mapValues(\.version) == wanted.mapValues(\.version), "the entries changed on the way round")
    precondition(again.entries.mapValues(\.digest) == wanted.mapValues(\.digest), "the digests changed on the way round")
    precondition(again.tombstones == manifest.tombstones.filter { Manifest.part(of: $0.key) == index },
                 "the tombstones changed on the way round")
}
