import OnionsCore
import OnionsCrypto

extension Scenario {
    /// `login-N`: from "open the store" to "every title ready" (`Session.logIn` returned and
    /// `onions` lists all N) on a vault of N onions with infos of 300 characters.
    ///
    /// The vault opens with its password keys handed over (`VaultFixture.logIn`, as from the
    /// unlock agent), so the figure is the vault's own work: the username stretching, reading
    /// the records and opening every title. Add `kdf-default` for the password's scrypt at the
    /// default cost. Its peak_rss_mb is a fresh process's baseline plus one N-onion session.
    ///
    /// After each run, the floor of the same vault (`floor-N`'s run, with the keys of the session
    /// that run opened) is timed too: its median is `paired_floor_ms`, and `paired_ratio` compares
    /// the two as they took turns, which a machine whose speed drifts between scenarios cannot
    /// skew. The session is locked after both.
    ///
    /// With `versions` above 1 (`login-N-history`), every onion was saved that many times, so
    /// the store keeps earlier versions a log in must not read; the line before it gives the
    /// store's size with and without them.
    static func logIn(onions: Int, runs: Int, quickRuns: Int, versions: Int = 1) -> Scenario {
        Scenario(name: "login-\(onions)" + (versions > 1 ? "-history" : ""), runs: runs, quickRuns: quickRuns) { fixtures in
            let vault = try fixtures.vault(onions: onions, infoLength: 300, versions: versions)
            if versions > 1 {
                let plain = try fixtures.vault(onions: onions, infoLength: 300)
                printError("store of \(onions) onions with \(versions) versions each: \(vault.storeMegabytes) MB; "
                    + "with one version: \(plain.storeMegabytes) MB")
            }
            var opened: Session?
            let scratch = SecretBytes(count: 0, capacity: Session.sealedScratchCapacity)
            return Trial(run: {
                var session: Session?
                let ms = try Clock.time { session = try vault.logIn() }
                opened = session
                return ms
            }, finish: {
                opened?.lock()
                scratch.wipe()
            }, reference: {
                defer {
                    opened?.lock()
                    opened = nil
                }
                guard let session = opened else { throw BenchFailure("login-\(onions): no session to time the floor with") }
                return try timeFloor(onions: onions, session: session, path: vault.storePath, scratch: scratch)
            })
        }
    }
}
