import Glibc
import OnionsCrypto

/// Reads a Bitwarden JSON export: the plain one, and the password-protected one
/// (`"encrypted": true, "passwordProtected": true`).
///
/// A protected export's key comes from the password by the file's KDF (PBKDF2-SHA256 over the
/// salt text, or Argon2id over the salt text's SHA-256, with `kdfIterations`, `kdfMemory` MiB and
/// `kdfParallelism`), stretched by HKDF-Expand into an encryption and a MAC key ("enc", "mac").
/// `encKeyValidation_DO_NOT_EDIT` tells a wrong password; `data` holds the plain export as a
/// type-2 EncString (`2.iv|ciphertext|mac`, AES-256-CBC with HMAC-SHA256 over iv and ciphertext).
///
/// Items become entries in their folder: a login's password, user name, URIs and TOTP; a
/// card's, an identity's or an SSH key's members as fields (`cardholderName` as "cardholder
/// name"); custom fields by their names; the notes. Deleted items are left out.
public enum BitwardenReader {
    /// The entries of the export in `document`. `password` is needed only for a protected one.
    public static func read(_ document: SecretBytes, password: SecretBytes?) throws(ImportError) -> [ImportedEntry] {
        let json = try SecretJSON.parse(document)
        defer { json.wipe() }
        guard json["items"] != nil || json["encrypted"]?.bool == true else { throw .damaged("not a Bitwarden export") }
        guard json["encrypted"]?.bool == true else { return try entries(of: json) }
        guard json["passwordProtected"]?.bool == true else {
            throw .unsupported("account-restricted encryption (export it again with a password)")
        }
        guard let password else { throw .passwordNeeded }
        let keys = try deriveKeys(json, password: password)
        defer { keys.enc.wipe(); keys.mac.wipe() }
        guard let validation = json["encKeyValidation_DO_NOT_EDIT"]?.plainString,
              let data = json["data"]?.plainString else { throw .damaged("a protected export without its data") }
        try decrypt(validation, keys, mismatch: .wrongPassword).wipe()
        let inner = try decrypt(data, keys, mismatch: .damaged("the data does not match its MAC"))
        defer { inner.wipe() }
        let plain = try SecretJSON.parse(inner)
        defer { plain.wipe() }
        return try entries(of: plain)
    }

    private static func deriveKeys(_ json: SecretJSON, password: SecretBytes) throws(ImportError) -> (enc: SecretBytes, mac: SecretBytes) {
        guard let salt = json["salt"]?.plainString, let iterations = json["kdfIterations"]?.number,
              iterations >= 1, iterations <= 100_000_000 else { throw .damaged("the KDF parameters") }
        let master: SecretBytes
        do {
            switch json["kdfType"]?.number {
            case 0:
                master = try PBKDF2.derive(password: password, salt: Array(salt.utf8), iterations: Int(iterations),
                                           prf: .sha256, count: 32)
            case 1:
                guard let memory = json["kdfMemory"]?.number, let lanes = json["kdfParallelism"]?.number,
                      memory >= 1, memory <= 4096, lanes >= 1, lanes <= 64 else { throw ImportError.damaged("the Argon2 parameters") }
                master = try Argon2.derive(password: password, salt: SHA256.hash(Array(salt.utf8)), variant: .id,
                                           iterations: Int(iterations), memoryKiB: Int(memory) * 1024, parallelism: Int(lanes))
            default:
                throw ImportError.unsupported("a key derivation other than PBKDF2 and Argon2id")
            }
            defer { master.wipe() }
            return (try HKDF.expandSHA256(prk: master, info: Array("enc".utf8), count: 32),
                    try HKDF.expandSHA256(prk: master, info: Array("mac".utf8), count: 32))
        } catch let error as ImportError {
            throw error
        } catch {
            throw .damaged("the KDF parameters (\(error))")
        }
    }

    /// Opens a type-2 EncString; a MAC that does not match throws `mismatch` (a wrong password
    /// for the validation value, damage for the data once the password is known good).
    private static func decrypt(_ text: String, _ keys: (enc: SecretBytes, mac: SecretBytes),
                                mismatch: ImportError) throws(ImportError) -> SecretBytes {
        guard text.hasPrefix("2.") else { throw .unsupported("an encryption type other than 2 (AES-CBC with HMAC)") }
        let parts = text.dropFirst(2).split(separator: "|", omittingEmptySubsequences: false)
        guard parts.count == 3, let iv = Base64.decode(String(parts[0])), let body = Base64.decode(String(parts[1])),
              let mac = Base64.decode(String(parts[2])), iv.count == 16, mac.count == 32 else {
            throw .damaged("an encrypted value is not shaped as iv|data|mac")
        }
        guard ConstantTime.equals(HMAC.sha256(key: keys.mac, message: iv + body), mac) else { throw mismatch }
        do {
            return try AES.CBC.decrypt(body, key: keys.enc, iv: iv)
        } catch {
            throw .damaged("an encrypted value does not decrypt")
        }
    }

    private static func entries(of json: SecretJSON) throws(ImportError) -> [ImportedEntry] {
        guard let items = json["items"]?.array else { throw .damaged("no items") }
        var folders: [String: String] = [:]
        for folder in json["folders"]?.array ?? [] {
            if let id = folder["id"]?.plainString, let name = folder["name"]?.plainString { folders[id] = name }
        }
        var entries: [ImportedEntry] = []
        for item in items {
            if let deleted = item["deletedDate"], case .string = deleted { continue }
            guard let name = item["name"]?.secret else {
                entries.wipeAll()
                throw .damaged("an item without a name")
            }
            let entry = ImportedEntry(folder: item["folderId"]?.plainString.flatMap { folders[$0] } ?? "",
                                      title: name.copy(), notes: nonEmptyCopy(item["notes"]),
                                      created: item["creationDate"]?.plainString.flatMap(ImportDates.isoSeconds),
                                      changed: item["revisionDate"]?.plainString.flatMap(ImportDates.isoSeconds))
            entry.pinned = item["favorite"]?.bool == true
            if let login = item["login"] {
                add(ImportedField.password, login["password"], to: entry)
                add(ImportedField.userName, login["username"], to: entry)
                for (i, uri) in (login["uris"]?.array ?? []).enumerated() {
                    add(i == 0 ? ImportedField.url : "url \(i + 1)", uri["uri"], to: entry)
                }
                entry.otp = nonEmptyCopy(login["totp"])
            }
            for section in ["card", "identity", "sshKey"] {
                guard case .object(let members)? = item[section] else { continue }
                for (key, value) in members { add(KeyValueLine.aliases[words(key)] ?? words(key), value, to: entry) }
            }
            for field in item["fields"]?.array ?? [] {
                guard let fieldName = field["name"]?.plainString, !fieldName.isEmpty else { continue }
                add(fieldName, field["value"], to: entry)
            }
            entry.orderFields()
            entries.append(entry)
        }
        return entries
    }

    private static func nonEmptyCopy(_ value: SecretJSON?) -> SecretBytes? {
        guard let s = value?.secret, s.count > 0 else { return nil }
        return s.copy()
    }

    private static func add(_ name: String, _ value: SecretJSON?, to entry: ImportedEntry) {
        guard let copy = nonEmptyCopy(value) else { return }
        entry.fields.append(ImportedField(name, copy))
    }

    /// `cardholderName` as "cardholder name".
    static func words(_ camel: String) -> String {
        var out = ""
        for c in camel {
            if c.isUppercase, !out.isEmpty { out.append(" ") }
            out.append(contentsOf: c.lowercased())
        }
        return out
    }
}
