import OnionsCore
import OnionsCrypto

extension Scenario {
    /// `save-one-N`: like `save-one`, one new onion saved and durably committed, but into a
    /// vault of N onions (a private copy of the shared fixture). The manifest is written in
    /// parts, so this should cost what `save-one` does.
    static func saveOne(atSize onions: Int, runs: Int, quickRuns: Int) -> Scenario {
        Scenario(name: "save-one-\(onions)", runs: runs, quickRuns: quickRuns) { fixtures in
            let shared = try fixtures.vault(onions: onions, infoLength: 300)
            let machine = try BenchMachine.copy(of: shared, fixtures.scratch + "/save-one-\(onions)")
            let copy = VaultFixture(folder: machine.folder, onions: onions, infoLength: 300)
            let session = try copy.logIn()
            return try savingOnions(into: session, seed: 11, first: onions, storePath: copy.storePath) {
                session.lock()
                removeTree(machine.folder)
            }
        }
    }
}
