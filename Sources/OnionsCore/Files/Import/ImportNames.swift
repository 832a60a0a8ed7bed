import OnionsCrypto

/// Makes imported names fit an onion's title without losing them.
///
/// A title longer than the limit (30 characters, or its bytes) moves whole into the folder
/// path, which keeps the full name (`bank/Very long account name at the bank`), and the title
/// becomes its first characters ending in "…". Every entry shortened so is reported.
public enum ImportNames {
    /// One shortened entry: its new folder (which ends in the full name) and how long the name was.
    public struct Shortened: Equatable, Sendable, CustomStringConvertible {
        public let folder: String
        public let characters: Int

        public var description: String {
            "\(folder): the name has \(characters) characters; the title keeps the first "
                + "\(FieldLimit.onionTitle.maxCharacters - 1) and \"…\", the folder the whole name"
        }
    }

    /// Shortens every title of `entries` over `limit`, in place, and returns what it shortened.
    /// A title that is not UTF-8 is left for the import to refuse.
    @discardableResult
    public static func shorten(_ entries: [ImportedEntry], limit: FieldLimit = .onionTitle) -> [Shortened] {
        var shortened: [Shortened] = []
        for entry in entries {
            let fits = entry.title.withUnsafeBytes { raw -> Bool? in
                let bytes = raw.bindMemory(to: UInt8.self)
                guard TextScan.scalars(bytes) != nil else { return nil }
                return TextScan.characterCount(bytes) <= limit.maxCharacters && bytes.count <= limit.maxBytes
            }
            guard fits == false, let fitted = ImportTextFit.fit(entry.title, limit) else { continue }
            let characters = entry.title.withUnsafeBytes { TextScan.characterCount($0.bindMemory(to: UInt8.self)) }
            // A transient String: the folder path is laid out by the interface as text.
            let name = entry.title.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
            entry.folder = entry.folder.isEmpty ? name : entry.folder + "/" + name
            entry.title.wipe()
            entry.title = fitted.text
            shortened.append(Shortened(folder: entry.folder, characters: characters))
        }
        return shortened
    }
}
