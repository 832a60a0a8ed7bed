import Glibc
import OnionsCore
import OnionsCrypto
import OnionsStore

/// A vault on disk for scenarios to open: its SQLite file, state folder and credentials.
struct VaultFixture {
    let folder: String
    let onions: Int
    let infoLength: Int
    /// Versions of each onion: every onion saved this many times (1: once).
    var versions = 1

    var storePath: String { folder + "/onions.db" }

    /// The store's size on disk (the database and its write-ahead log), in MB, one decimal.
    var storeMegabytes: String { decimal(Double(Self.storeBytes(at: storePath)) / 1_000_000, places: 1) }

    /// The size on disk of the SQLite store at `path` and its write-ahead log, in bytes.
    static func storeBytes(at path: String) -> Int {
        var total = 0
        for file in [path, path + "-wal"] {
            var info = stat()
            if stat(file, &info) == 0 { total += Int(info.st_size) }
        }
        return total
    }
    var stateDirectory: String { folder + "/state" }

    static let username = "bench"
    /// Sixteen bytes, the length the KDF scenario uses too. A bench password, not a secret.
    static let passwordText = "bench-password16"
    /// The cheapest KDF a vault accepts, the floor (N = 2^15, r = 8: 32 MiB), which fixtures are
    /// created with; log in scenarios time the vault's own work after the key is derived.
    static let cheapKDF = ScryptParameters(logN: 15, r: 8, p: 1)

    static func password() -> SecretBytes { SecretBytes(copying: Array(passwordText.utf8)) }

    /// The vault's password keys, as the unlock agent hands them over: derived once by the
    /// child that prepares the fixture (a bench vault with a public password). Log in scenarios
    /// open the vault with them, so they time the vault's own work; scrypt at the floor (about
    /// 0.1 s and 32 MiB) is `kdf-default`'s to report, at the default cost.
    var keysPath: String { folder + "/handed-over-keys" }

    /// Opens the store with the handed-over keys; throws unless every onion is listed and
    /// nothing is amiss.
    func logIn() throws -> Session {
        let keys = try readKeys()
        defer { keys.wipe() }
        return try checked(Session.logIn(store: try SQLiteStore(path: storePath), username: Self.username,
                                         handedOverKeys: keys, stateDirectory: stateDirectory))
    }

    /// Opens the store with the password (scrypt runs), as the preparing child does.
    func logInWithPassword() throws -> Session {
        let password = Self.password()
        defer { password.wipe() }
        return try checked(Session.logIn(store: try SQLiteStore(path: storePath), username: Self.username,
                                         password: password, stateDirectory: stateDirectory))
    }

    private func checked(_ session: Session) throws -> Session {
        guard session.issues.isEmpty else {
            let issues = session.issues.map(\.description).joined(separator: "; ")
            session.lock()
            throw BenchFailure("the bench vault in \(folder) reports: \(issues)")
        }
        guard session.onions.count == onions else {
            let count = session.onions.count
            session.lock()
            throw BenchFailure("the bench vault in \(folder) lists \(count) onions, expected \(onions)")
        }
        return session
    }

    private func readKeys() throws -> SecretBytes {
        let keys = SecretBytes(count: Session.handOverKeyCount)
        let fd = open(keysPath, O_RDONLY)
        guard fd >= 0 else { throw BenchFailure("\(keysPath) is missing: prepare the fixture again") }
        defer { close(fd) }
        let count = keys.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard count == Session.handOverKeyCount else { throw BenchFailure("\(keysPath) is not a key file") }
        return keys
    }

    /// Derives the keys with the password and writes them for `logIn`.
    private func writeKeys() throws {
        let session = try logInWithPassword()
        defer { session.lock() }
        let keys = try session.handOverKeys()
        defer { keys.wipe() }
        let fd = open(keysPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { throw BenchFailure("cannot write \(keysPath)") }
        defer { close(fd) }
        let written = keys.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == Session.handOverKeyCount else { throw BenchFailure("cannot write \(keysPath)") }
    }

    /// True when the vault exists and logs in cleanly with all its onions.
    func opens() -> Bool {
        guard access(storePath, F_OK) == 0, let session = try? logInWithPassword() else { return false }
        session.lock()
        return true
    }

    /// Builds the vault afresh (anything in its folder is removed first): sign up, then the
    /// onions with reproducible texts, `batchSize` to a save (`Session.addOnions`), so that
    /// 100,000 onions take a few minutes and not an hour of durable single saves.
    func build() throws {
        removeTree(folder)
        let store = try SQLiteStore(path: storePath)
        let password = Self.password()
        defer { password.wipe() }
        let session = try Session.signUp(store: store, username: Self.username, password: password,
                                         kdf: Self.cheapKDF, stateDirectory: stateDirectory)
        defer { session.lock() }
        var text = SampleText(seed: UInt64(onions) &* 31 &+ UInt64(infoLength))
        for start in stride(from: 0, to: onions, by: Self.batchSize) {
            let batch = (start..<min(start + Self.batchSize, onions)).map { i in
                Session.NewOnion(title: SecretBytes(copying: text.title(i)),
                                 info: SecretBytes(copying: text.info(length: infoLength, index: i)))
            }
            defer { for onion in batch { onion.title.wipe(); onion.info.wipe() } }
            try session.addOnions(batch)
        }
        // Each further version saves every onion again with another info, in batches.
        let ids = session.onions.map(\.id)
        for version in stride(from: 2, through: versions, by: 1) {
            for start in stride(from: 0, to: ids.count, by: Self.batchSize) {
                let batch = (start..<min(start + Self.batchSize, ids.count)).map { i in
                    Session.NewOnion(title: SecretBytes(copying: text.title(i)),
                                     info: SecretBytes(copying: text.info(length: infoLength, index: i + version * onions)),
                                     replacing: ids[i])
                }
                defer { for onion in batch { onion.title.wipe(); onion.info.wipe() } }
                try session.addOnions(batch)
            }
        }
    }

    /// Onions a fixture save holds: about 40 MB of sealed records in one transaction, and at
    /// 100,000 onions 25 saves that each rewrite the manifest's parts.
    static let batchSize = 4_000

    // MARK: Building in a child process

    /// The hidden mode that builds a fixture: `prepare-vault FOLDER ONIONS INFO_LENGTH REUSE`.
    static let mode = "prepare-vault"

    /// Builds (or, with `reuse`, first tries to reuse) the vault in a child process, so that the
    /// measuring process never holds the builder's heap and its peak memory stays meaningful.
    func prepareInChild(reuse: Bool) throws {
        let status = try ChildProcess.runSelf([Self.mode, folder, "\(onions)", "\(infoLength)", reuse ? "1" : "0",
                                               "\(versions)"])
        guard status == 0 else { throw BenchFailure("building the bench vault in \(folder) failed") }
    }

    /// The child's side of `prepareInChild`: returns the exit status.
    static func prepareMain(_ arguments: [String]) -> Int32 {
        guard arguments.count == 5, let onions = Int(arguments[1]), let infoLength = Int(arguments[2]),
              let versions = Int(arguments[4]), versions >= 1 else {
            printError("usage: \(mode) FOLDER ONIONS INFO_LENGTH REUSE VERSIONS")
            return 2
        }
        let fixture = VaultFixture(folder: arguments[0], onions: onions, infoLength: infoLength, versions: versions)
        do {
            if !(arguments[3] == "1" && fixture.opens()) { try fixture.build() }
            try fixture.writeKeys()
            return 0
        } catch {
            printError("\(mode): \(error)")
            return 1
        }
    }
}
