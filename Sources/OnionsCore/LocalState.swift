import Glibc
import OnionsCrypto

/// What this machine remembers of a vault between runs, to detect a store that rolls back.
///
/// One small file per vault under `$XDG_STATE_HOME/onions/` (default `~/.local/state/onions/`),
/// named by a hash of the vault id and the vault's UUID: the highest manifest counter seen and
/// a fingerprint of the header last opened. Nothing in it is secret or plaintext.
public struct LocalState: Equatable, Sendable {
    public var counter: UInt64 = 0
    public var headerFingerprint: [UInt8] = []
    /// SHA-256 of the header's public parameters, to tell an altered header from a wrong password.
    public var parametersFingerprint: [UInt8] = []

    /// The default directory: `$XDG_STATE_HOME/onions`, else `~/.local/state/onions`.
    public static func defaultDirectory(environment: [String: String]) -> String {
        if let xdg = environment["XDG_STATE_HOME"], xdg.hasPrefix("/") { return xdg + "/onions" }
        return (environment["HOME"] ?? "/tmp") + "/.local/state/onions"
    }

    static func fileName(vault: VaultID, vaultUUID: [UInt8]) -> String {
        let digest = SHA256.hash(Array(vault.value.utf8) + [0] + vaultUUID)
        return String(lowercaseHex: digest.prefix(16))
    }

    static func fingerprint(_ header: VaultHeaderBlob) -> [UInt8] {
        SHA256.hash(header.parameters + [0] + header.wrappedKey + [0] + header.verifier)
    }

    /// Reads the state of a vault; a missing or unreadable file is a fresh state.
    static func load(directory: String, vault: VaultID, vaultUUID: [UInt8]) -> LocalState {
        let path = directory + "/" + fileName(vault: vault, vaultUUID: vaultUUID)
        guard let text = readSmallFile(path) else { return LocalState() }
        var state = LocalState()
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1)
            guard parts.count == 2 else { continue }
            switch parts[0] {
            case "counter": state.counter = UInt64(parts[1]) ?? 0
            case "header": state.headerFingerprint = Hex.decode(String(parts[1])) ?? []
            case "parameters": state.parametersFingerprint = Hex.decode(String(parts[1])) ?? []
            default: continue
            }
        }
        return state
    }

    /// Writes the state durably (temporary file, fsync, rename).
    func save(directory: String, vault: VaultID, vaultUUID: [UInt8]) throws {
        try makeDirectories(directory)
        let path = directory + "/" + Self.fileName(vault: vault, vaultUUID: vaultUUID)
        let text = "counter \(counter)\nheader \(Hex.encode(headerFingerprint))\n"
            + "parameters \(Hex.encode(parametersFingerprint))\n"
        try writeFileAtomically(path, Array(text.utf8))
    }

    static func remove(directory: String, vault: VaultID, vaultUUID: [UInt8]) {
        _ = unlink(directory + "/" + fileName(vault: vault, vaultUUID: vaultUUID))
    }
}

/// Creates a directory and its parents with mode 0700.
func makeDirectories(_ path: String) throws {
    var current = ""
    for part in path.split(separator: "/") {
        current += "/" + part
        if mkdir(current, 0o700) != 0 && errno != EEXIST {
            throw VaultError.store(.unavailable("cannot create \(current)"))
        }
    }
}

func readSmallFile(_ path: String) -> String? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while true {
        let n = read(fd, &chunk, chunk.count)
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { break }
        bytes += chunk[0..<n]
        if bytes.count > 1 << 20 { return nil }
    }
    return String(decoding: bytes, as: UTF8.self)
}

func writeFileAtomically(_ path: String, _ bytes: [UInt8]) throws {
    let temporary = path + ".tmp"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    guard fd >= 0 else { throw VaultError.store(.unavailable("cannot write \(temporary)")) }
    var written = 0
    while written < bytes.count {
        let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, bytes.count - written) }
        if n < 0 {
            if errno == EINTR { continue }
            close(fd)
            throw VaultError.store(.unavailable("cannot write \(temporary)"))
        }
        written += n
    }
    fsync(fd)
    close(fd)
    guard rename(temporary, path) == 0 else { throw VaultError.store(.unavailable("cannot write \(path)")) }
}
