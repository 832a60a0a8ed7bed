import OnionsCrypto

/// The one place a manifest is sealed: the parts that changed, then the root. A save
/// (`Session.commit`), a key rotation (`Session.resealedWrites`) and a sync round's merged
/// manifest (`SyncPlanner.writeMergedManifest`) all seal it here; they differ only in the
/// versions they seal at and what they do with the records.
extension Manifest {
    /// One manifest record, sealed at the version it is to be written at.
    struct SealedRecord {
        let name: RecordName
        let blob: [UInt8]
        let version: UInt64
    }

    /// Seals parts `indices` (in ascending order), each at `partVersion(index, its version now)`,
    /// recording each part's new version and digest, then the root at `rootVersion` with the
    /// journal of the changed keys that no part written here lists (`ManifestRoot.swift`).
    /// `partNames`: the parts' record names by index (the names `sealer`'s keys give them).
    ///
    /// A manifest that outgrew its parts (`grow()`) doubles them here and seals every part, so
    /// that no caller can write a manifest whose parts list more than their share.
    mutating func seal(parts indices: some Sequence<Int>, partNames: [RecordName], labels: SecretTable,
                       sealer: RecordSealer, rootVersion: UInt64,
                       partVersion: (_ index: Int, _ current: UInt64) -> UInt64) throws -> [SealedRecord] {
        var sealed: [SealedRecord] = []
        let all = grow()
        var chosen = all ? Array(0..<partCount) : indices.sorted()
        let chosenSet = Set(chosen)
        let count = partCount
        if dirty.reduce(0, { $0 + (chosenSet.contains(Self.part(of: $1, partCount: count)) ? 0 : 1) }) > journalLimit {
            // More changed than a journal holds (a bulk write): every part they are in.
            chosen = chosenSet.union(journalledParts).sorted()
        }
        let keysByPart = keys(inParts: chosen)
        for index in chosen {
            let payload = try encodePart(index, keys: keysByPart[index] ?? [], labels: labels)
            defer { payload.wipe() }
            let name = partNames[index]
            let version = partVersion(index, parts[index].version)
            let blob = try sealer.seal(payload, name: name, version: version, sizeClass: .manifest)
            sealed.append(SealedRecord(name: name, blob: blob, version: version))
            parts[index] = Part(version: version, digest: RecordDigest(blob: blob))
        }
        let written = Set(chosen)
        dirty = dirty.filter { !written.contains(part(of: $0)) }
        let root = try encodeRoot(labels: labels)
        defer { root.wipe() }
        let name = sealer.keys.name(.manifest)
        sealed.append(SealedRecord(name: name, blob: try sealer.seal(root, name: name, version: rootVersion,
                                                                    sizeClass: .manifest, paddedAtLeast: rootFloor),
                                   version: rootVersion))
        return sealed
    }
}
