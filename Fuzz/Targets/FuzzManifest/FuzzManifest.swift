import FuzzSupport
@testable import OnionsCore
import OnionsCrypto

// The manifest's payload as it comes out of its sealed record (a store cannot forge one without
// the key, but a bug in a writer or a future format could hand the reader anything). A manifest
// that decodes must encode to a payload that decodes to the same counter, keys and versions.

/// The seed inputs: what the real encoders write, and edge cases.
func seeds() throws -> [(name: String, bytes: [UInt8])] {
    let labels = SecretTable(capacity: 256)
    var manifest = Manifest()
    manifest.counter = 41
    let id = ItemID(bytes: Array(0..<16))
    let keys: [LogicalKey] = [.onionTitle(id), .onionInfo(id), .card(id), .task(0), .task(65_535),
                              .taskCounter, .draft, .settings]
    for (index, key) in keys.enumerated() {
        let label = labels.add(SecretBytes(copying: Array("label \(index) é".utf8)))
        manifest.entries[key] = Manifest.Entry(version: UInt64(index + 1), label: label)
    }
    let empty = try Manifest().encode(labels: labels)
    let full = try manifest.encode(labels: labels)
    return [("empty", empty.withUnsafeBytes { Array($0) }), ("eight-entries", full.withUnsafeBytes { Array($0) })]
}

/// One input.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let payload = SecretBytes(copying: fuzzInput(data, count))
    let labels = SecretTable(capacity: 1_024)
    defer {
        payload.wipe()
        labels.wipe()
    }
    guard let manifest = try? Manifest.decode(payload, labels: labels) else { return 0 }
    guard let encoded = try? manifest.encode(labels: labels),
          let again = try? Manifest.decode(encoded, labels: labels) else {
        preconditionFailure("a manifest that was read cannot be written and read again")
    }
    encoded.wipe()
    precondition(again.counter == manifest.counter, "the counter changed on the way round")
    precondition(again.entries.mapValues(\.version) == manifest.entries.mapValues(\.version),
                 "the entries changed on the way round")
    return 0
}
