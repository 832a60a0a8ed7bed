import OnionsCrypto

/// Reads KeePassXC's CSV export (`keepassxc-cli export -f csv`, or the application's).
///
/// RFC 4180: fields in double quotes may hold commas, line breaks and doubled quotes. The
/// header row names the columns; `Title` and `Password` must be there, and `Group`,
/// `Username`, `URL`, `Notes`, `TOTP`, `Last Modified` and `Created` are read when present
/// (other columns, such as `Icon`, are not). The group path's first part is the root group and
/// is dropped; entries in `<root>/Recycle Bin` are left out.
public enum KeePassXCCSVReader {
    public static func read(_ document: SecretBytes) throws(ImportError) -> [ImportedEntry] {
        try document.withUnsafeBytes { raw in Result { () throws(ImportError) in try read(raw) } }.get()
    }

    static func read(_ raw: UnsafeRawBufferPointer) throws(ImportError) -> [ImportedEntry] {
        var parser = CSVParser(raw)
        guard let header = try parser.row() else { throw .damaged("the CSV file is empty") }
        let names = header.map { $0.withUnsafeBytes { String(decoding: $0, as: UTF8.self) } }
        header.forEach { $0.wipe() }
        func column(_ name: String) -> Int? { names.firstIndex(of: name) }
        guard let title = column("Title"), let password = column("Password") else {
            throw .damaged("the CSV header has no Title and Password columns")
        }
        let group = column("Group"), user = column("Username"), url = column("URL"), notes = column("Notes")
        let totp = column("TOTP"), changed = column("Last Modified"), created = column("Created")
        var entries: [ImportedEntry] = []
        do throws(ImportError) {
            while let row = try parser.row() {
                defer { row.forEach { $0.wipe() } }
                if row.count == 1 && row[0].count == 0 { continue }
                guard row.count == names.count else { throw .damaged("row \(entries.count + 2) has \(row.count) fields, not \(names.count)") }
                let text = { (i: Int?) -> String? in i.map { c in row[c].withUnsafeBytes { String(decoding: $0, as: UTF8.self) } } }
                let path = (text(group) ?? "").split(separator: "/", omittingEmptySubsequences: false).dropFirst()
                if path.first == "Recycle Bin" { continue }
                let entry = ImportedEntry(folder: path.joined(separator: "/"), title: row[title].copy(),
                                          created: text(created).flatMap(ImportDates.isoSeconds),
                                          changed: text(changed).flatMap(ImportDates.isoSeconds))
                entries.append(entry)
                entry.fields.append(ImportedField(ImportedField.password, row[password].copy()))
                if let user { entry.fields.append(ImportedField(ImportedField.userName, row[user].copy())) }
                if let url { entry.fields.append(ImportedField(ImportedField.url, row[url].copy())) }
                if let notes, row[notes].count > 0 { entry.notes = row[notes].copy() }
                if let totp, row[totp].count > 0 { entry.otp = row[totp].copy() }
                entry.orderFields()
            }
        } catch {
            entries.wipeAll()
            throw error
        }
        return entries
    }
}

/// Rows of RFC 4180 CSV, each field copied into secret memory.
struct CSVParser {
    private let text: UnsafeRawBufferPointer
    private var index = 0

    init(_ text: UnsafeRawBufferPointer) {
        self.text = text
        // A UTF-8 byte order mark is not part of the first name.
        if text.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
    }

    /// The next row, or nil at the end. Throws `.damaged` for a quote left open.
    mutating func row() throws(ImportError) -> [SecretBytes]? {
        guard index < text.count else { return nil }
        var fields: [SecretBytes] = []
        while true {
            let field = SecretBytes(count: 0, capacity: max(1, fieldSpan()))
            fields.append(field)
            if index < text.count, text[index] == UInt8(ascii: "\"") {
                index += 1
                while true {
                    guard index < text.count else {
                        fields.forEach { $0.wipe() }
                        throw .damaged("a quoted CSV field is not closed")
                    }
                    let c = text[index]
                    index += 1
                    if c == UInt8(ascii: "\"") {
                        if index < text.count, text[index] == UInt8(ascii: "\"") {
                            field.append(byte: c)
                            index += 1
                            continue
                        }
                        break
                    }
                    field.append(byte: c)
                }
            }
            while index < text.count, text[index] != UInt8(ascii: ","), text[index] != 0x0A, text[index] != 0x0D {
                field.append(byte: text[index])
                index += 1
            }
            if index < text.count, text[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            if index < text.count, text[index] == 0x0D { index += 1 }
            if index < text.count, text[index] == 0x0A { index += 1 }
            return fields
        }
    }

    /// An upper bound on the bytes of the field at `index` (to its end, quoted or not).
    private func fieldSpan() -> Int {
        guard index < text.count else { return 0 }
        if text[index] != UInt8(ascii: "\"") {
            var end = index
            while end < text.count, text[end] != UInt8(ascii: ","), text[end] != 0x0A { end += 1 }
            return end - index
        }
        var end = index + 1
        while end < text.count {
            if text[end] == UInt8(ascii: "\"") {
                if end + 1 < text.count, text[end + 1] == UInt8(ascii: "\"") { end += 2; continue }
                break
            }
            end += 1
        }
        // Text after the closing quote up to the separator is kept too.
        while end < text.count, text[end] != UInt8(ascii: ","), text[end] != 0x0A { end += 1 }
        return end - index
    }
}
