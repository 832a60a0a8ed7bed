import OnionsCrypto

/// A sealed backup of one vault: its header and every record exactly as the store holds them.
///
/// Text, one item per line, fields separated by one space, binary in standard base64:
///
///     onions-backup 1
///     vault <vault id>
///     parameters <base64>
///     wrapped-key <base64>
///     verifier <base64>
///     record <name, 64 hex digits> <version> <base64 blob>
///     deleted <name, 64 hex digits> <version>
///     end <number of record and deleted lines>
///
/// The first line is the magic line; `end` guards against a cut-off file. Nothing in it is
/// plaintext: the vault id is the stretched username the store sees, the header and blobs are
/// sealed (see FORMAT.md). `deleted` lines keep the versions of deleted records (tombstones),
/// so a restored vault continues counting where the original stopped. FORMAT.md specifies
/// the file and what a reader refuses.
public struct BackupFile: Equatable, Sendable {
    public static let magic = "onions-backup 1"
    /// The highest record version a backup may carry (restoring writes each version once).
    public static let maximumVersion: UInt64 = 1 << 20

    public let vault: VaultID
    public let header: VaultHeaderBlob
    /// Live records and tombstones (a tombstone has `deleted` set and an empty blob).
    public let records: [StoredRecord]

    /// The file's bytes.
    public func encoded() -> [UInt8] {
        var out = "\(Self.magic)\nvault \(vault.value)\n"
        out += "parameters \(Base64.encode(header.parameters))\n"
        out += "wrapped-key \(Base64.encode(header.wrappedKey))\n"
        out += "verifier \(Base64.encode(header.verifier))\n"
        var lines = [out]
        for record in records {
            if record.deleted {
                lines.append("deleted \(record.name) \(record.version)\n")
            } else {
                lines.append("record \(record.name) \(record.version) \(Base64.encode(record.blob))\n")
            }
        }
        lines.append("end \(records.count)\n")
        return Array(lines.joined().utf8)
    }

    /// Why a file is not a backup this program can restore (the message names the line).
    public struct FormatError: Error, CustomStringConvertible, Equatable {
        public let description: String
    }

    /// Reads a backup file's bytes. Throws `FormatError` for anything out of place: another
    /// magic line, a missing header line, a bad name, version or base64 (only the padded form
    /// `encoded()` writes is taken), a cut-off file, text after the `end` line.
    public init(decoding bytes: [UInt8]) throws {
        let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            .map { String(decoding: $0, as: UTF8.self) }
        func fail(_ line: Int, _ what: String) -> FormatError {
            FormatError(description: "line \(line): \(what)")
        }
        guard lines.first == Self.magic else {
            throw FormatError(description: "not an onions backup (the first line is not '\(Self.magic)')")
        }
        var index = 1
        func field(_ name: String) throws -> String {
            guard index < lines.count else { throw fail(index + 1, "the file ends before '\(name)'") }
            let parts = lines[index].split(separator: " ", omittingEmptySubsequences: false)
            guard parts.count == 2, parts[0] == name else { throw fail(index + 1, "expected '\(name) …'") }
            index += 1
            return String(parts[1])
        }
        func binary(_ name: String) throws -> [UInt8] {
            let text = try field(name)
            guard let value = Self.base64(text) else { throw fail(index, "\(name) is not base64") }
            return value
        }
        let vaultText = try field("vault")
        guard Self.base64(vaultText)?.count == 32 else { throw fail(index, "the vault id is not a stretched name") }
        vault = VaultID(vaultText)
        header = VaultHeaderBlob(parameters: try binary("parameters"), wrappedKey: try binary("wrapped-key"),
                                 verifier: try binary("verifier"))
        var found: [StoredRecord] = []
        var names = Set<RecordName>()
        while true {
            guard index < lines.count, !lines[index].isEmpty else {
                throw FormatError(description: "the file is cut off (no 'end' line)")
            }
            let parts = lines[index].split(separator: " ", omittingEmptySubsequences: false)
            let lineNumber = index + 1
            index += 1
            if parts[0] == "end" {
                guard parts.count == 2, Int(parts[1]) == found.count else {
                    throw fail(lineNumber, "the 'end' line does not count \(found.count) records")
                }
                break
            }
            guard found.count < Limits.maximumRecordsPerVault else {
                throw fail(lineNumber, "more than the limit of \(Limits.maximumRecordsPerVault) records")
            }
            let isRecord = parts[0] == "record"
            guard isRecord ? parts.count == 4 : (parts[0] == "deleted" && parts.count == 3) else {
                throw fail(lineNumber, "expected 'record NAME VERSION BLOB', 'deleted NAME VERSION' or 'end N'")
            }
            guard let name = Self.hexName(parts[1]) else { throw fail(lineNumber, "the name is not 64 hex digits") }
            guard names.insert(name).inserted else { throw fail(lineNumber, "the name appears twice") }
            guard let version = UInt64(parts[2]), (1...Self.maximumVersion).contains(version) else {
                throw fail(lineNumber, "the version is not a number from 1 to \(Self.maximumVersion)")
            }
            var blob: [UInt8] = []
            if isRecord {
                guard parts[3].utf8.count <= (Limits.maximumBlobBytes + 2) / 3 * 4 else {
                    throw fail(lineNumber, "the blob is larger than the limit of \(Limits.maximumBlobBytes) bytes")
                }
                guard let decoded = Self.base64(String(parts[3])) else {
                    throw fail(lineNumber, "the blob is not base64")
                }
                blob = decoded
            }
            found.append(StoredRecord(name: name, version: version, blob: blob, deleted: !isRecord, sequence: 0))
        }
        guard lines[index...].allSatisfy(\.isEmpty) else { throw fail(index + 1, "text after the 'end' line") }
        records = found
    }

    /// The bytes of non-empty base64 exactly as `encoded()` writes it (padded, no blanks).
    private static func base64(_ text: String) -> [UInt8]? {
        guard let bytes = Base64.decode(text), !bytes.isEmpty, Base64.encode(bytes) == text else { return nil }
        return bytes
    }

    /// A record name as 64 hex digits, nothing else.
    private static func hexName(_ text: Substring) -> RecordName? {
        guard text.utf8.count == 64, let bytes = Hex.decode(String(text)), bytes.count == 32 else { return nil }
        return RecordName(bytes)
    }

    public init(vault: VaultID, header: VaultHeaderBlob, records: [StoredRecord]) {
        self.vault = vault
        self.header = header
        self.records = records
    }

    /// The writes that recreate every record at its version in an empty vault: one per record,
    /// from version 0 straight to its own, for the caller's single transaction.
    public func restoringWrites() -> [RecordWrite] {
        records.compactMap { RecordWrite.reaching($0.name, from: 0, to: $0.version, blob: $0.deleted ? nil : $0.blob) }
    }

    /// How many writes `restoringWrites` makes, counted before any is built.
    public var restoringWriteCount: UInt64 { UInt64(records.count) }
}
