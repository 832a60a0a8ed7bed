import Dispatch
import Glibc
import OnionsCrypto
import Synchronization

/// Reads a pass (or gopass) store: every `.gpg` file under the store's folder, decrypted by
/// `gpg --decrypt --batch` with the file as its input and its output through a pipe.
///
/// The path gives the folder and title (`web/github.com/alice.gpg` is "alice" in
/// "web/github.com"); the first line is the password; later `key: value` lines are fields
/// (`login`, `user`, `username` and `user name` become the user name, `url` the URL); an
/// `otpauth://` line is the one-time code; other lines are the notes. The file's change time
/// is the entry's. Hidden files and folders (`.git`, `.gpg-id`) are skipped.
public enum PassStoreReader {
    /// The store folder pass uses: `$PASSWORD_STORE_DIR`, else `~/.password-store`.
    public static func defaultDirectory() -> String? {
        if let dir = getenv("PASSWORD_STORE_DIR"), dir[0] != 0 { return String(cString: dir) }
        guard let home = getenv("HOME") else { return nil }
        return String(cString: home) + "/.password-store"
    }

    /// How many gpg processes run at once (each waits mostly on its start and on gpg-agent).
    static let parallelDecryptions = 4

    /// Every entry of the store at `directory`, sorted by path. Throws for the first file (by
    /// path) that gpg cannot decrypt, naming it and gpg's exit status, having wiped all it
    /// read. `progress` is told, from the decrypting threads, how many files are done of all.
    public static func read(directory: String, gpg: String = "gpg",
                            progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) throws(ImportError) -> [ImportedEntry] {
        let paths = try files(in: directory)
        let state = Mutex(Decryptions())
        DispatchQueue.concurrentPerform(iterations: min(parallelDecryptions, max(1, paths.count))) { _ in
            while let i = state.withLock({ $0.take(paths.count) }) {
                do throws(ImportError) {
                    let file = try decrypt(paths[i], in: directory, gpg: gpg)
                    let done = state.withLock { s -> Int in
                        s.files[i] = file
                        return s.files.count
                    }
                    progress(done, paths.count)
                } catch {
                    state.withLock { $0.failures[i] = error }
                }
            }
        }
        let (files, failure) = state.withLock { s in (s.files, s.failures.min { $0.key < $1.key }?.value) }
        if let failure {
            files.values.forEach { $0.plain.wipe() }
            throw failure
        }
        return paths.indices.map { i in
            let file = files[i]!
            defer { file.plain.wipe() }
            return entry(paths[i], file)
        }
    }

    /// The decryptions under way: the next file to take, what came out, what failed.
    private struct Decryptions: ~Copyable {
        var next = 0
        var files: [Int: (plain: SecretBytes, changed: Int64?)] = [:]
        var failures: [Int: ImportError] = [:]

        /// The next file's index, or nil when all are taken or one has failed.
        mutating func take(_ count: Int) -> Int? {
            guard failures.isEmpty, next < count else { return nil }
            defer { next += 1 }
            return next
        }
    }

    /// The `.gpg` files under `directory`, relative to it, sorted.
    static func files(in directory: String) throws(ImportError) -> [String] {
        var found: [String] = []
        var pending = [""]
        while let relative = pending.popLast() {
            let path = relative.isEmpty ? directory : directory + "/" + relative
            guard let dir = opendir(path) else {
                throw .unreadable("\(path): \(String(cString: strerror(errno)))")
            }
            defer { closedir(dir) }
            while let item = readdir(dir) {
                let name = withUnsafeBytes(of: item.pointee.d_name) { raw in
                    String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
                }
                guard !name.hasPrefix(".") else { continue }
                let child = relative.isEmpty ? name : relative + "/" + name
                var info = stat()
                guard stat(directory + "/" + child, &info) == 0 else { continue }
                if (info.st_mode & S_IFMT) == S_IFDIR {
                    pending.append(child)
                } else if (info.st_mode & S_IFMT) == S_IFREG, name.hasSuffix(".gpg"), name.count > 4 {
                    found.append(child)
                }
            }
        }
        return found.sorted()
    }

    /// The plaintext of one file, from gpg, and the file's change time.
    private static func decrypt(_ relative: String, in directory: String, gpg: String) throws(ImportError) -> (plain: SecretBytes, changed: Int64?) {
        let fd = open(directory + "/" + relative, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .unreadable("\(relative): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var info = stat()
        let changed: Int64? = fstat(fd, &info) == 0 ? Int64(info.st_mtim.tv_sec) : nil
        let (plain, status) = try ChildProcess.run([gpg, "--decrypt", "--batch", "--quiet", "--no-tty"], inputFD: fd)
        // A file cut short after its key packet decrypts to nothing with status 0.
        guard status == 0, plain.count > 0 else {
            plain.wipe()
            throw .toolFailed("gpg could not decrypt \(relative) (exit status \(status)): its key is missing, "
                              + "or the file is damaged")
        }
        return (plain, changed)
    }

    /// The entry of one decrypted file: folder and title from its path.
    private static func entry(_ relative: String, _ file: (plain: SecretBytes, changed: Int64?)) -> ImportedEntry {
        let name = String(relative.dropLast(4))
        let slash = name.lastIndex(of: "/")
        let folder = slash.map { String(name[..<$0]) } ?? ""
        let title = slash.map { String(name[name.index(after: $0)...]) } ?? name
        let entry = ImportedEntry(folder: folder, title: SecretBytes(copying: Array(title.utf8)), changed: file.changed)
        file.plain.withUnsafeBytes { parse($0, into: entry) }
        return entry
    }

    /// Splits a decrypted pass file into the entry's password, fields, code and notes.
    static func parse(_ text: UnsafeRawBufferPointer, into entry: ImportedEntry) {
        var lines = LineSplitter(text)
        if let first = lines.next() {
            entry.fields.append(ImportedField(ImportedField.password, SecretBytes(copying: first)))
        }
        let notes = SecretBytes(count: 0, capacity: max(1, text.count))
        while let line = lines.next() {
            if line.starts(with: "otpauth://".utf8), entry.otp == nil {
                entry.otp = SecretBytes(copying: line)
            } else if let (name, value) = KeyValueLine.split(line) {
                entry.fields.append(ImportedField(name, SecretBytes(copying: value)))
            } else {
                if notes.count > 0 { notes.append(byte: 0x0A) }
                notes.append(line)
            }
        }
        // Blank lines at the end of a pass file are not part of its notes.
        notes.withUnsafeBytes { raw in
            var end = raw.count
            while end > 0, raw[end - 1] == 0x0A || raw[end - 1] == 0x20 { end -= 1 }
            notes.truncate(to: end)
        }
        entry.notes = notes.count > 0 ? notes : nil
        if entry.notes == nil { notes.wipe() }
        entry.orderFields()
    }
}

/// Lines of UTF-8 text without their line breaks (LF or CR LF); no copies.
struct LineSplitter {
    private let text: UnsafeRawBufferPointer
    private var start = 0

    init(_ text: UnsafeRawBufferPointer) { self.text = text }

    mutating func next() -> UnsafeRawBufferPointer? {
        guard start < text.count else { return nil }
        var end = start
        while end < text.count, text[end] != 0x0A { end += 1 }
        var lineEnd = end
        if lineEnd > start, text[lineEnd - 1] == 0x0D { lineEnd -= 1 }
        let line = UnsafeRawBufferPointer(rebasing: text[start..<lineEnd])
        start = end + 1
        return line
    }
}

/// `key: value` lines as pass, gopass and onions' own infos write them.
enum KeyValueLine {
    /// The names the importers file as the user name or the URL.
    static let aliases = ["login": ImportedField.userName, "user": ImportedField.userName,
                          "username": ImportedField.userName, "user name": ImportedField.userName,
                          "url": ImportedField.url, "website": ImportedField.url]

    /// The field name (lower-cased, aliases resolved) and the value of a line `key: value`,
    /// where the key is 1 to 32 letters, digits, spaces, `_` or `-`, starting with a letter;
    /// nil for any other line.
    static func split(_ line: UnsafeRawBufferPointer) -> (String, UnsafeRawBufferPointer)? {
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > 0, colon <= 32,
              colon + 1 < line.count, line[colon + 1] == 0x20 else { return nil }
        let key = line[0..<colon]
        guard isLetter(key[0]), key.allSatisfy({ isLetter($0) || isDigit($0) || $0 == 0x20 || $0 == 0x5F || $0 == 0x2D })
        else { return nil }
        let name = String(decoding: key.map { isUpper($0) ? $0 + 32 : $0 }, as: UTF8.self)
        var valueStart = colon + 2
        while valueStart < line.count, line[valueStart] == 0x20 { valueStart += 1 }
        return (aliases[name] ?? name, UnsafeRawBufferPointer(rebasing: line[valueStart...]))
    }

    private static func isUpper(_ c: UInt8) -> Bool { (0x41...0x5A).contains(c) }
    private static func isLetter(_ c: UInt8) -> Bool { isUpper(c) || (0x61...0x7A).contains(c) }
    private static func isDigit(_ c: UInt8) -> Bool { (0x30...0x39).contains(c) }
}
