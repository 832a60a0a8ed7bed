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

    /// Reads the manifest whose root record is `root`. Every part the root lists must come back
    /// from `fetch` (given part names, returning the live records among them) at exactly its
    /// listed version and digest, and open. Labels go to `labels`; on failure none stay there.
    static func read(root: StoredRecord?, sealer: RecordSealer, labels: SecretTable,
                     fetch: ([RecordName]) throws -> [StoredRecord]) throws -> Found {
        guard let root else { return .absent }
        guard let payload = try? sealer.open(root) else { return .damaged(version: root.version) }
        defer { payload.wipe() }
        guard var manifest = try? decode(payload, labels: labels) else { return .damaged(version: root.version) }
        if manifest.isLegacy { return .found(manifest, version: root.version) }

        var wanted: [RecordName: Int] = [:]
        for (index, part) in manifest.parts.enumerated() where part.version > 0 {
            wanted[sealer.keys.name(.manifestPart(UInt8(index)))] = index
        }
        let records = wanted.isEmpty ? [] : try fetch(Array(wanted.keys))
        // Every part is checked and opened first, so that the entries they list in all are
        // known before any is added (one allocation for the whole table).
        var opened: [(index: Int, payload: SecretBytes)] = []
        defer { for part in opened { part.payload.wipe() } }
        for record in records {
            guard let index = wanted.removeValue(forKey: record.name) else { continue }
            let part = manifest.parts[index]
            guard record.version == part.version, RecordDigest(blob: record.blob) == part.digest,
                  let partPayload = try? sealer.open(record) else {
                return .damaged(version: root.version)
            }
            opened.append((index, partPayload))
        }
        guard wanted.isEmpty else { return .damaged(version: root.version) }
        manifest.reserve(entries: opened.reduce(0) { $0 + Manifest.listedCount(ofPart: $1.payload) })
        for (index, payload) in opened {
            do { try manifest.decodePart(payload, index: index, labels: labels) } catch {
                manifest.forgetLabels(in: labels)
                return .damaged(version: root.version)
            }
        }
        return .found(manifest, version: root.version)
    }

    /// Removes every label this manifest holds from `labels`.
    func forgetLabels(in labels: SecretTable) {
        for entry in entries.values { labels.remove(entry.label) }
    }
}
