import OnionsCrypto

/// Rotating the data key (`passwd --rotate`): every record sealed again under a new record key,
/// so that an old password with an old wrapped key opens nothing written afterwards.
///
/// Records keep their names (the naming seed stays, see `DataKeys.rotated`); their versions
/// advance by one through compare-and-set, so other machines take the new blobs as changes.
extension Session {
    /// The batch that goes with a rotated header: every live record the manifest lists, opened
    /// with the current keys and sealed with `newKeys` one version up, then every manifest part
    /// that was ever written and the root, listing the new versions and digests.
    /// Throws `VaultError.readOnly` when a listed record is missing or does not open.
    func resealedWrites(with newKeys: DataKeys) throws -> [RecordWrite] {
        let newSealer = RecordSealer(vault: vault, keys: newKeys)
        var next = manifest
        var writes: [RecordWrite] = []
        writes.reserveCapacity(manifest.entries.count + manifest.partCount + 1)
        var byName: [RecordName: LogicalKey] = [:]
        for key in manifest.entries.keys { byName[keys.name(key)] = key }
        let names = Array(byName.keys)
        var resealed = 0
        for start in stride(from: 0, to: names.count, by: 512) {
            let slice = Array(names[start..<min(start + 512, names.count)])
            for record in try Self.wrapStore({ try store.records(vault: vault, names: slice) }) {
                guard let key = byName[record.name], let entry = manifest.entries[key],
                      entry.version == record.version, entry.digest == nil || entry.digest == RecordDigest(blob: record.blob)
                else { throw VaultError.readOnly }
                let payload: SecretBytes
                do { payload = try sealer.open(record) } catch { throw VaultError.readOnly }
                defer { payload.wipe() }
                let sizeClass = record.blob.count > 1 ? SizeClass(rawValue: record.blob[1]) ?? .large : .large
                let blob = try newSealer.seal(payload, name: record.name, version: record.version + 1, sizeClass: sizeClass)
                writes.append(.put(name: record.name, blob: blob, expectedVersion: record.version))
                next.set(key, Manifest.Entry(version: record.version + 1, label: entry.label, digest: RecordDigest(blob: blob)))
                resealed += 1
            }
        }
        guard resealed == manifest.entries.count else { throw VaultError.readOnly }
        let wasLegacy = next.isLegacy
        next.isLegacy = false
        next.counter = max(manifest.counter, localState.counter) + 1
        next.changed = nowMilliseconds()
        // Every part the store holds, under the new keys (a format-1 manifest's parts for the
        // first time); the root's journal carries what parts never written list.
        let used = wasLegacy ? Set(next.usedParts) : []
        let parts = (0..<next.partCount).filter { used.contains($0) || next.parts[$0].version > 0 }
        writes += try sealedManifest(&next, parts: parts, sealer: newSealer)
        return writes
    }
}
