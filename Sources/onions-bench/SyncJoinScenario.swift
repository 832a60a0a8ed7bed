import OnionsCore
import OnionsCrypto
import OnionsStore

extension Scenario {
    /// `sync-join-50x50`: two machines of one 100-onion vault each save 50 onions offline
    /// (never synced), then meet through the server. Machine A sends its 50 first (not timed);
    /// the time is machine B's log in with the server: the key derivation, taking A's 50 in,
    /// sending its own 50 and the join commit with two parents, until all 200 are listed with
    /// no warning. Each run gets a fresh server database and fresh copies (not timed). Runs only
    /// when `ONIONS_BENCH_PG` is set.
    static var syncJoin50x50: Scenario {
        Scenario(name: "sync-join-50x50", runs: 5, quickRuns: 2) { fixtures in
            let vault = try fixtures.vault(onions: 100, infoLength: 300)
            var serial = 0
            return Trial(run: {
                serial += 1
                let server = try BenchServer()
                defer { server.drop() }
                let folder = fixtures.scratch + "/sync-join-\(serial)"
                let a = try BenchMachine.copy(of: vault, folder + "-a")
                defer { removeTree(a.folder) }
                try a.logIn(server, expecting: 100).lock()
                let b = try BenchMachine.empty(folder + "-b")
                defer { removeTree(b.folder) }
                try b.logIn(server, expecting: 100).lock()
                try a.saveOffline(50, titled: "from A")
                try b.saveOffline(50, titled: "from B")
                try a.logIn(server, expecting: 150).lock()
                var session: Session?
                let ms = try Clock.time { session = try b.logIn(server, expecting: 200) }
                session?.lock()
                return ms
            })
        }
    }
}

extension BenchMachine {
    /// Logs in without a server and saves `count` new onions, "`title` 1" and on.
    func saveOffline(_ count: Int, titled title: String) throws {
        let store = try SQLiteStore(path: folder + "/onions.db")
        let password = VaultFixture.password()
        defer { password.wipe() }
        let session = try Session.logIn(store: store, username: VaultFixture.username, password: password,
                                        stateDirectory: folder + "/state")
        defer { session.lock() }
        for i in 1...count {
            let name = SecretBytes(copying: Array("\(title) \(i)".utf8))
            let info = SecretBytes(copying: Array("saved offline on \(title), number \(i)".utf8))
            defer { name.wipe(); info.wipe() }
            try session.saveOnion(id: nil, title: name, info: info)
        }
    }
}
