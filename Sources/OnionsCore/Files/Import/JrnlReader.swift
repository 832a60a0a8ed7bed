import Glibc
import OnionsCrypto

/// Reads a jrnl journal: plain text, or encrypted as jrnl 2 and later write it.
///
/// Encrypted forms: version 3 (`JRNLv3`, a 2-byte big-endian header length, a header holding
/// base64 JSON `{"salt": base64url}`, then a Fernet token) and version 2 (the whole file one
/// Fernet token, salt fixed by jrnl). The Fernet key is PBKDF2-HMAC-SHA256 of the password,
/// 100,000 rounds, 32 bytes: the first 16 sign (HMAC-SHA256), the last 16 encrypt (AES-128-CBC).
///
/// Entries start at a line `[date] ` (jrnl's `%F %r`, "2024-01-15 09:30:00 AM", or
/// "2024-01-15 09:30"); the title is the first line, or failing a line break the first
/// sentence, as jrnl splits it; the rest is the body; a title ending in `*` is starred.
/// Dates are local time, as jrnl writes them.
public enum JrnlReader {
    static let v2Salt: [UInt8] = [0xf2, 0xd5, 0x71, 0x0e, 0xc1, 0x8d, 0x2e, 0xde, 0xdc, 0x8e, 0x36, 0x74, 0x89, 0x04, 0xce, 0xf8]
    static let rounds = 100_000

    /// True when `file` is one of the encrypted forms (so a password must be asked for).
    public static func isEncrypted(_ file: SecretBytes) -> Bool {
        file.withUnsafeBytes { $0.starts(with: "JRNLv3".utf8) || $0.starts(with: "gAAAAA".utf8) }
    }

    /// The entries of the journal in `file`, each in `folder`. A plain journal needs no password.
    public static func read(_ file: SecretBytes, password: SecretBytes?, folder: String = "") throws(ImportError) -> [ImportedEntry] {
        guard isEncrypted(file) else { return try file.withUnsafeBytes { raw in Result { () throws(ImportError) in try entries(raw, folder: folder) } }.get() }
        guard let password else { throw .passwordNeeded }
        let text = try decrypt(file, password: password)
        defer { text.wipe() }
        return try text.withUnsafeBytes { raw in Result { () throws(ImportError) in try entries(raw, folder: folder) } }.get()
    }

    /// The plaintext of an encrypted journal.
    static func decrypt(_ file: SecretBytes, password: SecretBytes) throws(ImportError) -> SecretBytes {
        let (salt, token): ([UInt8], [UInt8]) = try file.withUnsafeBytes { raw in
            Result { () throws(ImportError) in
                guard raw.starts(with: "JRNLv3".utf8) else { return (v2Salt, Array(raw)) }
                guard raw.count > 8 else { throw ImportError.damaged("the header is cut short") }
                let length = Int(raw[6]) << 8 | Int(raw[7])
                guard raw.count >= 8 + length else { throw ImportError.damaged("the header is cut short") }
                let header = Array(raw[8..<8 + length])
                let json = Base64.decode(String(decoding: header, as: UTF8.self)) ?? header
                guard let parsed = try? JSONValue(parsing: json), let saltText = parsed["salt"]?.string,
                      let salt = base64URL(saltText) else { throw ImportError.damaged("the header has no salt") }
                return (salt, Array(raw[(8 + length)...]))
            }
        }.get()
        guard let bytes = base64URL(String(decoding: token.filter { $0 != 0x0A && $0 != 0x0D }, as: UTF8.self)),
              bytes.count >= 1 + 8 + 16 + 16 + 32, bytes[0] == 0x80, (bytes.count - 57) % 16 == 0 else {
            throw .damaged("the Fernet token is not well formed")
        }
        let key: SecretBytes
        do {
            key = try PBKDF2.derive(password: password, salt: salt, iterations: rounds, prf: .sha256, count: 32)
        } catch {
            throw .damaged("the key cannot be derived (\(error))")
        }
        defer { key.wipe() }
        let signing = key.copy(prefix: 16)
        defer { signing.wipe() }
        let encryption = key.withUnsafeBytes { SecretBytes(copying: UnsafeRawBufferPointer(rebasing: $0[16..<32])) }
        defer { encryption.wipe() }
        let mac = HMAC.sha256(key: signing, message: Array(bytes[0..<(bytes.count - 32)]))
        guard ConstantTime.equals(mac, Array(bytes[(bytes.count - 32)...])) else { throw .wrongPassword }
        do {
            return try AES.CBC.decrypt(Array(bytes[25..<(bytes.count - 32)]), key: encryption, iv: Array(bytes[9..<25]))
        } catch {
            throw .damaged("the journal does not decrypt")
        }
    }

    /// Base64url with or without padding.
    static func base64URL(_ text: String) -> [UInt8]? {
        var standard = String(text.map { $0 == "-" ? "+" : $0 == "_" ? "/" : $0 })
        while standard.utf8.count % 4 != 0 { standard += "=" }
        return Base64.decode(standard)
    }

    /// Splits journal text into entries.
    static func entries(_ text: UnsafeRawBufferPointer, folder: String) throws(ImportError) -> [ImportedEntry] {
        guard TextScan.scalars(text.bindMemory(to: UInt8.self)) != nil else { throw .damaged("the journal is not UTF-8 text") }
        var starts: [(date: Int64, header: Int, body: Int)] = []
        var i = 0
        while i < text.count {
            if text[i] == UInt8(ascii: "["), let (date, end) = dateHeader(text, at: i) {
                starts.append((date, i, end))
                i = end
                continue
            }
            while i < text.count, text[i] != 0x0A { i += 1 }
            i += 1
        }
        var entries: [ImportedEntry] = []
        for (n, start) in starts.enumerated() {
            let end = n + 1 < starts.count ? starts[n + 1].header : text.count
            entries.append(entry(UnsafeRawBufferPointer(rebasing: text[start.body..<end]), date: start.date, folder: folder))
        }
        // Oldest first, as jrnl sorts a journal it opens (stable for equal times).
        return entries.enumerated().sorted { ($0.element.created ?? 0, $0.offset) < ($1.element.created ?? 0, $1.offset) }
            .map(\.element)
    }

    /// The time of a `[date] ` header at `at` and where its text starts, or nil.
    static func dateHeader(_ text: UnsafeRawBufferPointer, at: Int) -> (Int64, Int)? {
        guard let close = text[at...].prefix(40).firstIndex(of: UInt8(ascii: "]")), close + 1 < text.count,
              text[close + 1] == 0x20 else { return nil }
        let blob = Array(text[(at + 1)..<close])
        func number(_ from: Int, _ count: Int) -> Int32? {
            guard from + count <= blob.count, blob[from..<from + count].allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
            return Int32(String(decoding: blob[from..<from + count], as: UTF8.self))
        }
        guard blob.count >= 16, let year = number(0, 4), blob[4] == 0x2D, let month = number(5, 2), blob[7] == 0x2D,
              let day = number(8, 2), blob[10] == 0x20, var hour = number(11, 2), blob[13] == 0x3A,
              let minute = number(14, 2) else { return nil }
        var second: Int32 = 0
        var rest = blob[16...]
        if rest.first == 0x3A {
            guard let s = number(17, 2) else { return nil }
            second = s
            rest = blob[19...]
        }
        switch String(decoding: rest, as: UTF8.self) {
        case "": break
        case " AM": if hour == 12 { hour = 0 }
        case " PM": if hour < 12 { hour += 12 }
        default: return nil
        }
        let seconds = ImportDates.seconds(year: year, month: month, day: day, hour: hour, minute: minute,
                                          second: second, utc: false)
        return (seconds, close + 2)
    }

    /// One entry from its text: title, body, star. A first line ending in `*` is starred and
    /// is the title without its stars and spaces, as jrnl takes it; otherwise `titleEnd` splits.
    static func entry(_ text: UnsafeRawBufferPointer, date: Int64, folder: String) -> ImportedEntry {
        let firstLineEnd = text.firstIndex(of: 0x0A) ?? text.count
        let starred = trimmed(UnsafeRawBufferPointer(rebasing: text[0..<firstLineEnd])).last == UInt8(ascii: "*")
        let split = starred ? min(firstLineEnd + 1, text.count) : titleEnd(text)
        var title = UnsafeRawBufferPointer(rebasing: text[0..<(starred ? firstLineEnd : split)])
        if starred {
            let isStarOrBlank = { (c: UInt8) in c == UInt8(ascii: "*") || c == 0x20 || c == 0x0A }
            var from = 0, to = title.count
            while from < to, isStarOrBlank(title[from]) { from += 1 }
            while to > from, isStarOrBlank(title[to - 1]) { to -= 1 }
            title = UnsafeRawBufferPointer(rebasing: title[from..<to])
        }
        title = trimmed(title)
        let body = trimmed(UnsafeRawBufferPointer(rebasing: text[split...]))
        let entry = ImportedEntry(folder: folder, title: SecretBytes(copying: title),
                                  notes: body.count > 0 ? SecretBytes(copying: body) : nil, created: date, changed: date)
        entry.pinned = starred
        return entry
    }

    /// Where jrnl's `split_title` ends the title: after the first line break, else after the
    /// first sentence end (a terminal, an optional closing quote and brackets, then blanks).
    static func titleEnd(_ text: UnsafeRawBufferPointer) -> Int {
        var start = 0
        while start < text.count, isBlank(text[start]) { start += 1 }
        if let newline = text[start...].firstIndex(of: 0x0A) { return newline + 1 }
        var i = 0
        while i < text.count {
            if let n = match(text, i, Self.spacedTerminals) {
                var j = i + n
                j += match(text, j, Self.closingQuotes) ?? 0
                while j < text.count, text[j] == UInt8(ascii: "]") || text[j] == UInt8(ascii: ")") { j += 1 }
                var k = j
                while k < text.count, isBlank(text[k]) { k += 1 }
                if k > j { return k }
            } else if let n = match(text, i, Self.cjkTerminals) {
                return i + n
            }
            i += 1
        }
        return text.count
    }

    static let spacedTerminals: [[UInt8]] = [".", "!", "?", "\u{2026}", "\u{203C}", "\u{203D}", "\u{2047}", "\u{2048}",
                                             "\u{2049}", "\u{22EF}", "\u{FE52}", "\u{FE57}"].map { Array($0.utf8) }
    static let closingQuotes: [[UInt8]] = ["'", "\u{2019}", "\"", "\u{201D}"].map { Array($0.utf8) }
    static let cjkTerminals: [[UInt8]] = ["\u{FF01}", "\u{FF0E}", "\u{FF1F}", "\u{FF61}", "\u{3002}"].map { Array($0.utf8) }

    private static func match(_ text: UnsafeRawBufferPointer, _ at: Int, _ options: [[UInt8]]) -> Int? {
        options.first { at + $0.count <= text.count && text[at..<at + $0.count].elementsEqual($0) }?.count
    }

    private static func isBlank(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || c == 0x0B || c == 0x0C }

    private static func trimmed(_ text: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        var from = 0, to = text.count
        while from < to, isBlank(text[from]) { from += 1 }
        while to > from, isBlank(text[to - 1]) { to -= 1 }
        return UnsafeRawBufferPointer(rebasing: text[from..<to])
    }
}
