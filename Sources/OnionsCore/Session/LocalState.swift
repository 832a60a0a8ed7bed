import OnionsCrypto

/// What this machine remembers of a vault between runs, to detect a store that rolls back.
///
/// One small file per vault under `$XDG_STATE_HOME/onions/` (default `~/.local/state/onions/`),
/// named by a hash of the vault id and the vault's UUID: the highest manifest counter seen and
/// a fingerprint of the header last opened, and this machine's random id within the vault.
/// Nothing in it is secret or plaintext.
public struct LocalState: Equatable, Sendable {
    public var counter: UInt64 = 0
    /// This machine's id within the vault: random, made once (a fresh state, or a file from
    /// before the id existed) and kept from then on. Its unsaved draft is stored under it, and
    /// its commits carry it (`ChainState`).
    public var machineID = MachineID.random()
    public var headerFingerprint: [UInt8] = []
    /// SHA-256 of the header's public parameters, to tell an altered header from a wrong password.
    public var parametersFingerprint: [UInt8] = []

    /// The default directory: `$XDG_STATE_HOME/onions`, else `~/.local/state/onions`.
    /// Throws `VaultError.localState` when neither variable holds an absolute path.
    public static func defaultDirectory(environment: [String: String]) throws -> String {
        try LocalStateDirectory.defaultPath(environment: environment)
    }

    static func fileName(vault: VaultID, vaultUUID: [UInt8]) -> String {
        let digest = SHA256.hash(Array(vault.value.utf8) + [0] + vaultUUID)
        return String(lowercaseHex: digest.prefix(16))
    }

    static func fingerprint(_ header: VaultHeaderBlob) -> [UInt8] {
        SHA256.hash(header.parameters + [0] + header.wrappedKey + [0] + header.verifier)
    }

    /// Reads the state of a vault; a missing folder or file is a fresh state. Throws
    /// `VaultError.localState` for a folder or file that is not safe to trust (see
    /// `LocalStateDirectory`).
    static func load(directory: String, vault: VaultID, vaultUUID: [UInt8]) throws -> LocalState {
        guard let folder = try LocalStateDirectory(path: directory, create: false),
              let bytes = try folder.read(fileName(vault: vault, vaultUUID: vaultUUID)) else { return LocalState() }
        let text = String(decoding: bytes, as: UTF8.self)
        var state = LocalState()
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1)
            guard parts.count == 2 else { continue }
            switch parts[0] {
            case "counter": state.counter = UInt64(parts[1]) ?? 0
            case "header": state.headerFingerprint = Hex.decode(String(parts[1])) ?? []
            case "parameters": state.parametersFingerprint = Hex.decode(String(parts[1])) ?? []
            case "machine": if let id = Hex.decode(String(parts[1])).flatMap(MachineID.init) { state.machineID = id }
            default: continue
            }
        }
        return state
    }

    /// Checks, before a save, that the state can be written afterwards (the folder is safe and
    /// writable), so that a store write is not followed by a state write that must fail.
    static func checkWritable(directory: String) throws {
        try LocalStateDirectory(path: directory, create: true)?.checkWritable()
    }

    /// Writes the state durably (temporary file, fsync, rename). Throws `VaultError.localState`.
    /// A file that already holds exactly this state is left as it is: a log in that learned
    /// nothing new (the usual case) does not pay two fsyncs for the same bytes.
    func save(directory: String, vault: VaultID, vaultUUID: [UInt8]) throws {
        let text = "counter \(counter)\nheader \(Hex.encode(headerFingerprint))\n"
            + "parameters \(Hex.encode(parametersFingerprint))\n" + "machine \(Hex.encode(machineID.bytes))\n"
        guard let folder = try LocalStateDirectory(path: directory, create: true) else { return }
        let name = Self.fileName(vault: vault, vaultUUID: vaultUUID)
        let bytes = Array(text.utf8)
        if let held = try? folder.read(name), held == bytes { return }
        try folder.replace(name, with: bytes)
    }

    /// Forgets a deleted vault; a folder that is missing or not safe to use is left alone.
    static func remove(directory: String, vault: VaultID, vaultUUID: [UInt8]) {
        guard let folder = try? LocalStateDirectory(path: directory, create: false) else { return }
        folder.remove(fileName(vault: vault, vaultUUID: vaultUUID))
    }
}
