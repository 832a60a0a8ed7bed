import OnionsCrypto

/// The scrypt cost this machine has seen a vault open with, so that a store or a server cannot
/// make it cheaper later (DESIGN.md section 3, "floor and pin"; FORMAT.md section 9).
///
/// One file per vault in the state folder, named `kdf-` and 32 hex digits of SHA-256 of the
/// vault id (the header's vault UUID is the store's to change), holding `logN r p` in decimal.
/// It is written at the first log in and sign up, raised when a log in opens stronger
/// parameters, and set by a password change on this machine. Parameters weaker in any of
/// logN, r or p are refused by `check` before any key is derived from them.
enum KDFPin {
    /// Refuses `kdf` when it is weaker than the pin of `vault`; no pin means no refusal.
    static func check(_ kdf: ScryptParameters, vault: VaultID, directory: String) throws {
        guard let pinned = try read(vault: vault, directory: directory) else { return }
        guard kdf.logN >= pinned.logN, kdf.r >= pinned.r, kdf.p >= pinned.p else {
            throw VaultError.headerUnreadable("its scrypt parameters (2^\(kdf.logN), r = \(kdf.r), p = \(kdf.p)) are "
                + "weaker than the 2^\(pinned.logN), r = \(pinned.r), p = \(pinned.p) this machine saw the vault open "
                + "with; nothing was derived from them")
        }
    }

    /// Pins `kdf` for `vault`: when there is no pin, when `replacing` (a password change made
    /// here), or when `kdf` is stronger in every part and differs from the pin.
    static func record(_ kdf: ScryptParameters, vault: VaultID, directory: String, replacing: Bool = false) throws {
        let pinned = try read(vault: vault, directory: directory)
        if let pinned, pinned == kdf || !replacing && !(kdf.logN >= pinned.logN && kdf.r >= pinned.r && kdf.p >= pinned.p) {
            return
        }
        try LocalStateDirectory(path: directory, create: true)?
            .replace(fileName(vault), with: Array("\(kdf.logN) \(kdf.r) \(kdf.p)\n".utf8))
    }

    /// Forgets the pin of a deleted vault.
    static func remove(vault: VaultID, directory: String) {
        guard let folder = try? LocalStateDirectory(path: directory, create: false) else { return }
        folder.remove(fileName(vault))
    }

    private static func read(vault: VaultID, directory: String) throws -> ScryptParameters? {
        guard let folder = try LocalStateDirectory(path: directory, create: false),
              let bytes = try folder.read(fileName(vault)) else { return nil }
        let parts = String(decoding: bytes, as: UTF8.self).split(separator: "\n").first?.split(separator: " ") ?? []
        guard parts.count == 3, let logN = UInt8(parts[0]), let r = UInt32(parts[1]), let p = UInt32(parts[2]) else {
            throw VaultError.localState("\(folder.path)/\(fileName(vault)), the scrypt cost this machine pinned for "
                + "the vault, is unreadable")
        }
        return ScryptParameters(logN: logN, r: r, p: p)
    }

    private static func fileName(_ vault: VaultID) -> String {
        "kdf-" + Hex.encode(Array(SHA256.hash(Array(vault.value.utf8)).prefix(16)))
    }
}
