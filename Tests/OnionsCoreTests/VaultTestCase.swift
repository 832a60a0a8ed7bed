import Foundation
@testable import OnionsCore
import OnionsCrypto
import XCTest

/// A fresh in-memory store and a fresh local state folder for every test, cheap scrypt costs,
/// and helpers to turn test strings into secrets and back.
class VaultTestCase: XCTestCase {
    /// Vault keys at this test cost while a test runs (`TestingKDFFloor`); the real floor after it.
    override func invokeTest() { TestingKDFFloor.whileLowered(to: ScryptParameters(logN: 10, r: 8, p: 1)) { super.invokeTest() } }

    /// The cheapest cost a vault header accepts: keeps every test fast.
    let cheap = ScryptParameters(logN: 10, r: 8, p: 1)
    var store: MemoryStore!
    var stateDirectory: String!

    override func setUpWithError() throws {
        store = MemoryStore()
        stateDirectory = FileManager.default.temporaryDirectory
            .appendingPathComponent("onions-state-\(UUID().uuidString)").path
    }

    override func tearDownWithError() throws {
        if FileManager.default.fileExists(atPath: stateDirectory) {
            try FileManager.default.removeItem(atPath: stateDirectory)
        }
    }

    // MARK: Secrets from test text

    func secret(_ text: String) -> SecretBytes { SecretBytes(copying: Array(text.utf8)) }

    func secret(bytes: [UInt8]) -> SecretBytes { SecretBytes(copying: bytes) }

    func text(_ secret: SecretBytes) -> String {
        secret.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
    }

    // MARK: Sessions

    func signUp(_ username: String = "alice", password: String = "correct horse",
                in store: Store? = nil) throws -> Session {
        try Session.signUp(store: store ?? self.store, username: username, password: secret(password),
                           kdf: cheap, stateDirectory: stateDirectory)
    }

    func logIn(_ username: String = "alice", password: String = "correct horse",
               in store: Store? = nil, stateDirectory: String? = nil) throws -> Session {
        try Session.logIn(store: store ?? self.store, username: username, password: secret(password),
                          stateDirectory: stateDirectory ?? self.stateDirectory)
    }

    @discardableResult
    func saveOnion(_ session: Session, id: ItemID? = nil, title: String, info: String = "") throws -> ItemID {
        try session.saveOnion(id: id, title: secret(title), info: secret(info))
    }

    /// Writes `count` onions ("onion <n>", info `info`) in one commit, the cheap way to a large
    /// vault (not in the shape of a save). The session lists them after a log in.
    @discardableResult
    func writeOnions(_ session: Session, count: Int, info: String) throws -> [ItemID] {
        var pending: [PendingWrite] = []
        var ids: [ItemID] = []
        for i in 0..<count {
            let id = ItemID.random()
            ids.append(id)
            let title = secret("onion \(i)")
            pending.append(.put(.onionTitle(id), try RecordPayload.OnionTitle(id: id, created: 1, modified: 1, title: title)
                .encoded(), .small, label: title))
            pending.append(.put(.onionInfo(id), try RecordPayload.OnionInfo(id: id, info: secret(info)).encoded(),
                                .large, label: title))
        }
        try session.commit(pending)
        return ids
    }

    @discardableResult
    func saveCard(_ session: Session, id: ItemID? = nil, to recipient: String, description: String,
                  password: String) throws -> ItemID {
        try session.saveCard(id: id, recipient: secret(recipient), description: secret(description),
                             cardPassword: secret(password), kdf: cheap)
    }

    func titles(_ session: Session) -> [String] { session.onions.map { session.title($0) } }

    func recipients(_ session: Session) -> [String] { session.cards.map { session.texts.string($0.recipient) } }

    func taskTexts(_ session: Session) -> [UInt16: String] {
        Dictionary(uniqueKeysWithValues: session.tasks.map { ($0.id, session.texts.string($0.text)) })
    }

    func onion(_ session: Session, titled title: String) -> OnionSummary? {
        session.onions.first { session.title($0) == title }
    }

    // MARK: What the store saw

    /// The records a call wrote (live ones, with their blobs), by comparing sequence values.
    func recordsWritten(in vault: VaultID, by body: () throws -> Void) throws -> [StoredRecord] {
        let before = store.contents.sequence
        try body()
        return try store.changes(vault: vault, since: before).filter { !$0.deleted }
    }

    /// The records a save wrote for what it saved: `recordsWritten` without the filler records
    /// that pad every save to one shape (`SaveShape`) and the companions that pair every task
    /// and card with a record of the other size class (`LogicalKey.isCompanion`): neither holds
    /// anything.
    func recordsWritten(of session: Session, by body: () throws -> Void) throws -> [StoredRecord] {
        let fillers = fillerNames(session)
        let written = try recordsWritten(in: session.vault, by: body).filter { !fillers.contains($0.name) }
        let companions = Set(session.manifest.entries.keys.filter(\.isCompanion).map { session.keys.name($0) })
        return written.filter { !companions.contains($0.name) }
    }

    /// The names of the filler records of a session's vault.
    func fillerNames(_ session: Session) -> Set<RecordName> {
        Set(SaveShape.fillers.map { session.keys.name($0) })
    }

    /// The one record of `records` whose blob has the given sealed length.
    func record(ofLength length: Int, in records: [StoredRecord],
                file: StaticString = #filePath, line: UInt = #line) throws -> StoredRecord {
        let found = records.filter { $0.blob.count == length }
        XCTAssertEqual(found.count, 1, "records of length \(length)", file: file, line: line)
        return try XCTUnwrap(found.first, file: file, line: line)
    }

    // MARK: Assertions

    /// Asserts that `body` throws exactly `expected`.
    func assertThrows<R>(_ expected: VaultError, file: StaticString = #filePath, line: UInt = #line,
                         _ body: () throws -> R) {
        XCTAssertThrowsError(try body(), file: file, line: line) { error in
            XCTAssertEqual(error as? VaultError, expected, file: file, line: line)
        }
    }

    /// Asserts that `body` throws `VaultError.damaged` naming `name`.
    func assertDamaged<R>(naming name: String, file: StaticString = #filePath, line: UInt = #line,
                          _ body: () throws -> R) {
        XCTAssertThrowsError(try body(), file: file, line: line) { error in
            guard case .damaged(let label)? = error as? VaultError else {
                return XCTFail("expected .damaged, got \(error)", file: file, line: line)
            }
            XCTAssertTrue(label.contains(name), "\(label) does not name \(name)", file: file, line: line)
            XCTAssertTrue("\(error)".contains(name), file: file, line: line)
        }
    }
}

/// Sealed lengths of the size classes (FORMAT.md): format, class, nonce, padded payload, tag.
enum SealedLength {
    static let small = 2 + 12 + 1_280 + 16
    static let large = 2 + 12 + 8_448 + 16
    /// The root of a manifest of 16 or 32 parts, padded as if its journal held `partCount + 16`
    /// entries (`Manifest.rootFloor`): 8 KiB, whatever its journal holds.
    static let manifestRoot = 2 + 12 + 8_192 + 16
    /// A part of a small vault's manifest: padded to the first step, 4 KiB.
    static let manifestPart = 2 + 12 + 4_096 + 16
    /// A sealed record of the manifest class (its root or a part), whatever its size.
    static func isManifest(_ blob: [UInt8]) -> Bool { blob.count > 2 && blob[1] == SizeClass.manifest.rawValue }
    /// A sealed commit, as the head record holds it (FORMAT.md "Commits").
    static let commit = 2 + 12 + 2_048 + 16
}
