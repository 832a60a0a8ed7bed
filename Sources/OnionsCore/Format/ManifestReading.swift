import OnionsCrypto

/// Reading a whole manifest from a store: the root, then every part it lists, each checked.
extension Manifest {
    enum Found {
        /// The store holds no manifest record.
        case absent
        /// The root or a part is missing, at another version or digest, or does not open or parse.
        case damaged(version: UInt64)
        /// The manifest, and the store version of its root.
        case found(Manifest, version: UInt64)
    }

    /// A manifest already opened, whose parts a read may take instead of fetching and opening
    /// them again: each part the root lists at the same version and digest as `manifest` holds
    /// it (the digest is the sealed part's GCM tag, so the same tag at the same version is the
    /// same part). Its labels are in `labels`.
    struct Known {
        var manifest: Manifest
        var labels: SecretTable
    }

    /// Reads the manifest whose root record is `root`. Every part the root lists must come back
    /// from `fetch` (given part names, returning the live records among them) at exactly its
    /// listed version and digest, and open, unless `known` holds it already. Labels go to
    /// `labels` (a known manifest's labels in the same table are shared, in another one copied);
    /// on failure none are added there.
    static func read(root: StoredRecord?, sealer: RecordSealer, labels: SecretTable, known: Known? = nil,
                     fetch: ([RecordName]) throws -> [StoredRecord]) throws -> Found {
        guard let root else { return .absent }
        guard let payload = try? sealer.open(root) else { return .damaged(version: root.version) }
        defer { payload.wipe() }
        guard var manifest = try? decode(payload, labels: labels) else { return .damaged(version: root.version) }
        if manifest.isLegacy { return .found(manifest, version: root.version) }
        // The root's journal added labels already: a read that fails from here takes them back.
        var found = false
        defer { if !found { manifest.forgetLabels(in: labels) } }

        var wanted: [RecordName: Int] = [:]
        var reused: [Int] = []
        // A known part is taken only where the known manifest's state is the part's: not where
        // its journal holds a key.
        let knownJournalled = known?.manifest.journalledParts ?? []
        for (index, part) in manifest.parts.enumerated() where part.version > 0 {
            if let known, !known.manifest.isLegacy, known.manifest.partCount == manifest.partCount,
               known.manifest.parts[index] == part, !knownJournalled.contains(index) {
                reused.append(index)
            } else {
                wanted[sealer.keys.name(.manifestPart(UInt8(index)))] = index
            }
        }
        let records = wanted.isEmpty ? [] : try fetch(Array(wanted.keys))
        // Every part is checked against the root first (its version, and its digest: a blob the
        // root does not list is never opened, nor counted in what the buffers below take).
        var listed: [(index: Int, record: StoredRecord)] = []
        listed.reserveCapacity(records.count)
        for record in records {
            guard let index = wanted.removeValue(forKey: record.name) else { continue }
            let part = manifest.parts[index]
            guard record.version == part.version, RecordDigest(blob: record.blob) == part.digest else {
                return .damaged(version: root.version)
            }
            listed.append((index, record))
        }
        guard wanted.isEmpty else { return .damaged(version: root.version) }
        // Then opened, so that the entries they list in all are known before any is added (one
        // allocation for the whole table). Each opens into one reused buffer and its payload is
        // kept in one mapping for all: a part is small, and a mapping of its own (mapped,
        // locked, wiped, unmapped) cost more than opening it.
        let scratch = SecretBytes(count: 0, capacity: (listed.map(\.record.blob.count).max() ?? 0) + 16)
        let payloads = SecretBytes(count: 0, capacity: max(listed.reduce(0) { $0 + $1.record.blob.count }, 1))
        defer {
            scratch.wipe()
            payloads.wipe()
        }
        var opened: [(index: Int, reader: PayloadReader)] = []
        opened.reserveCapacity(listed.count)
        for (index, record) in listed {
            guard let reader = try? sealer.open(record, into: scratch) else { return .damaged(version: root.version) }
            let start = payloads.count
            let kept = scratch.withUnsafeBytes { payloads.append(UnsafeRawBufferPointer(rebasing: $0[reader.offset...])) }
            guard kept else { return .damaged(version: root.version) }
            opened.append((index, PayloadReader(payloads, start: start, count: payloads.count - start)))
        }
        let reusedKeys = known.map { $0.manifest.keys(inParts: reused) } ?? [:]
        manifest.reserve(entries: opened.reduce(0) { $0 + Manifest.listedCount(ofPart: $1.reader) }
                                  + reusedKeys.values.reduce(0) { $0 + $1.count })
        for (index, reader) in opened {
            do { try manifest.decodePart(reader, index: index, labels: labels) } catch {
                return .damaged(version: root.version)
            }
        }
        if let known {
            for index in reused { manifest.takePart(index, keys: reusedKeys[index] ?? [], from: known, labels: labels) }
        }
        found = true
        return .found(manifest, version: root.version)
    }

    /// Lists what part `index` of `known` lists (this manifest lists nothing in that part yet,
    /// but for keys its journal holds, which keep the journal's state). `known` journals no key
    /// of that part. `keys`: the keys that part lists, when the caller found them already
    /// (`keys(inParts:)`).
    mutating func takePart(_ index: Int, keys: [LogicalKey]? = nil, from known: Known, labels: SecretTable) {
        let shared = known.labels === labels
        for key in keys ?? known.manifest.keys(inParts: [index])[index] ?? [] where !dirty.contains(key) {
            defer { dirty.remove(key) }  // listed as the part lists it
            if let entry = known.manifest.entries[key] {
                let label = shared ? entry.label : known.labels.withBytes(entry.label) { labels.add($0) }
                set(key, Entry(version: entry.version, label: label, digest: entry.digest))
            } else {
                setDeleted(key, version: known.manifest.tombstones[key] ?? 0)
            }
        }
    }

    /// Removes every label this manifest holds from `labels`.
    func forgetLabels(in labels: SecretTable) {
        for entry in entries.values { labels.remove(entry.label) }
    }
}
