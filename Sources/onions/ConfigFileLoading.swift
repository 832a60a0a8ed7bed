import OnionsCore

extension ConfigFile {
    /// Reads the file at the default path (a missing file is an empty configuration).
    static func load(environment: [String: String]) -> ConfigFile {
        let path = defaultPath(environment: environment)
        let contents: Contents
        do {
            contents = .bytes(try PlainFile.read(path, limit: maximumBytes))
        } catch {
            contents = error.missing ? .missing : .unreadable(reason: error.reason)
        }
        return ConfigFile(path: path, contents: contents, environment: environment)
    }
}

extension GlobalOptions {
    /// These options with every setting the command line left out taken from `config`.
    func filled(from config: ConfigFile) -> GlobalOptions {
        var options = self
        options.storePath = storePath ?? config.store?.value
        options.remote = remote ?? config.remote?.value
        options.lockAfter = lockAfter ?? config.lockAfter?.value
        options.clipboardSeconds = clipboardSeconds ?? config.clipboardSeconds?.value
        options.mouse = mouse ?? config.mouse?.value
        options.kdfLogN = kdfLogN ?? config.kdfCost?.value
        return options
    }
}
