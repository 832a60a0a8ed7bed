import Glibc
import OnionsCore
import OnionsCrypto

/// `onions signup|passwd|delete-account|accept-rollback`: the vault as a whole.
enum AccountCommands {
    static let weakOK = OptionDeclaration("--weak-ok", help: "use a new password zxcvbn calls weak without asking")

    static let signUp = CommandDeclaration(
        "signup", summary: "create a vault",
        details: "  the password needs 8 characters or more; one zxcvbn calls weak needs --weak-ok (or yes on the\n"
            + "  terminal); --kdf-cost N sets the cost of its key",
        options: [weakOK],
        action: .plain { arguments, invocation in try signUp(invocation.options, weakOK: arguments.flag("--weak-ok")) })

    static let changePassword = CommandDeclaration(
        "passwd", summary: "change the vault password",
        details: "  re-wraps the data key; records are not re-encrypted; the new password needs 8 characters or\n"
            + "  more, and --weak-ok (or yes on the terminal) when zxcvbn calls it weak",
        options: [OptionDeclaration("--rotate", help: "a new data key seals every record again, so the old password\n"
                      + "and an old copy of the header open nothing written afterwards"),
                  OptionDeclaration("--new-password-file", .file, "F",
                                    help: "the new password from a file (else asked twice on the terminal)"),
                  weakOK],
        action: .vault(VaultAction { arguments, session, context in
            try changePassword(session, arguments, context.options)
        }))

    static let deleteAccount = CommandDeclaration(
        "delete-account", summary: "delete the vault and everything in it",
        details: "  removes every record and the header",
        options: [OptionDeclaration("--yes", help: "do not ask for the username to confirm")],
        validate: { arguments, _ in
            guard arguments.flag("--yes") || isatty(0) != 0 || isatty(2) != 0 else {
                throw UsageError("delete-account needs --yes when not run from a terminal")
            }
        },
        action: .vault(VaultAction { arguments, session, _ in
            if !arguments.flag("--yes") {
                let answer = try readPasswordFromTerminal(
                    prompt: "Type the username to delete its vault and everything in it: ")
                defer { answer.wipe() }
                let typed = answer.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
                guard typed == session.username else { throw CommandFailure("not confirmed; nothing deleted") }
            }
            try session.deleteAccount()
            printError("the vault and every record in it are deleted")
            return 0
        }))

    /// Goes on from what the store holds after it lost or rolled back records (the warnings
    /// above); a vault that is not read-only has nothing to accept.
    static let acceptRollback = CommandDeclaration(
        "accept-rollback", summary: "go on from a store that lost or rolled back records",
        details: "  after a warning that this machine's store lost or rolled back records: go on from what\n"
            + "  it holds (the vault is read-only until then). A server that lost or forked saves needs\n"
            + "  nothing accepted: the next sync joins both histories and sends what the server lacks.",
        action: .vault(VaultAction(resultStands: true) { _, session, _ in
            guard session.isReadOnly else {
                printError("the store holds everything this vault wrote; nothing to accept")
                return 0
            }
            let accepted = try session.acceptStoreState()
            printError("accepted what the store holds (\(accepted.count) problem(s) above); the vault can be saved again")
            return 0
        }))

    static func signUp(_ options: GlobalOptions, weakOK: Bool) throws -> Int32 {
        let user = try VaultRun.username(options)
        _ = try options.openStore()  // a store that does not open is said before the password is asked
        let password = try options.readPassword(prompt: "New password: ")
        defer { password.wipe() }
        let typed = options.passwordFile == nil && !options.passwordStdin
        if typed {
            let again = try readPasswordFromTerminal(prompt: "Repeat the password: ")
            defer { again.wipe() }
            guard password.constantTimeEquals(again) else { throw CommandFailure("the passwords differ; nothing created") }
        }
        try NewPasswordCheck.accept(password, weakOK: weakOK, askOnTerminal: typed)
        let session = try LocalVaultService(options).signUp(username: user, password: password)
        defer { session.lock() }
        SyncCommand.printReport(session.lastSyncReport)
        VaultRun.finish(session)
        printError("created a vault for '\(user)'")
        return 0
    }

    static func changePassword(_ session: Session, _ arguments: Arguments, _ options: GlobalOptions) throws -> Int32 {
        let newFile = arguments.value("--new-password-file")
        let rotate = arguments.flag("--rotate")
        let newPassword: SecretBytes
        if let newFile {
            newPassword = try readPasswordFile(newFile)
        } else {
            newPassword = try readPasswordFromTerminal(prompt: "New password: ")
            let again = try readPasswordFromTerminal(prompt: "Repeat the new password: ")
            defer { again.wipe() }
            guard newPassword.constantTimeEquals(again) else {
                newPassword.wipe()
                throw CommandFailure("the passwords differ; the password is unchanged")
            }
        }
        defer { newPassword.wipe() }
        try NewPasswordCheck.accept(newPassword, weakOK: arguments.flag("--weak-ok"), askOnTerminal: newFile == nil)
        try session.changePassword(to: newPassword, kdf: options.kdfLogN.map { _ in options.kdf }, rotate: rotate)
        if rotate {
            printError("password changed; every record is sealed again under a new data key")
        } else {
            printError("password changed; records were not re-encrypted (the old password and an old copy of the "
                + "vault header still open them): use passwd --rotate for that")
        }
        return 0
    }
}
