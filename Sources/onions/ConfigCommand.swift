import OnionsCore
import OnionsCrypto
import OnionsStore

/// `onions config`: the effective settings and where each one came from.
///
/// One line per setting, `name<spaces>value<spaces>(source)`, where the source is `default`,
/// `config file line N`, `command line` or `environment NAME`; the first line names the
/// config file and whether it exists. Reads no vault and asks for no password.
enum ConfigCommand {
    static let declaration = CommandDeclaration(
        "config", summary: "the effective settings and where each came from",
        details: """
          Sources: default, config file line N, command line, or environment VARIABLE.
          --json: {"config_file": PATH, "config_file_read": true|false,
                   "settings": {"store": {"value": ..., "source": ...}, ...}}

        config file: $XDG_CONFIG_HOME/onions/config (default ~/.config/onions/config),
        lines of 'key = value', '#' starts a comment. Keys:
          store              the SQLite store (a path; ~/ is the home folder)
          remote             a PostgreSQL URL or 'key=value' connection settings
          lock_after         seconds without a key before the interface locks (default 300)
          clipboard_seconds  seconds before a copied info is cleared from the clipboard (default 45)
          kdf_cost           log2 of scrypt's N for new keys, 10 to 22 (default 17)
          mouse              false: the interface asks for no mouse reports (default true)
        The command line wins over the file.
        """,
        options: [OnionCommands.json],
        action: .plain { arguments, invocation in
            try run(json: arguments.flag("--json"), commandLine: invocation.commandLine, config: invocation.config,
                    environment: invocation.environment)
        })

    /// One row of the report.
    struct Row: Equatable {
        let name: String
        let value: String
        let source: String
    }

    static func run(json: Bool, commandLine: GlobalOptions, config: ConfigFile,
                    environment: [String: String]) throws -> Int32 {
        if json {
            try writeJSON(rows(commandLine: commandLine, config: config, environment: environment), config: config)
            return config.problems.isEmpty ? 0 : 1
        }
        writeStdout("config file        \(config.path) (\(config.exists ? "read" : "not present"))\n")
        for row in rows(commandLine: commandLine, config: config, environment: environment) {
            let padded = row.name.padding(to: 18)
            writeStdout("\(padded) \(row.value)  (\(row.source))\n")
        }
        return config.problems.isEmpty ? 0 : 1
    }

    /// `--json`: {"config_file": PATH, "config_file_read": BOOL, "settings": {NAME: {"value": V,
    /// "source": S}}}; numbers are numbers, true and false are JSON's, an unset remote or user
    /// is null.
    static func writeJSON(_ rows: [Row], config: ConfigFile) throws {
        try JSONOutput.write { out in
            try out.raw("{")
            try out.key("config_file")
            try out.string(config.path)
            try out.raw(",\"config_file_read\":\(config.exists),\"settings\":{")
            for (i, row) in rows.enumerated() {
                try out.raw(i == 0 ? "" : ",")
                try out.key(row.name)
                try out.raw("{\"value\":")
                if let number = Int(row.value) {
                    try out.raw("\(number)")
                } else if row.name == "mouse", let flag = Bool(row.value) {
                    try out.raw("\(flag)")
                } else {
                    try out.string(row.source == "default" && row.value == "none" ? nil : row.value)
                }
                try out.raw(",")
                try out.key("source")
                try out.string(row.source)
                try out.raw("}")
            }
            try out.raw("}}")
        }
    }

    /// The effective value and source of every setting.
    static func rows(commandLine: GlobalOptions, config: ConfigFile, environment: [String: String]) -> [Row] {
        func fromFile<T>(_ entry: ConfigFile.Entry<T>?) -> (T, String)? {
            entry.map { ($0.value, "config file line \($0.line)") }
        }
        var rows: [Row] = []

        let store: (String, String)
        if let path = commandLine.storePath {
            store = (path, "command line")
        } else if let file = fromFile(config.store) {
            store = file
        } else if let xdg = environment["XDG_DATA_HOME"], xdg.hasPrefix("/") {
            store = (SQLiteStore.defaultPath(environment: environment), "environment XDG_DATA_HOME")
        } else {
            store = (SQLiteStore.defaultPath(environment: environment), "default")
        }
        rows.append(Row(name: "store", value: store.0, source: store.1))

        let remote: (String, String) = commandLine.remote.map { ($0, "command line") }
            ?? fromFile(config.remote) ?? ("none", "default")
        rows.append(Row(name: "remote", value: String.withoutPassword(remote.0), source: remote.1))

        let user: (String, String) = commandLine.user.map { ($0, "command line") }
            ?? environment["ONIONS_USER"].map { ($0, "environment ONIONS_USER") } ?? ("none", "default")
        rows.append(Row(name: "user", value: user.0, source: user.1))

        let lock: (Int, String) = commandLine.lockAfter.map { ($0, "command line") }
            ?? fromFile(config.lockAfter) ?? (ConfigFile.defaultLockAfter, "default")
        rows.append(Row(name: "lock_after", value: "\(lock.0)", source: lock.1))

        let clipboard: (Int, String) = commandLine.clipboardSeconds.map { ($0, "command line") }
            ?? fromFile(config.clipboardSeconds) ?? (ConfigFile.defaultClipboardSeconds, "default")
        rows.append(Row(name: "clipboard_seconds", value: "\(clipboard.0)", source: clipboard.1))

        let cost: (UInt8, String) = commandLine.kdfLogN.map { ($0, "command line") }
            ?? fromFile(config.kdfCost) ?? (ScryptParameters.default.logN, "default")
        rows.append(Row(name: "kdf_cost", value: "\(cost.0)", source: cost.1))

        let mouse: (Bool, String) = commandLine.mouse.map { ($0, "command line") }
            ?? fromFile(config.mouse) ?? (true, "default")
        rows.append(Row(name: "mouse", value: "\(mouse.0)", source: mouse.1))
        return rows
    }
}

extension String {
    /// The string followed by spaces up to `width` characters (never cut).
    func padding(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }

    /// A connection setting with any password in it replaced by "***" (the user info of a URL,
    /// and every `password=` value of the key=value form or a URL query), so that printing the
    /// settings shows no secret.
    static func withoutPassword(_ setting: String) -> String {
        var text = setting
        if let scheme = text.firstRange(of: "://"), let at = text[scheme.upperBound...].firstIndex(of: "@"),
           let colon = text[scheme.upperBound..<at].firstIndex(of: ":") {
            text.replaceSubrange(text.index(after: colon)..<at, with: "***")
        }
        var from = text.startIndex
        while let key = text[from...].firstRange(of: "password=") {
            let end = text[key.upperBound...].firstIndex { $0 == " " || $0 == "&" } ?? text.endIndex
            text.replaceSubrange(key.upperBound..<end, with: "***")
            from = text.index(key.upperBound, offsetBy: 3)
        }
        return text
    }
}
