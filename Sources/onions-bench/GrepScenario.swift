import OnionsCore
import OnionsCrypto

extension Scenario {
    /// `grep-1000`: a full-text search after log in over 1,000 onions with 2,500-character
    /// infos: every title, and every info opened with `Session.info(of:)` (read from the
    /// store and decrypted), searched case-insensitively for "harbor".
    static var grep1000: Scenario {
        Scenario(name: "grep-1000", runs: 7, quickRuns: 2) { fixtures in
            let vault = try fixtures.vault(onions: 1_000, infoLength: 2_500)
            let session = try vault.logIn()
            let needle = Array("harbor".utf8)
            return Trial(run: {
                var found = 0
                let ms = try Clock.time {
                    for onion in session.onions {
                        if session.texts.withBytes(onion.title, { TextSearch.contains($0, needle) }) {
                            found += 1
                            continue
                        }
                        let info = try session.info(of: onion.id)
                        defer { info.wipe() }
                        if info.withUnsafeBytes({ TextSearch.contains($0, needle) }) { found += 1 }
                    }
                }
                guard found > 0 else { throw BenchFailure("grep-1000: the query matched nothing") }
                return ms
            }, finish: { session.lock() })
        }
    }
}
