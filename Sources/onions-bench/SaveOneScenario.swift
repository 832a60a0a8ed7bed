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
            return savingOnions(into: session, seed: 7, first: 100) { session.lock() }
        }
    }

    /// Trials that each save one new onion into `session` and time it until it is committed.
    static func savingOnions(into session: Session, seed: UInt64, first: Int,
                             finish: @escaping () -> Void) -> Trial {
        var text = SampleText(seed: seed)
        var saved = first
        return Trial(run: {
            let title = SecretBytes(copying: text.title(saved))
            let info = SecretBytes(copying: text.info(length: 300))
            defer { title.wipe(); info.wipe() }
            let ms = try Clock.time { try session.saveOnion(id: nil, title: title, info: info) }
            saved += 1
            return ms
        }, finish: finish)
    }
}
