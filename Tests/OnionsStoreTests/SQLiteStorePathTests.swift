import CSQLite
import Foundation
import OnionsCore
import OnionsStore
import XCTest

/// The store path is checked before SQLite sees it: only a regular file that is empty or an
/// onions database is opened, and nothing else is created, changed or narrowed.
final class SQLiteStorePathTests: SQLiteStoreTestCase {
    private func assertRefused(_ target: String, access: SQLiteStore.Access, saying words: String,
                               file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try SQLiteStore(path: target, access: access), file: file, line: line) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains(words), "'\(text)' does not say '\(words)'", file: file, line: line)
        }
    }

    private func mode(_ target: String) -> mode_t {
        var status = stat()
        XCTAssertEqual(stat(target, &status), 0, target)
        return status.st_mode & 0o7777
    }

    private func folderListing(_ folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
    }

    private func bytes(_ target: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: target))
    }

    func testADeviceIsRefusedAndNothingAppearsBesideIt() throws {
        let before = mode("/dev/null")
        addTeardownBlock {
            // Puts /dev/null back should a broken build change it (root could), then fails above.
            if self.mode("/dev/null") != before { _ = chmod("/dev/null", before) }
            for suffix in ["-journal", "-wal", "-shm"] {
                var status = stat()
                if lstat("/dev/null" + suffix, &status) == 0 && status.st_mode & S_IFMT == S_IFREG {
                    _ = unlink("/dev/null" + suffix)
                }
            }
        }
        let devices = try folderListing("/dev")
        for access in [SQLiteStore.Access.readWrite, .readOnly] {
            assertRefused("/dev/null", access: access, saying: "is a device, not a file")
        }
        XCTAssertEqual(mode("/dev/null"), before, "/dev/null was chmodded")
        XCTAssertEqual(try folderListing("/dev").filter { $0.hasPrefix("null") }, devices.filter { $0.hasPrefix("null") })
    }

    func testAFIFOAndAFolderAreRefusedAndLeftAsTheyAre() throws {
        let fifo = directory.appendingPathComponent("pipe").path
        XCTAssertEqual(mkfifo(fifo, 0o644), 0)
        let folder = directory.appendingPathComponent("folder").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false,
                                                attributes: [.posixPermissions: 0o755])
        for access in [SQLiteStore.Access.readWrite, .readOnly] {
            assertRefused(fifo, access: access, saying: "is a FIFO (named pipe), not a file")
            assertRefused(folder, access: access, saying: "is a folder, not a file")
        }
        XCTAssertEqual(mode(fifo), 0o644)
        XCTAssertEqual(mode(folder), 0o755)
        XCTAssertEqual(try folderListing(directory.path), ["folder", "pipe"])
        XCTAssertEqual(try folderListing(folder), [])
    }

    func testAForeignSQLiteFileIsRefusedUnchanged() throws {
        var db: OpaquePointer?
        XCTAssertEqual(sqlite3_open(path, &db), SQLITE_OK)
        XCTAssertEqual(sqlite3_exec(db, "CREATE TABLE bookmarks (url TEXT); INSERT INTO bookmarks VALUES ('x')",
                                    nil, nil, nil), SQLITE_OK)
        sqlite3_close(db)
        XCTAssertEqual(chmod(path, 0o644), 0)
        let original = try bytes(path)
        for access in [SQLiteStore.Access.readWrite, .readOnly] {
            assertRefused(path, access: access, saying: "a database of another program")
        }
        XCTAssertEqual(try bytes(path), original, "the foreign database changed")
        XCTAssertEqual(mode(path), 0o644, "the foreign database was chmodded")
        XCTAssertEqual(try folderListing(directory.path), ["onions.db"])
    }

    func testADatabaseLeftBlankByAnInterruptedFirstOpenIsSetUp() throws {
        var db: OpaquePointer?
        XCTAssertEqual(sqlite3_open(path, &db), SQLITE_OK)
        XCTAssertEqual(sqlite3_exec(db, "PRAGMA journal_mode = WAL", nil, nil, nil), SQLITE_OK)
        sqlite3_close(db)
        XCTAssertGreaterThan(try bytes(path).count, 100, "the header was written")
        let store = try openStore()
        try store.createVault(vault, header: header(for: vault))
        XCTAssertEqual(try store.header(vault: vault), header(for: vault))
    }

    func testAFileThatIsNotADatabaseIsRefusedUnchanged() throws {
        let text = Data("my notes\n".utf8)
        try text.write(to: URL(fileURLWithPath: path))
        XCTAssertEqual(chmod(path, 0o644), 0)
        for access in [SQLiteStore.Access.readWrite, .readOnly] {
            assertRefused(path, access: access, saying: "is not an onions database")
        }
        XCTAssertEqual(try bytes(path), text)
        XCTAssertEqual(mode(path), 0o644)
    }

    func testOpeningToReadLeavesTheModeOfAnOnionsDatabaseAlone() throws {
        do {
            let store = try storeWithVaults()
            try store.apply(vault: vault, writes: [.put(name: name("a"), blob: [1], expectedVersion: 0)])
        }
        XCTAssertEqual(chmod(path, 0o644), 0)
        let reader = try SQLiteStore(path: path, access: .readOnly)
        XCTAssertEqual(reader.access, .readOnly)
        XCTAssertEqual(try reader.record(vault: vault, name: name("a"))?.blob, [1])
        XCTAssertEqual(mode(path), 0o644, "a reading open chmodded the store")
        XCTAssertThrowsError(try reader.apply(vault: vault, writes: [.put(name: name("b"), blob: [2], expectedVersion: 0)])) {
            XCTAssertTrue("\($0)".contains("read-only"), "\($0)")
        }
        _ = try SQLiteStore(path: path, access: .readWrite)
        XCTAssertEqual(mode(path), 0o600, "a writing open narrows an onions database this user owns")
    }
}
