import Glibc
import OnionsCore
import OnionsCrypto
import OnionsStore

/// One vault of the server-load scenario and its two machines (A signed up, B logged in on an
/// empty store), each with its own SQLite file, state folder and server connection code.
final class LoadPair {
    let machines: [LoadMachine]

    init(index: Int, run: Int, folder: String, url: String, seed: UInt64) throws {
        let username = "load-\(run)-\(index)"
        let aFolder = folder + "/v\(index)a", bFolder = folder + "/v\(index)b"
        guard mkdir(aFolder, 0o700) == 0, mkdir(bFolder, 0o700) == 0 else { throw BenchFailure("cannot create \(aFolder)") }
        let password = VaultFixture.password()
        defer { password.wipe() }
        let a = try Session.signUp(store: try SQLiteStore(path: aFolder + "/onions.db"), remote: PostgresStore.remote(url: url),
                                   username: username, password: password, kdf: VaultFixture.cheapKDF,
                                   stateDirectory: aFolder + "/state")
        let b: Session
        do {
            b = try Session.logIn(store: try SQLiteStore(path: bFolder + "/onions.db"), remote: PostgresStore.remote(url: url),
                                  username: username, password: password, stateDirectory: bFolder + "/state")
        } catch {
            a.lock()
            throw error
        }
        machines = [LoadMachine(a, seed: seed * 2), LoadMachine(b, seed: seed * 2 + 1)]
        // One save each and the syncs after it, not timed: a machine that saves every few
        // seconds is an active one (it keeps its connection and hears change notices).
        let noResults = Locked(LoadResults())
        for machine in machines { machine.save(noResults) }
        for machine in machines + machines where machine.session.pollRemote(timeoutMs: 0) {
            _ = try machine.session.syncNow()
        }
        for machine in machines { machine.outgoing = [] }
    }

    func close() { machines.forEach { $0.session.lock() } }

    /// Runs `pairs` until `end` (seconds, `Clock`), then without new saves for up to `drainFor`
    /// seconds until every save was seen by the other machine; counts into `results`.
    static func drive(_ pairs: [LoadPair], until end: Double, drainFor: Double, results: Locked<LoadResults>) {
        let now = { Clock.nowMilliseconds() / 1000 }
        for pair in pairs { for machine in pair.machines { machine.schedule(after: now()) } }
        while true {
            let time = now()
            let saving = time < end
            var waiting = false
            for pair in pairs {
                for (side, machine) in pair.machines.enumerated() {
                    let other = pair.machines[1 - side]
                    if saving && time >= machine.nextSave {
                        machine.save(results)
                        machine.schedule(after: now())
                    }
                    if machine.session.pollRemote(timeoutMs: 0) {
                        let report = try? machine.session.syncNow()
                        if let problem = report?.offline ?? report?.refused ?? (report == nil ? "the vault locked" : nil) {
                            results.with { $0.error("a sync: \(problem)") }
                        }
                    }
                    other.seen(by: machine, at: now(), results)
                    if !other.outgoing.isEmpty { waiting = true }
                }
            }
            if !saving && (!waiting || time >= end + drainFor) { break }
            usleep(5_000)
        }
        let unseen = pairs.reduce(0) { $0 + $1.machines.reduce(0) { $0 + $1.outgoing.count } }
        results.with { $0.unseen += unseen }
    }
}

/// One machine: its session, when it saves next, and its saves the other machine has not listed yet.
final class LoadMachine {
    let session: Session
    var nextSave: Double = 0
    var burst = 0
    var outgoing: [(id: ItemID, at: Double)] = []
    private var text: SampleText
    private var count = 0

    init(_ session: Session, seed: UInt64) {
        self.session = session
        text = SampleText(seed: seed)
    }

    /// About every 5 seconds (exponential gaps); one gap in ten starts a burst of five saves
    /// half a second apart.
    func schedule(after now: Double) {
        if burst > 0 {
            burst -= 1
            nextSave = now + 0.5
            return
        }
        if Double.random(in: 0..<1) < 0.1 { burst = 4 }
        nextSave = now - 5 * log(Double.random(in: 0.0001..<1))
    }

    /// Saves a new onion (a title and 300 characters) and sends it, as the interface does.
    func save(_ results: Locked<LoadResults>) {
        count += 1
        let title = SecretBytes(copying: text.title(count))
        let info = SecretBytes(copying: text.info(length: 300))
        defer { title.wipe(); info.wipe() }
        do {
            let id = try session.saveOnion(id: nil, title: title, info: info)
            outgoing.append((id, Clock.nowMilliseconds() / 1000))
            results.with { $0.saves += 1 }
            if let report = session.pushPending(), let problem = report.offline ?? report.refused {
                results.with { $0.error("a push: \(problem)") }
            }
        } catch {
            results.with { $0.error("a save: \(error)") }
        }
    }

    /// Counts this machine's saves that `other` lists now.
    func seen(by other: LoadMachine, at now: Double, _ results: Locked<LoadResults>) {
        guard !outgoing.isEmpty else { return }
        let listed = Set(other.session.onions.map(\.id))
        let found = outgoing.filter { listed.contains($0.id) }
        guard !found.isEmpty else { return }
        outgoing.removeAll { listed.contains($0.id) }
        results.with { $0.latencies += found.map { (now - $0.at) * 1000 } }
    }
}

/// Samples the server every second: client backends of the bench database and the memory of
/// the postmaster and its children.
final class ServerSampler: @unchecked Sendable {
    struct Figures {
        var backendsMax = 0
        var backendsSum = 0
        var samples = 0
        var rssMax = 0.0
        var pssMax = 0.0
        var backendsMean: Double { samples == 0 ? 0 : Double(backendsSum) / Double(samples) }
    }

    private let admin: PostgresAdminSession
    private let processes: ServerProcesses
    private let database: String
    private let state = Locked((running: false, figures: Figures()))
    private var thread = pthread_t()

    init(admin: PostgresAdminSession, processes: ServerProcesses, database: String) {
        self.admin = admin
        self.processes = processes
        self.database = database
    }

    func start() {
        state.with { $0.running = true }
        let raw = Unmanaged.passRetained(self).toOpaque()
        pthread_create(&thread, nil, { raw in
            let sampler = Unmanaged<ServerSampler>.fromOpaque(raw!).takeRetainedValue()
            sampler.loop()
            return nil
        }, raw)
    }

    func stop() -> Figures {
        state.with { $0.running = false }
        pthread_join(thread, nil)
        return state.with { $0.figures }
    }

    private func loop() {
        while state.with({ $0.running }) {
            let backends = (try? admin.integer("SELECT count(*) FROM pg_stat_activity WHERE datname = '\(database)' "
                + "AND backend_type = 'client backend' AND pid <> pg_backend_pid()")).flatMap { $0 }.map(Int.init) ?? 0
            let memory = processes.memory()
            state.with {
                $0.figures.backendsMax = max($0.figures.backendsMax, backends)
                $0.figures.backendsSum += backends
                $0.figures.samples += 1
                $0.figures.rssMax = max($0.figures.rssMax, memory.rss)
                $0.figures.pssMax = max($0.figures.pssMax, memory.pss)
            }
            for _ in 0..<10 where state.with({ $0.running }) { usleep(100_000) }
        }
    }
}
