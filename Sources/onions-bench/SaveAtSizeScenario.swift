import OnionsCore
import OnionsCrypto

extension Scenario {
    /// `save-one-10000`: like `save-one`, one new onion saved and durably committed, but into a
    /// vault of 10,000 onions (a private copy of the shared fixture). The manifest is written in
    /// parts, so this should cost what `save-one` does.
    static var saveOne10000: Scenario {
        Scenario(name: "save-one-10000", runs: 30, quickRuns: 8) { fixtures in
            let shared = try fixtures.vault(onions: 10_000, infoLength: 300)
            let machine = try BenchMachine.copy(of: shared, fixtures.scratch + "/save-one-10000")
            let copy = VaultFixture(folder: machine.folder, onions: 10_000, infoLength: 300)
            let session = try copy.logIn()
            return savingOnions(into: session, seed: 11, first: 10_000) {
                session.lock()
                removeTree(machine.folder)
            }
        }
    }
}
