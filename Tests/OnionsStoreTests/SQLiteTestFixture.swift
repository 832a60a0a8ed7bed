import Foundation
import OnionsCore
import OnionsCrypto
import OnionsStore
import XCTest

/// A temporary folder holding one SQLite store file, removed after each test.
class SQLiteStoreTestCase: XCTestCase {
    /// Vault keys at this test cost while a test runs (`TestingKDFFloor`); the real floor after it.
    override func invokeTest() { TestingKDFFloor.whileLowered(to: ScryptParameters(logN: 10, r: 8, p: 1)) { super.invokeTest() } }

    var directory: URL!
    var path: String { directory.appendingPathComponent("onions.db").path }
    let vault = VaultID("vault-one")
    let otherVault = VaultID("vault-two")

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("onions-sqlite-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try FileManager.default.removeItem(at: directory)
    }

    func openStore() throws -> SQLiteStore {
        try SQLiteStore(path: path)
    }

    /// A store holding the given vaults (by default `vault`), each made with `header(for:)`.
    func storeWithVaults(_ vaults: [VaultID]? = nil) throws -> SQLiteStore {
        let store = try openStore()
        for id in vaults ?? [vault] {
            try store.createVault(id, header: header(for: id))
        }
        return store
    }

    /// The auth key of a test vault; `header(for:)` holds its verifier.
    func authKey(for id: VaultID) -> SecretBytes {
        SecretBytes(copying: Array("auth key of \(id.value)".utf8))
    }

    func header(for id: VaultID) -> VaultHeaderBlob {
        let verifier = authKey(for: id).withUnsafeBytes { SHA256.hash($0) }
        return VaultHeaderBlob(parameters: Array("parameters of \(id.value)".utf8),
                               wrappedKey: Array("wrapped key of \(id.value)".utf8),
                               verifier: verifier)
    }

    func name(_ label: String) -> RecordName {
        RecordName(SHA256.hash(Array(label.utf8)))
    }

    func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    /// Asserts that `body` throws exactly `expected`.
    func assertThrows<R>(_ expected: StoreError, file: StaticString = #filePath, line: UInt = #line,
                         _ body: () throws -> R) {
        XCTAssertThrowsError(try body(), file: file, line: line) { error in
            XCTAssertEqual(error as? StoreError, expected, file: file, line: line)
        }
    }

    /// Asserts that `body` throws `StoreError.damaged` (whatever its message).
    func assertDamaged<R>(file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> R) {
        XCTAssertThrowsError(try body(), file: file, line: line) { error in
            guard case .damaged(let message)? = error as? StoreError else {
                return XCTFail("expected .damaged, got \(error)", file: file, line: line)
            }
            XCTAssertFalse(message.isEmpty, file: file, line: line)
        }
    }
}
