import OnionsCore

extension Scenario {
    /// `login-N`: from "open the store" to "every title ready" (`Session.logIn` returned and
    /// `onions` lists all N) on a vault of N onions with infos of 300 characters.
    ///
    /// The vault opens with its password keys handed over (`VaultFixture.logIn`, as from the
    /// unlock agent), so the figure is the vault's own work: the username stretching, reading
    /// the records and opening every title. Add `kdf-default` for the password's scrypt at the
    /// default cost. Its peak_rss_mb is a fresh process's baseline plus one N-onion session.
    static func logIn(onions: Int, runs: Int, quickRuns: Int) -> Scenario {
        Scenario(name: "login-\(onions)", runs: runs, quickRuns: quickRuns) { fixtures in
            let vault = try fixtures.vault(onions: onions, infoLength: 300)
            return Trial(run: {
                var session: Session?
                let ms = try Clock.time { session = try vault.logIn() }
                session?.lock()
                return ms
            })
        }
    }
}
