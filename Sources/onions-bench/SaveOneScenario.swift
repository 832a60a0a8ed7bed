import OnionsCore
import OnionsCrypto

extension Scenario {
    /// `save-one`: one new onion (a title and a 300-character info) saved and durably committed
    /// (`saveOnion` returned: one SQLite transaction in WAL mode with synchronous=FULL) into a
    /// vault of 100 onions.
    static var saveOne: Scenario {
        Scenario(name: "save-one", runs: 30, quickRuns: 8) { fixtures in
            let vault = try fixtures.vault(onions: 100, infoLength: 300, shared: false)
            let session = try vault.logIn()
            return try savingOnions(into: session, seed: 7, first: 100, storePath: vault.storePath) { session.lock() }
        }
    }

    /// Trials that each save one new onion into `session` and time it until it is committed.
    /// Each also counts, after it is timed, the bytes the save handed the store: every row and
    /// commit with a change sequence value above the one the store held before it (an empty
    /// `apply` answers that value); and the size on disk of the store at `storePath`.
    ///
    /// First, untimed, 128 edits of onions the vault holds (every 97th in turn), so that what a
    /// save writes is what it writes in a vault in use, not in one just imported: the manifest's
    /// root journals the keys of the last P / 2 saves (128 at the most parts), and the store
    /// holds the versions they replaced.
    static func savingOnions(into session: Session, seed: UInt64, first: Int, storePath: String,
                             finish: @escaping () -> Void) throws -> Trial {
        var text = SampleText(seed: seed)
        var saved = first
        let ids = session.onions.map(\.id)
        for n in 0..<(ids.isEmpty ? 0 : 128) {
            let title = SecretBytes(copying: text.title(n))
            let info = SecretBytes(copying: text.info(length: 300))
            defer { title.wipe(); info.wipe() }
            _ = try session.saveOnion(id: ids[(n * 97) % ids.count], title: title, info: info)
        }
        var before: Int64 = 0
        var trial = Trial(run: {
            let title = SecretBytes(copying: text.title(saved))
            let info = SecretBytes(copying: text.info(length: 300))
            defer { title.wipe(); info.wipe() }
            before = try session.store.apply(vault: session.vault, writes: [])
            let ms = try Clock.time { try session.saveOnion(id: nil, title: title, info: info) }
            saved += 1
            return ms
        }, finish: finish)
        trial.bytesWritten = {
            var bytes = 0
            for row in try session.store.changes(vault: session.vault, since: before) {
                bytes += row.name.bytes.count + 8 + row.blob.count
            }
            for commit in try session.store.commits(vault: session.vault, since: before) { bytes += commit.blob.count }
            guard bytes > 0 else { throw BenchFailure("a save handed the store nothing") }
            return Double(bytes)
        }
        trial.storeBytes = { Double(VaultFixture.storeBytes(at: storePath)) }
        return trial
    }
}
