import Glibc
import OnionsCore
import OnionsCrypto

/// `onions import --from pass|jrnl|keepassxc|keepassxc-csv|bitwarden|plain`: another program's
/// file read by its reader in OnionsCore, then saved as onions in one go.
///
/// The peer's file is read (and its password checked) before the vault is opened, so a wrong
/// password or a damaged file fails with nothing written. The entries are then fitted (names
/// over 30 characters are shortened, the full path kept as the folder; over-long infos cut) and
/// saved by `Session.addOnions` in a single store transaction. Pins, cards and tasks (from a
/// plain export) follow, one save each; a failure among those says what was saved.
enum PeerImport {
    /// The largest number of onions saved in one transaction (see `Session.addOnions`).
    static let batchSize = 5_000

    /// What the command was asked to read.
    struct Request {
        let source: String
        let path: String
        let oldPasswordFile: String?
        let keyFile: String?
        let cardPasswordFile: String?
    }

    static func run(_ request: Request, _ options: GlobalOptions) throws -> Int32 {
        let contents = try read(request)
        defer { contents.wipe() }
        let cardPassword = try request.cardPasswordFile.map(readPasswordFile)
        defer { cardPassword?.wipe() }
        return try VaultRun.withSession(options) { session in
            let status = VaultRun.reportIssues(session)
            let result = try PeerImportSave.save(contents, into: session, cardPassword: cardPassword,
                                                 from: describe(request))
            session.pushPending()  // what the import saved goes to the server (saves never wait on it)
            return result == 0 ? status : result
        }
    }

    /// "the pass store DIR", "the journal FILE", … for the summary.
    static func describe(_ request: Request) -> String {
        switch request.source {
        case "pass": return "the password store \(request.path)"
        case "jrnl": return "the journal \(request.path)"
        case "keepassxc", "keepassxc-csv": return "the KeePassXC file \(request.path)"
        case "bitwarden": return "the Bitwarden export \(request.path)"
        default: return "the plain export \(request.path)"
        }
    }

    // MARK: Reading

    /// The peer's entries (and a plain export's cards and tasks), or a failure ending in
    /// "nothing imported".
    static func read(_ request: Request) throws -> ImportContents {
        do {
            switch request.source {
            case "pass": return try readPass(request.path)
            case "plain":
                let file = try SecretFile.read(request.path)
                defer { file.wipe() }
                let plain = try PlainExportReader.read(file)
                return ImportContents(onions: plain.onions, plain: plain)
            default:
                let file = try SecretFile.read(request.path)
                defer { file.wipe() }
                return ImportContents(onions: try readFile(file, request), datesInInfo: request.source == "jrnl")
            }
        } catch let error as ImportError {
            throw CommandFailure("\(request.path): \(error); nothing imported")
        }
    }

    private static func readPass(_ directory: String) throws -> ImportContents {
        let progress = ImportProgress(verb: "decrypted")
        defer { progress.finish() }
        return ImportContents(onions: try PassStoreReader.read(directory: directory, progress: { done, total in
            progress.update(done, of: total)
        }))
    }

    /// The entries of a jrnl, KeePassXC or Bitwarden file, asking for its password if it has one.
    private static func readFile(_ file: SecretBytes, _ request: Request) throws -> [ImportedEntry] {
        switch request.source {
        case "jrnl":
            guard JrnlReader.isEncrypted(file) else { return try JrnlReader.read(file, password: nil) }
            let password = try peerPassword(request, prompt: "Password of the journal: ")
            defer { password.wipe() }
            return try JrnlReader.read(file, password: password)
        case "bitwarden":
            if let entries = try unprotectedBitwarden(file) { return entries }
            let password = try peerPassword(request, prompt: "Password of the Bitwarden export: ")
            defer { password.wipe() }
            return try BitwardenReader.read(file, password: password)
        default:
            if request.source == "keepassxc-csv" || !isKDBX(file) { return try KeePassXCCSVReader.read(file) }
            var keyFile: SecretBytes?
            if let keyPath = request.keyFile { keyFile = try SecretFile.read(keyPath, limit: 1 << 20) }
            defer { keyFile?.wipe() }
            let password = try peerPassword(request, prompt: "Password of the KeePassXC database: ")
            defer { password.wipe() }
            let bytes = file.withUnsafeBytes { Array($0) }  // the outer file is ciphertext
            return try KDBXReader.read(bytes, password: password.count == 0 && keyFile != nil ? nil : password,
                                       keyFile: keyFile)
        }
    }

    /// The entries of a Bitwarden export, or nil when it is password-protected.
    private static func unprotectedBitwarden(_ file: SecretBytes) throws -> [ImportedEntry]? {
        do {
            return try BitwardenReader.read(file, password: nil)
        } catch {
            guard error == .passwordNeeded else { throw error }
            return nil
        }
    }

    /// The peer's own password, from `--old-password-file` or the terminal.
    private static func peerPassword(_ request: Request, prompt: String) throws -> SecretBytes {
        do {
            return try request.oldPasswordFile.map(readPasswordFile) ?? readPasswordFromTerminal(prompt: prompt)
        } catch let failure as PasswordInputError {
            throw CommandFailure("\(failure.description); nothing imported")
        }
    }

    /// Whether `file` starts with the KDBX signature (03 D9 A2 9A 67 FB 4B B5).
    static func isKDBX(_ file: SecretBytes) -> Bool {
        let signature: [UInt8] = [0x03, 0xD9, 0xA2, 0x9A, 0x67, 0xFB, 0x4B, 0xB5]
        return file.withUnsafeBytes { $0.count >= 8 && Array($0.prefix(8)) == signature }
    }
}

/// What a peer's file held: its entries, and for a plain export its cards and tasks too.
struct ImportContents {
    var onions: [ImportedEntry]
    var plain: PlainExportReader.Contents? = nil
    /// Whether each entry's time goes into its info as a `date:` line (a journal's entries).
    var datesInInfo = false

    func wipe() {
        if let plain { plain.wipe() } else { onions.forEach { $0.wipe() } }
    }
}
