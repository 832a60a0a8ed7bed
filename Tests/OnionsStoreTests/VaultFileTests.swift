import CSQLite
import Foundation
@testable import OnionsCore
import OnionsCrypto
import OnionsStore
import XCTest

/// Vaults in a real SQLite file: a store file and a local state folder per test, cheap scrypt,
/// raw access to the file's bytes and rows the way someone holding the disk would have.
class VaultFileTestCase: SQLiteStoreTestCase {
    /// The cheapest cost a vault header accepts: keeps every test fast.
    let cheap = ScryptParameters(logN: 10, r: 8, p: 1)
    var stateDirectory: String { directory.appendingPathComponent("state").path }

    /// Sealed lengths of the size classes (FORMAT.md): format, class, nonce, padded payload, tag.
    static let smallLength = 2 + 12 + 1_280 + 16
    static let largeLength = 2 + 12 + 8_448 + 16
    /// A small vault's manifest part: 4 KiB padded.
    static let manifestPartLength = 2 + 12 + 4_096 + 16
    /// A small vault's manifest root, padded as if its journal were full (`Manifest.rootFloor`).
    static let manifestRootLength = 2 + 12 + 8_192 + 16

    func secret(_ text: String) -> SecretBytes { SecretBytes(copying: Array(text.utf8)) }

    func text(_ secret: SecretBytes) -> String {
        secret.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
    }

    func signUp(_ store: Store, _ username: String, password: String) throws -> Session {
        try Session.signUp(store: store, username: username, password: secret(password), kdf: cheap,
                           stateDirectory: stateDirectory)
    }

    func logIn(_ store: Store, _ username: String, password: String) throws -> Session {
        try Session.logIn(store: store, username: username, password: secret(password),
                          stateDirectory: stateDirectory)
    }

    func titles(_ session: Session) -> [String] { session.onions.map { session.title($0) } }

    /// A distinctive text nobody else writes: `prefix` and random hex.
    func marker(_ prefix: String) -> String {
        prefix + "-" + Hex.encode(SecureRandom.bytes(8))
    }

    /// The records a save of `session` wrote (live ones) for what it saved, by comparing the
    /// change sequence before and after; the filler records every save writes (`SaveShape`) are
    /// left out.
    func recordsWritten(_ store: Store, of session: Session, by body: () throws -> Void) throws -> [StoredRecord] {
        let fillers = Set(SaveShape.fillers.map { session.keys.name($0) })
        let before = try store.changes(vault: session.vault, since: 0).map(\.sequence).max() ?? 0
        try body()
        return try store.changes(vault: session.vault, since: before).filter { !$0.deleted && !fillers.contains($0.name) }
    }

    // MARK: The raw file

    /// Every byte of the database file, its write-ahead log and its shared-memory index.
    func rawBytes() -> Data {
        var raw = Data()
        for suffix in ["", "-wal", "-shm"] {
            if let contents = FileManager.default.contents(atPath: path + suffix) { raw.append(contents) }
        }
        return raw
    }

    /// The encodings in which a text could sit in the files: UTF-8, UTF-16 LE and BE.
    func encodings(_ text: String) -> [(String, Data)] {
        let utf16 = Array(text.utf16)
        return [
            ("UTF-8", Data(text.utf8)),
            ("UTF-16LE", Data(utf16.flatMap { [UInt8($0 & 0xff), UInt8($0 >> 8)] })),
            ("UTF-16BE", Data(utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xff)] })),
        ]
    }

    /// Where each text was found in `raw`, as "text (encoding)"; empty when none was.
    func found(_ texts: [String], in raw: Data) -> [String] {
        texts.flatMap { text in
            encodings(text).compactMap { encoding, bytes in raw.range(of: bytes) == nil ? nil : "\(text) (\(encoding))" }
        }
    }

    /// Runs one SQL statement on the file with plain SQLite, outside the store, binding `blobs`
    /// to `?1`, `?2`, ... Returns the number of rows it changed.
    @discardableResult
    func rawSQL(_ sql: String, _ blobs: [UInt8]...) throws -> Int {
        var db: OpaquePointer?
        guard sqlite3_open(path, &db) == SQLITE_OK else { throw StoreError.unavailable("raw open") }
        defer { sqlite3_close(db) }
        sqlite3_busy_timeout(db, 5_000)
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK else {
            throw StoreError.damaged("raw prepare: " + String(cString: sqlite3_errmsg(db)))
        }
        defer { sqlite3_finalize(statement) }
        for (index, blob) in blobs.enumerated() {
            // SQLITE_TRANSIENT: SQLite copies the bytes before this returns.
            let code = blob.withUnsafeBytes {
                sqlite3_bind_blob(statement, Int32(index + 1), $0.baseAddress, Int32($0.count),
                                  unsafeBitCast(-1, to: sqlite3_destructor_type.self))
            }
            guard code == SQLITE_OK else { throw StoreError.damaged("raw bind") }
        }
        var code = sqlite3_step(statement)
        while code == SQLITE_ROW { code = sqlite3_step(statement) }
        guard code == SQLITE_DONE else { throw StoreError.damaged("raw step: " + String(cString: sqlite3_errmsg(db))) }
        return Int(sqlite3_changes(db))
    }

    /// Asserts that `body` throws exactly `expected`.
    func assertThrows<R>(_ expected: VaultError, file: StaticString = #filePath, line: UInt = #line,
                         _ body: () throws -> R) {
        XCTAssertThrowsError(try body(), file: file, line: line) { error in
            XCTAssertEqual(error as? VaultError, expected, file: file, line: line)
        }
    }
}
