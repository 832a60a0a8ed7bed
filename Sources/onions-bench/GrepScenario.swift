import OnionsCore

extension Scenario {
    /// `grep-1000`: a full-text search after log in over 1,000 onions with 2,500-character
    /// infos: every title, and every info opened with `Session.info(of:)` (read from the
    /// store and decrypted), searched case-insensitively for "harbor".
    static var grep1000: Scenario {
        let needle = Array("harbor".utf8)
        return search("grep-1000", runs: 7, quickRuns: 2, onions: 1_000, infoLength: 2_500) { session in
            var found = 0
            for onion in session.onions {
                if session.texts.withBytes(onion.title, { TextSearch.contains($0, needle) }) {
                    found += 1
                    continue
                }
                let info = try session.info(of: onion.id)
                defer { info.wipe() }
                if info.withUnsafeBytes({ TextSearch.contains($0, needle) }) { found += 1 }
            }
            return found
        }
    }
}
