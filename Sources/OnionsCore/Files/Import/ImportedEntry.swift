import OnionsCrypto

/// One item read from another program's file, before it becomes an onion.
///
/// Everything a peer calls secret (title, field values, notes, one-time-code seed) is in
/// secret memory; the folder path stays a String because the interface lays it out (it holds
/// group or directory names, never a field). `wipe()` clears the secrets; an importer that
/// fails wipes what it read before throwing, so no caller ever gets half a file.
public final class ImportedEntry {
    /// The folder path, components joined by `/` ("web/github.com"); empty at the top.
    public var folder: String
    public var title: SecretBytes
    /// Named fields in order: the password first, then the user name, the URL, then others.
    public var fields: [ImportedField]
    /// Free text (pass's extra lines, KeePass notes, a journal entry's body).
    public var notes: SecretBytes?
    /// A one-time-code description: an `otpauth://` URI or a bare base32 seed.
    public var otp: SecretBytes?
    /// Seconds since 1970, when the peer records them (milliseconds when `milliseconds`).
    public var created: Int64?
    public var changed: Int64?
    /// True when `created` and `changed` are milliseconds (onions' own plain export).
    public var milliseconds = false
    /// Marked by the peer (a starred jrnl entry, a Bitwarden favourite).
    public var pinned = false

    public init(folder: String, title: SecretBytes, fields: [ImportedField] = [], notes: SecretBytes? = nil,
                otp: SecretBytes? = nil, created: Int64? = nil, changed: Int64? = nil) {
        self.folder = folder
        self.title = title
        self.fields = fields
        self.notes = notes
        self.otp = otp
        self.created = created
        self.changed = changed
    }

    /// `created` and `changed` in milliseconds since 1970 (nil where the peer has none; never
    /// before 1970; a change never before the creation).
    public var times: (created: UInt64?, changed: UInt64?) {
        func ms(_ t: Int64?) -> UInt64? { t.map { UInt64(max(0, $0)) * (milliseconds ? 1 : 1000) } }
        let created = ms(created), changed = ms(changed)
        guard let created, let changed else { return (created, changed) }
        return (created, max(created, changed))
    }

    /// The value of the first field named `name`.
    public func field(_ name: String) -> SecretBytes? {
        fields.first { $0.name == name }?.value
    }

    /// Puts the fields in the order an onion's info shows them: password, user name, URL,
    /// then the rest as they came. Empty values are dropped.
    public func orderFields() {
        let rank = [ImportedField.password: 0, ImportedField.userName: 1, ImportedField.url: 2]
        fields = fields.filter { $0.value.count > 0 }.enumerated()
            .sorted { (rank[$0.element.name] ?? 3, $0.offset) < (rank[$1.element.name] ?? 3, $1.offset) }
            .map(\.element)
    }

    /// The onion info this entry becomes: the password alone on the first line (so "copy the
    /// first line" copies it, as with pass), then `name: value` lines for the other fields, the
    /// one-time-code line, and after a blank line the notes. The caller wipes the result.
    public func info() -> SecretBytes {
        let capacity = fields.reduce(0) { $0 + $1.name.utf8.count + $1.value.count + 3 }
            + (otp?.count ?? 0) + (notes?.count ?? 0) + 8
        let out = SecretBytes(count: 0, capacity: capacity)
        var first = true
        func line(_ parts: [UnsafeRawBufferPointer]) {
            if !first { out.append(byte: 0x0A) }
            first = false
            for part in parts { out.append(part) }
        }
        for field in fields {
            if field.name == ImportedField.password && first {
                field.value.withUnsafeBytes { line([$0]) }
                continue
            }
            var label = field.name + ": "
            label.withUTF8 { name in field.value.withUnsafeBytes { line([UnsafeRawBufferPointer(name), $0]) } }
        }
        otp?.withUnsafeBytes { line([$0]) }
        if let notes, notes.count > 0 {
            if !first { out.append(byte: 0x0A) }
            notes.withUnsafeBytes { line([$0]) }
        }
        return out
    }

    /// Clears every secret this entry holds.
    public func wipe() {
        title.wipe()
        for field in fields { field.value.wipe() }
        notes?.wipe()
        otp?.wipe()
    }
}

/// A named value of an imported entry. Names are the peer's field names (not secret).
public struct ImportedField {
    public static let password = "password"
    public static let userName = "user name"
    public static let url = "url"

    public let name: String
    public let value: SecretBytes

    public init(_ name: String, _ value: SecretBytes) {
        self.name = name
        self.value = value
    }
}

/// Why a peer's file could not be imported. Messages name the problem, never a secret.
public enum ImportError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The password (or key file) does not open the file.
    case wrongPassword
    /// The file is cut short, changed or not in the format; the text says where or what.
    case damaged(String)
    /// A well-formed file using something this program does not read (a cipher, a version).
    case unsupported(String)
    /// The file needs a password and none was given.
    case passwordNeeded
    /// A file or folder could not be read (the system's words).
    case unreadable(String)
    /// A helper program (gpg) failed; the text is its exit status, never its output.
    case toolFailed(String)

    public var description: String {
        switch self {
        case .wrongPassword: return "the password or key file is wrong"
        case .damaged(let what): return "the file is damaged or not in the expected format (\(what))"
        case .unsupported(let what): return "the file uses \(what), which this program cannot read"
        case .passwordNeeded: return "the file is encrypted and needs its password"
        case .unreadable(let what): return "cannot read \(what)"
        case .toolFailed(let what): return what
        }
    }
}

extension Array where Element == ImportedEntry {
    /// Wipes every entry (for an importer that gives up half way).
    func wipeAll() { forEach { $0.wipe() } }
}
