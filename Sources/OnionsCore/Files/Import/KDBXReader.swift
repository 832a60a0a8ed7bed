import OnionsCrypto

/// Reads a KeePass KDBX 4 file (as KeePassXC writes it), or a KDBX 3.1 one (see `KDBX3File`),
/// with its password and/or key file.
///
/// `KDBXFile` opens the layers down to the inner XML, which libxml2's streaming reader parses
/// with network access off and no entity expansion or DTD loading. Every value marked
/// `Protected="True"` is base64 whose bytes are XORed, in document order, with the ChaCha20
/// stream keyed by the inner header (history entries take their share of the stream too).
/// Groups below the root become the folder path; Title, Password, UserName, URL and Notes
/// their fields; `otp` (an otpauth URI) or `TOTP Seed` the one-time code; other strings
/// become fields by their names; creation and modification times come along. Entries in the
/// recycle bin are left out.
public enum KDBXReader {
    /// The entries of `file`. At least one of `password` and `keyFile` (the key file's bytes) is
    /// needed; a header HMAC that does not match throws `.wrongPassword`.
    public static func read(_ file: [UInt8], password: SecretBytes?, keyFile: SecretBytes?) throws(ImportError) -> [ImportedEntry] {
        guard password != nil || keyFile != nil else { throw .passwordNeeded }
        var parts: [SecretBytes] = []
        defer { parts.forEach { $0.wipe() } }
        if let password { parts.append(Digest.secret(.sha256, password)) }
        if let keyFile { parts.append(try KDBXKeyFile.key(keyFile)) }
        let composite = Digest.secret(.sha256, parts.map { p in p.withUnsafeBytes { $0 } })
        defer { composite.wipe() }
        let opened = try KDBXFile(file, compositeKey: composite)
        defer { opened.xml.wipe() }
        var parser = KDBXXML(stream: opened.stream)
        do throws(ImportError) {
            try parser.parse(opened.xml)
        } catch {
            parser.wipe()
            throw error
        }
        return parser.entries.filter { entry in
            guard let bin = parser.recycleBin, parser.entryGroups[ObjectIdentifier(entry)]?.contains(bin) == true else { return true }
            entry.wipe()
            return false
        }
    }
}

/// The inner XML's walk: groups, entries and their strings.
struct KDBXXML {
    let stream: any KeyStream
    var entries: [ImportedEntry] = []
    /// The UUIDs of the groups each entry sits in (for the recycle bin).
    var entryGroups: [ObjectIdentifier: [String]] = [:]
    var recycleBin: String?

    private var path: [String] = []
    private var groups: [(uuid: String, name: String)] = []
    private var entry: ImportedEntry?
    private var historyDepth = 0
    private var key: String?
    private var recycleBinEnabled = true

    init(stream: any KeyStream) { self.stream = stream }

    func wipe() {
        entries.wipeAll()
        entry?.wipe()
    }

    mutating func parse(_ xml: SecretBytes) throws(ImportError) {
        let reader: XMLStreamReader
        do { reader = try XMLStreamReader(xml) } catch {
            if let problem = XMLStreamReader.libraryProblem { throw .toolFailed(problem) }
            throw .damaged("the inner XML")
        }
        var text: SecretBytes?
        var protected = false
        defer { text?.wipe() }
        while true {
            let more: Bool
            do { more = try reader.read() } catch { throw .damaged("the inner XML") }
            if !more { break }
            switch reader.node {
            case .element:
                let name = reader.localName
                protected = reader.attribute("Protected") == "True"
                let empty = reader.isEmptyElement
                try start(name)
                text?.wipe()
                text = SecretBytes(count: 0, capacity: 64)
                if empty { try end(name, text: text!, protected: protected) }
                else { path.append(name) }
            case .text:
                guard var current = text else { continue }
                guard reader.appendValue(to: &current, limit: 64 << 20) else { throw .damaged("a value is too large") }
                text = current
            case .endElement:
                guard let name = path.popLast() else { throw .damaged("the inner XML") }
                try end(name, text: text ?? SecretBytes(count: 0), protected: protected)
                text?.wipe()
                text = nil
                protected = false
            case .other:
                continue
            }
        }
        guard path.isEmpty else { throw .damaged("the inner XML ends early") }
    }

    private var parent: String? { path.last }

    private mutating func start(_ name: String) throws(ImportError) {
        switch name {
        case "Group":
            groups.append(("", ""))
        case "Entry" where historyDepth == 0:
            guard !groups.isEmpty else { throw .damaged("an entry outside any group") }
            entry = ImportedEntry(folder: groups.dropFirst().map(\.name).joined(separator: "/"), title: SecretBytes(count: 0))
            entryGroups[ObjectIdentifier(entry!)] = groups.map(\.uuid)
        case "History":
            historyDepth += 1
        case "String":
            key = nil
        default:
            break
        }
    }

    private mutating func end(_ name: String, text: SecretBytes, protected: Bool) throws(ImportError) {
        var value = text
        if protected {
            guard let decoded = text.withUnsafeBytes({ Base64.decodeSecret($0) }) else { throw .damaged("a protected value") }
            do { try stream.apply(decoded) } catch { throw .damaged("a protected value") }
            value = decoded
        }
        defer { if protected { value.wipe() } }
        let plain = { value.withUnsafeBytes { String(decoding: $0, as: UTF8.self) } }
        switch (name, parent) {
        case ("History", _):
            historyDepth -= 1
        case ("Group", _):
            groups.removeLast()
        case ("Name", "Group"):
            groups[groups.count - 1].name = plain()
        case ("UUID", "Group"):
            groups[groups.count - 1].uuid = plain()
        case ("RecycleBinUUID", "Meta"):
            recycleBin = plain()
        case ("RecycleBinEnabled", "Meta"):
            recycleBinEnabled = plain() == "True"
            if !recycleBinEnabled { recycleBin = nil }
        case ("Entry", _) where historyDepth == 0:
            if let entry {
                entry.orderFields()
                entries.append(entry)
            }
            entry = nil
        case ("Key", "String"):
            key = plain()
        case ("Value", "String") where historyDepth == 0:
            guard let entry, let key else { break }
            store(key, value.copy(), in: entry)
        case ("CreationTime", "Times") where historyDepth == 0 && path.dropLast().last == "Entry":
            entry?.created = Self.time(plain())
        case ("LastModificationTime", "Times") where historyDepth == 0 && path.dropLast().last == "Entry":
            entry?.changed = Self.time(plain())
        default:
            break
        }
        if !recycleBinEnabled { recycleBin = nil }
    }

    private func store(_ key: String, _ value: SecretBytes, in entry: ImportedEntry) {
        switch key {
        case "Title": entry.title.wipe(); entry.title = value
        case "Password": entry.fields.append(ImportedField(ImportedField.password, value))
        case "UserName": entry.fields.append(ImportedField(ImportedField.userName, value))
        case "URL": entry.fields.append(ImportedField(ImportedField.url, value))
        case "Notes": entry.notes?.wipe(); entry.notes = value.count > 0 ? value : nil
        case "otp": entry.otp?.wipe(); entry.otp = value.count > 0 ? value : nil
        case "TOTP Seed" where entry.otp == nil: entry.otp = value.count > 0 ? value : nil
        default: entry.fields.append(ImportedField(key, value))
        }
    }

    /// KDBX 4 times: base64 of a little-endian count of seconds since 0001-01-01 UTC; KDBX 3
    /// (and some writers) put ISO 8601 text.
    static func time(_ text: String) -> Int64? {
        if let iso = ImportDates.isoSeconds(text) { return iso }
        guard let bytes = Base64.decode(text), bytes.count == 8 else { return nil }
        let seconds = bytes.reversed().reduce(Int64(0)) { $0 << 8 | Int64($1) }
        return seconds - 62_135_596_800
    }
}

/// KeePass key files: XML (version 1.0 base64, 2.0 hex), 32 raw bytes, 64 hex characters, or
/// any other file, whose SHA-256 is the key.
enum KDBXKeyFile {
    static func key(_ file: SecretBytes) throws(ImportError) -> SecretBytes {
        try file.withUnsafeBytes { raw in
            Result { () throws(ImportError) -> SecretBytes in
                if let data = xmlData(raw) {
                    let hex = data.filter { !($0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D) }
                    let buffer = UnsafeRawBufferPointer(rebasing: data)
                    let decoded = raw.firstRange(of: Array("<Version>2.0".utf8)) != nil
                        ? hexKey(hex) : Base64.decodeSecret(buffer)
                    guard let decoded, decoded.count == 32 else { throw .damaged("the key file's key") }
                    return decoded
                }
                if raw.count == 32 { return SecretBytes(copying: raw) }
                if raw.count == 64, let decoded = hexKey(Array(raw)) { return decoded }
                return Digest.secret(.sha256, [raw])
            }
        }.get()
    }

    /// The text of the `<Data>` element of an XML key file, or nil when it is not one.
    private static func xmlData(_ raw: UnsafeRawBufferPointer) -> Slice<UnsafeRawBufferPointer>? {
        guard raw.firstRange(of: Array("<KeyFile>".utf8)) != nil, let open = raw.firstRange(of: Array("<Data".utf8)),
              let close = raw[open.upperBound...].firstIndex(of: UInt8(ascii: ">")),
              let end = raw[close...].firstRange(of: Array("</Data>".utf8)) else { return nil }
        return raw[(close + 1)..<end.lowerBound]
    }

    private static func hexKey(_ hex: [UInt8]) -> SecretBytes? {
        guard hex.count == 64 else { return nil }
        let out = SecretBytes(count: 32)
        var ok = true
        out.withUnsafeMutableBytes { o in
            for i in 0..<32 {
                guard let high = Character(Unicode.Scalar(hex[2 * i])).hexDigitValue,
                      let low = Character(Unicode.Scalar(hex[2 * i + 1])).hexDigitValue else { ok = false; return }
                o[i] = UInt8(high << 4 | low)
            }
        }
        if !ok { out.wipe() }
        return ok ? out : nil
    }
}
