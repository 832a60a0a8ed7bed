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
            var text = SampleText(seed: 7)
            var saved = 100
            return Trial(run: {
                let title = SecretBytes(copying: text.title(saved))
                let info = SecretBytes(copying: text.info(length: 300))
                defer { title.wipe(); info.wipe() }
                let ms = try Clock.time { try session.saveOnion(id: nil, title: title, info: info) }
                saved += 1
                return ms
            }, finish: { session.lock() })
        }
    }
}
