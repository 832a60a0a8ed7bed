/// What can go wrong with a vault, named for the person at the keyboard. Never holds plaintext.
public enum VaultError: Error, Equatable, Sendable, CustomStringConvertible {
    case wrongPassword
    case emptyPassword
    /// The password's bytes are not valid UTF-8; refused before any key is derived.
    case passwordNotUTF8
    case emptyUsername
    case noSuchVault
    case vaultExists
    /// The header changed since this machine last opened the vault and does not open.
    case headerAltered
    /// The header's parameters are not ones this program accepts (damaged or hostile).
    case headerUnreadable(String)
    /// A record failed to open or parse (label: its title as the manifest knows it).
    case damaged(String)
    /// The store holds an older state than this machine has seen.
    case rolledBack(seen: UInt64, found: UInt64)
    case noSuchItem(String)
    case ambiguous(String)
    case limit(LimitError)
    case store(StoreError)
    case locked
    case malformed
    case internalLimit
    case tooManyTasks
    /// More than `VaultSettings.maxPinned` onions and cards would be pinned.
    case tooManyPins
    /// The task list is too long for its order to be saved (`VaultSettings.maxOrderedTasks`).
    case tooManyTasksToOrder
    case cardWrongPassword
    /// Scrypt parameters for a vault key below the floor or above the ceilings of `Limits`;
    /// nothing was derived from them.
    case kdfRefused(String)
    /// A card's stored KDF parameters break `Limits` (damaged or hostile); nothing was derived.
    case cardKDFRefused(String)
    /// This machine's vault state (which detects a store rolled back) cannot be read or written.
    case localState(String)
    /// The store lost or rolled back what this vault wrote: nothing is saved until the person
    /// accepts the store's state (`Session.acceptStoreState`).
    case readOnly
    /// The store's state cannot be accepted: its manifest is missing or does not open.
    case manifestUnrecoverable
    /// What was asked needs something this session does not have (said in full).
    case unsupported(String)
    /// The vault holds `what` (a commit of a later format) that a newer version of the program
    /// wrote: this version reads it no further and changes nothing it would damage.
    case needsNewerVersion(String)

    public var description: String {
        switch self {
        case .wrongPassword: return "wrong password"
        case .emptyPassword: return "the password may not be empty"
        case .passwordNotUTF8:
            return "the password is not valid UTF-8 text; use a password in UTF-8 (the terminal's locale may be wrong)"
        case .emptyUsername: return "the username may not be empty"
        case .noSuchVault: return "no vault for that username in this store"
        case .vaultExists: return "a vault for that username exists already"
        case .headerAltered:
            return "the vault header was altered since this machine last opened it, or the password is wrong"
        case .headerUnreadable(let why): return "the vault header is unreadable: \(why)"
        case .damaged(let what): return "\(what) is damaged or was tampered with"
        case .rolledBack(let seen, let found):
            return "the store was rolled back: it holds vault state \(found), this machine has seen \(seen)"
        case .noSuchItem(let what): return "no \(what)"
        case .ambiguous(let what): return "\(what) matches more than one item; be more precise"
        case .limit(let e): return e.description
        case .store(let e): return e.description
        case .locked: return "the vault is locked"
        case .malformed: return "a record has an unexpected layout"
        case .internalLimit: return "a record does not fit its size class"
        case .tooManyTasks: return "the task list is full (65,535 tasks)"
        case .tooManyPins: return "at most \(VaultSettings.maxPinned) onions and cards can be pinned; unpin one first"
        case .tooManyTasksToOrder:
            return "tasks can be moved while there are at most 3,000 of them"
        case .cardWrongPassword: return "wrong password"
        case .kdfRefused(let why): return "no key is derived from these scrypt parameters: \(why)"
        case .cardKDFRefused(let why): return "the card's password cannot be used: \(why)"
        case .localState(let why):
            return "this machine's record of the vault (which detects a store rolled back) is unusable: \(why)"
        case .readOnly:
            return "the vault is read-only because the store lost or rolled back what this vault wrote (see the "
                + "warnings); nothing was saved. To go on from what the store holds, run 'onions accept-rollback'"
        case .manifestUnrecoverable:
            return "the store's manifest is missing or damaged, so what it holds cannot be accepted; restore the "
                + "store from a backup"
        case .unsupported(let why): return why
        case .needsNewerVersion(let what):
            return "this vault holds \(what), written by a newer version of onions: this one changes nothing "
                + "there; install the newer version"
        }
    }
}
