import Glibc

/// The folders of one bench run and the vaults built in them, shared between scenarios.
///
/// Vaults are built on first use (not timed), each in a child process. By default everything
/// lives in a scratch folder removed at the end. With a kept folder (`--fixtures DIR`), shared
/// vaults stay there and later runs reuse each one that still opens with the expected onions
/// (building 100,000 onions takes minutes).
final class Fixtures {
    /// Where shared vaults live.
    let root: String
    /// Where vaults a scenario may change live; always removed at the end.
    let scratch: String
    private let keepsRoot: Bool
    private var shared: [String: VaultFixture] = [:]
    private var serial = 0

    /// `kept`: a folder for shared vaults that outlives the run (created when missing; its
    /// parent must exist).
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
        var base = "/tmp"
        if let tmp = getenv("TMPDIR").map({ String(cString: $0) }), tmp.hasPrefix("/") { base = tmp }
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
    func vault(onions: Int, infoLength: Int, shared isShared: Bool = true, versions: Int = 1) throws -> VaultFixture {
        // The version of the sample texts and of the vault's layout (2: the rare word of
        // SampleText; 3: manifest parts padded in steps from 4 KiB, where folders kept from
        // before held parts of 16 KiB; 4: a part count that follows the vault's size, where
        // folders kept from before hold 256 parts): a kept folder built otherwise is not reused.
        let key = "\(onions)-\(infoLength)-t4" + (versions > 1 ? "-v\(versions)" : "")
        if isShared, let built = shared[key] { return built }
        let folder: String
        if isShared {
            folder = root + "/vault-" + key
        } else {
            serial += 1
            folder = scratch + "/private\(serial)-" + key
        }
        let fixture = VaultFixture(folder: folder, onions: onions, infoLength: infoLength, versions: versions)
        try fixture.prepareInChild(reuse: isShared && keepsRoot)
        if isShared { shared[key] = fixture }
        return fixture
    }

    /// Deletes the scratch folder (and so the shared vaults, unless they are kept).
    func removeAll() {
        shared.removeAll()
        removeTree(scratch)
    }
}
