import Glibc
import OnionsCore
import OnionsCrypto
import OnionsStore

/// A vault on disk for scenarios to open: its SQLite file, state folder and credentials.
struct VaultFixture {
    let storePath: String
    let stateDirectory: String
    let onions: Int
    static let username = "bench"
    /// Sixteen bytes, the length the KDF scenario uses too. A bench password, not a secret.
    static let passwordText = "bench-password16"
    /// The cheap KDF fixtures are created with (N = 2^10: about 1 MiB and 1 ms), so a log in
    /// measures the vault's own work rather than the password KDF.
    static let cheapKDF = ScryptParameters(logN: 10, r: 8, p: 1)

    static func password() -> SecretBytes { SecretBytes(copying: Array(passwordText.utf8)) }

    /// Opens the store and logs in; throws unless every onion is listed and nothing is amiss.
    func logIn() throws -> Session {
        let store = try SQLiteStore(path: storePath)
        let password = Self.password()
        defer { password.wipe() }
        let session = try Session.logIn(store: store, username: Self.username, password: password,
                                        stateDirectory: stateDirectory)
        try Self.check(session, onions: onions)
        return session
    }

    static func check(_ session: Session, onions: Int) throws {
        guard session.issues.isEmpty else {
            throw BenchFailure("the bench vault reports: \(session.issues.map(\.description).joined(separator: "; "))")
        }
        guard session.onions.count == onions else {
            throw BenchFailure("the bench vault lists \(session.onions.count) onions, expected \(onions)")
        }
    }
}

/// The folders of one bench run and the vaults built in them, shared between scenarios.
///
/// Vaults are built on first use (not timed). By default everything lives in a scratch folder
/// removed at the end. With a kept folder (`--fixtures DIR`), shared vaults stay there and
/// later runs reuse each one that still opens with the expected onions (building a vault of
/// 10,000 onions takes minutes, since every save rewrites the manifest).
final class Fixtures {
    /// Where shared vaults live.
    let root: String
    /// Where vaults a scenario may change live; always removed at the end.
    let scratch: String
    private let keepsRoot: Bool
    private var shared: [String: VaultFixture] = [:]
    private var serial = 0

    /// `kept`: a folder for shared vaults that outlives the run (created when missing).
    init(kept: String?) throws {
        scratch = try Self.makeScratchFolder()
        if let kept {
            guard mkdir(kept, 0o700) == 0 || errno == EEXIST else {
                removeTree(scratch)
                throw BenchFailure("cannot create the fixtures folder \(kept)")
            }
            root = kept
            keepsRoot = true
        } else {
            root = scratch
            keepsRoot = false
        }
    }

    private static func makeScratchFolder() throws -> String {
        let base = ProcessInfoLite.environment("TMPDIR").flatMap { $0.hasPrefix("/") ? $0 : nil } ?? "/tmp"
        var template = Array((base + "/onions-bench.XXXXXX").utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw BenchFailure("cannot create a scratch folder under \(base)")
        }
        return String(cString: made)
    }

    /// A vault of `onions` onions whose infos are `infoLength` characters.
    ///
    /// Shared vaults must not be changed; `shared: false` builds a fresh one in the scratch
    /// folder that its scenario may change.
    func vault(onions: Int, infoLength: Int, shared isShared: Bool = true) throws -> VaultFixture {
        let key = "\(onions)-\(infoLength)"
        if isShared, let built = shared[key] { return built }
        let folder: String
        if isShared {
            folder = root + "/vault-" + key
        } else {
            serial += 1
            folder = scratch + "/private\(serial)-" + key
        }
        let fixture = VaultFixture(storePath: folder + "/onions.db", stateDirectory: folder + "/state",
                                   onions: onions)
        if !(isShared && keepsRoot && Self.opens(fixture)) {
            removeTree(folder)
            try build(fixture, infoLength: infoLength)
        }
        if isShared { shared[key] = fixture }
        return fixture
    }

    /// True when a kept vault logs in cleanly with all its onions.
    private static func opens(_ fixture: VaultFixture) -> Bool {
        guard access(fixture.storePath, F_OK) == 0, let session = try? fixture.logIn() else { return false }
        session.lock()
        return true
    }

    private func build(_ fixture: VaultFixture, infoLength: Int) throws {
        let store = try SQLiteStore(path: fixture.storePath)
        let password = VaultFixture.password()
        defer { password.wipe() }
        let session = try Session.signUp(store: store, username: VaultFixture.username, password: password,
                                         kdf: VaultFixture.cheapKDF, stateDirectory: fixture.stateDirectory)
        defer { session.lock() }
        var text = SampleText(seed: UInt64(fixture.onions) &* 31 &+ UInt64(infoLength))
        for i in 0..<fixture.onions {
            let title = SecretBytes(copying: text.title(i))
            let info = SecretBytes(copying: text.info(length: infoLength))
            defer { title.wipe(); info.wipe() }
            try session.saveOnion(id: nil, title: title, info: info)
        }
    }

    /// Deletes the scratch folder (and the shared vaults, unless they are kept).
    func removeAll() {
        shared.removeAll()
        removeTree(scratch)
    }
}

/// Removes a file, or a folder and everything under it (symbolic links are not followed).
func removeTree(_ path: String) {
    var info = stat()
    guard lstat(path, &info) == 0 else { return }
    if info.st_mode & S_IFMT == S_IFDIR, let folder = opendir(path) {
        var children: [String] = []
        while let entry = readdir(folder) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { children.append(name) }
        }
        closedir(folder)
        for child in children { removeTree(path + "/" + child) }
        _ = rmdir(path)
    } else {
        _ = unlink(path)
    }
}

/// Environment look-up without Foundation.
enum ProcessInfoLite {
    static func environment(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        return String(cString: value)
    }
}
