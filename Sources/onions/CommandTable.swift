/// Every command of `onions`, in the order `--help` lists them. Each is declared once, beside
/// what it runs; the parser, `--help`, the completions and the man page test read them from here.
enum CommandTable {
    static let commands: [CommandDeclaration] = [
        AccountCommands.signUp,
        OnionCommands.list,
        OnionCommands.show,
        OnionCommands.add,
        OnionCommands.edit,
        OnionCommands.remove,
        FolderCommands.move,
        OnionCommands.grep,
        LineCommands.copy,
        CardCommands.group,
        TaskCommands.group,
        AccountCommands.changePassword,
        AccountCommands.deleteAccount,
        AccountCommands.acceptRollback,
        ImportCommand.declaration,
        ExportCommand.declaration,
        GenerateCommand.declaration,
        OTPCommand.declaration,
        ConfigCommand.declaration,
        SyncCommand.declaration,
        VerifyCommand.declaration,
        AgentCommand.declaration,
        AgentCommand.lockDeclaration,
        ServerCommand.group,
        RNCryptorCommand.group,
        CompletionScript.group,
        BuildInfo.declaration,
    ]
}
