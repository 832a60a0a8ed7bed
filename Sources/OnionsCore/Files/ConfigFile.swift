
/// The settings file `$XDG_CONFIG_HOME/onions/config` (default `~/.config/onions/config`).
///
/// Lines of `key = value`; blank lines and lines starting with `#` are ignored, and a `#`
/// after a blank ends the value (`lock_after = 600  # ten minutes`). A value may be put in
/// double quotes to keep a `#` or outer blanks. Keys: `store`, `remote`, `lock_after`,
/// `clipboard_seconds`, `kdf_cost`, `mouse`. Reading never fails: an unknown key, a bad value or an
/// unreadable file becomes a `problems` line naming the file (and line), and that key keeps its
/// default. A key given twice takes the later line (the earlier one is reported). The caller
/// reads the file; this type only parses and checks what it holds.
public struct ConfigFile: Sendable {
    /// A value and the line it was read from (1-based).
    public struct Entry<Value: Sendable>: Sendable {
        public let value: Value
        public let line: Int
    }

    public static let keys = ["store", "remote", "lock_after", "clipboard_seconds", "kdf_cost", "mouse"]
    /// The largest file read; a longer one is reported and ignored.
    public static let maximumBytes = Limits.maximumConfigFileBytes

    /// The file's path (whether or not it exists).
    public let path: String
    /// False when there is no file at `path` (not a problem: every key keeps its default).
    public private(set) var exists = false
    public private(set) var store: Entry<String>?
    public private(set) var remote: Entry<String>?
    public private(set) var lockAfter: Entry<Int>?
    public private(set) var clipboardSeconds: Entry<Int>?
    public private(set) var kdfCost: Entry<UInt8>?
    /// Whether the interface asks the terminal for mouse reports (`true` when not set).
    public private(set) var mouse: Entry<Bool>?
    /// One line per mistake in the file, each naming the file and line ("…/config line 3: …").
    public private(set) var problems: [String] = []

    /// `$XDG_CONFIG_HOME/onions/config` when XDG_CONFIG_HOME is an absolute path, else
    /// `$HOME/.config/onions/config`.
    public static func defaultPath(environment: [String: String]) -> String {
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") { return trimmedSlashes(xdg) + "/onions/config" }
        return trimmedSlashes(environment["HOME"] ?? "/") + "/.config/onions/config"
    }

    /// What reading the file gave; the caller reads it (up to `maximumBytes + 1` bytes is enough).
    public enum Contents: Sendable {
        /// There is no file: every key keeps its default, and that is no problem.
        case missing
        /// The file exists but could not be read, for `reason` (the system's words).
        case unreadable(reason: String)
        case bytes([UInt8])
    }

    /// The settings in `contents`, read from `path`; `environment` supplies HOME for a `~/`
    /// in `store`. Never fails: every mistake becomes a line of `problems`.
    public init(path: String, contents: Contents, environment: [String: String]) {
        self.path = path
        switch contents {
        case .missing:
            return
        case .unreadable(let reason):
            exists = true
            problems.append("\(path): cannot be read (\(reason)); using the defaults")
        case .bytes(let bytes) where bytes.count > Self.maximumBytes:
            exists = true
            problems.append("\(path): larger than the limit of \(Self.maximumBytes / 1024) KiB; ignored, using the defaults")
        case .bytes(let bytes):
            parse(bytes, environment: environment)
        }
    }

    /// Reads the lines, split at LF bytes (a String would keep CR LF together as one
    /// character), each without a CR before its LF.
    private mutating func parse(_ bytes: [UInt8], environment: [String: String]) {
        exists = true
        var lineNumber = 0
        for rawLine in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = String(decoding: rawLine.last == UInt8(ascii: "\r") ? rawLine.dropLast() : rawLine, as: UTF8.self)
            let trimmed = Self.trimmed(Substring(line))
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            guard let eq = trimmed.firstIndex(of: "=") else {
                problem(lineNumber, "expected 'key = value'")
                continue
            }
            let key = Self.trimmed(trimmed[..<eq])
            guard let value = Self.value(trimmed[trimmed.index(after: eq)...]) else {
                problem(lineNumber, "the value of '\(key)' has an opening quote without a closing one; \(key) keeps its default")
                continue
            }
            set(String(key), value, line: lineNumber, environment: environment)
        }
    }

    private mutating func set(_ key: String, _ value: String, line: Int, environment: [String: String]) {
        func bad(_ what: String) { problem(line, "\(key) \(what); \(key) keeps its default") }
        func replacing(_ earlier: Int?) {
            if let earlier { problem(line, "\(key) is set again (line \(earlier) is ignored)") }
        }
        switch key {
        case "store":
            guard !value.isEmpty else { return bad("needs a path") }
            var path = value
            if path == "~" || path.hasPrefix("~/") {
                path = Self.trimmedSlashes(environment["HOME"] ?? "/") + path.dropFirst()
            }
            guard path.hasPrefix("/") else { return bad("must be an absolute path (or start with ~/), not '\(value)'") }
            replacing(store?.line)
            store = Entry(value: path, line: line)
        case "remote":
            guard value.hasPrefix("postgres://") || value.hasPrefix("postgresql://") || value.contains("=") else {
                return bad("must be a PostgreSQL URL (postgresql://…) or 'key=value' connection settings")
            }
            replacing(remote?.line)
            remote = Entry(value: value, line: line)
        case "lock_after":
            guard let n = Int(value), (1...Self.maximumSeconds).contains(n) else {
                return bad("takes a whole number of seconds from 1 to \(Self.maximumSeconds), not '\(value)'")
            }
            replacing(lockAfter?.line)
            lockAfter = Entry(value: n, line: line)
        case "clipboard_seconds":
            guard let n = Int(value), (1...Self.maximumSeconds).contains(n) else {
                return bad("takes a whole number of seconds from 1 to \(Self.maximumSeconds), not '\(value)'")
            }
            replacing(clipboardSeconds?.line)
            clipboardSeconds = Entry(value: n, line: line)
        case "kdf_cost":
            let range = VaultParameters.minimumLogN...VaultParameters.maximumLogN
            guard let n = UInt8(value), range.contains(n) else {
                return bad("takes log2 of scrypt's N, from \(range.lowerBound) to \(range.upperBound), not '\(value)'")
            }
            replacing(kdfCost?.line)
            kdfCost = Entry(value: n, line: line)
        case "mouse":
            guard value == "true" || value == "false" else { return bad("takes true or false, not '\(value)'") }
            replacing(mouse?.line)
            mouse = Entry(value: value == "true", line: line)
        default:
            problem(line, "unknown key '\(key)' (known: \(Self.keys.joined(separator: ", "))); ignored")
        }
    }

    /// The longest time `lock_after` and `clipboard_seconds` take: one day.
    public static let maximumSeconds = 86_400
    /// `lock_after` when nothing sets it: five minutes.
    public static let defaultLockAfter = 300
    /// `clipboard_seconds` when nothing sets it.
    public static let defaultClipboardSeconds = 45

    private mutating func problem(_ line: Int, _ text: String) {
        problems.append("\(path) line \(line): \(text)")
    }

    /// The value after `=`: unquoted (a blank then `#` starts a comment) or in double quotes.
    private static func value(_ raw: Substring) -> String? {
        let text = trimmed(raw)
        if text.hasPrefix("\"") {
            let body = text.dropFirst()
            guard let close = body.firstIndex(of: "\"") else { return nil }
            let after = trimmed(body[body.index(after: close)...])
            guard after.isEmpty || after.hasPrefix("#") else { return nil }
            return String(body[..<close])
        }
        var end = text.endIndex
        var previous: Character = " "
        for i in text.indices {
            if text[i] == "#", previous == " " || previous == "\t" {
                end = i
                break
            }
            previous = text[i]
        }
        return String(trimmed(text[..<end]))
    }

    private static func trimmed(_ text: Substring) -> Substring {
        var t = text
        while let c = t.first, c == " " || c == "\t" { t = t.dropFirst() }
        while let c = t.last, c == " " || c == "\t" { t = t.dropLast() }
        return t
    }

    private static func trimmedSlashes(_ path: String) -> String {
        var p = path
        while p.count > 1, p.hasSuffix("/") { p.removeLast() }
        return p
    }
}
