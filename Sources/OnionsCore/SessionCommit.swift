import OnionsCrypto

/// What a save writes: a record's new payload (with the label the manifest will list) or its deletion.
enum PendingWrite {
    case put(LogicalKey, SecretBytes, SizeClass, label: SecretBytes?)
    case delete(LogicalKey)
}

/// Commit: every save as one store transaction of its records and a new manifest.
extension Session {
    /// One transaction: the given writes and the manifest with a higher counter.
    func commit(_ pending: [PendingWrite]) throws {
        var next = manifest
        var writes: [RecordWrite] = []
        var newVersions: [LogicalKey: UInt64] = [:]
        var addedLabels: [Int] = []
        for p in pending {
            switch p {
            case .put(let key, let payload, let sizeClass, let labelText):
                let name = keys.name(key)
                let expected = versions[key] ?? heldVersions[name] ?? 0
                writes.append(.put(name: name, blob: try sealer.seal(payload, name: name, version: expected + 1,
                                                                      sizeClass: sizeClass),
                                   expectedVersion: expected))
                newVersions[key] = expected + 1
                let labelHandle: Int
                if let labelText {
                    labelHandle = texts.add(labelText)
                } else {
                    labelHandle = texts.add(UnsafeRawBufferPointer(start: nil, count: 0))
                }
                addedLabels.append(labelHandle)
                next.entries[key] = Manifest.Entry(version: expected + 1, label: labelHandle)
            case .delete(let key):
                let expected = versions[key] ?? heldVersions[keys.name(key)] ?? 0
                writes.append(.delete(name: keys.name(key), expectedVersion: expected))
                newVersions[key] = expected + 1
                next.entries[key] = nil
            }
        }
        next.counter = max(manifest.counter, localState.counter) + 1
        do {
            let payload = try next.encode(labels: texts)
            defer { payload.wipe() }
            let name = keys.name(.manifest)
            writes.append(.put(name: name, blob: try sealer.seal(payload, name: name, version: manifestVersion + 1,
                                                                  sizeClass: .manifest),
                               expectedVersion: manifestVersion))
            try LocalState.checkWritable(directory: stateDirectory)
            sync?.beforeLocalWrite(self, names: writes.map(\.name))
            try Self.wrapStore { try store.apply(vault: vault, writes: writes) }
        } catch {
            for handle in addedLabels { texts.remove(handle) }
            throw error
        }
        // Labels the new manifest no longer uses.
        for (key, entry) in manifest.entries where next.entries[key]?.label != entry.label {
            texts.remove(entry.label)
        }
        manifest = next
        manifestVersion += 1
        versions[.manifest] = manifestVersion
        for (key, version) in newVersions { versions[key] = version }
        localState.counter = next.counter
        try localState.save(directory: stateDirectory, vault: vault, vaultUUID: parameters.vaultUUID)
        sync?.afterLocalSave(self)
    }
}
