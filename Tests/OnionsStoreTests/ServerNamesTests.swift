// Records under server names (FORMAT.md "Names on the server", issue 28): the permutation, and a
// server that plays with rows under such names. Needs ONIONS_TEST_PG_URL.

import Foundation
import OnionsCrypto
@testable import OnionsCore
@testable import OnionsStore
import XCTest

final class ServerNamesTests: SyncTestCase {
    private func namer(_ fill: UInt8) throws -> ServerNames {
        try ServerNames(nameKey: SecretBytes(copying: [UInt8](repeating: fill, count: 32)))
    }

    func testANameAndVersionComeBackFromTheirServerNameAndTellNothingOfEachOther() throws {
        let names = try namer(7), other = try namer(8)
        var seen: Set<RecordName> = []
        for _ in 0..<200 {
            let name = RecordName(randomBytes(32))
            let version = UInt64.random(in: 1...UInt64.max)
            let sealed = names.seal(name, version: version)
            XCTAssertEqual(sealed.bytes.count, ServerNames.length)
            let opened = try XCTUnwrap(names.open(sealed))
            XCTAssertEqual(opened.name, name)
            XCTAssertEqual(opened.version, version)
            XCTAssertNotEqual(other.open(sealed)?.name, name, "another vault's key reads another name")
            // The next version of the same record: nothing in common an operator could match.
            let next = names.seal(name, version: version &+ 1).bytes
            XCTAssertLessThan(zip(sealed.bytes, next).filter { $0 == $1 }.count, 8)
            XCTAssertFalse(sealed.bytes.starts(with: name.bytes.prefix(4)))
            seen.insert(sealed)
        }
        XCTAssertEqual(seen.count, 200)
        XCTAssertNil(names.open(RecordName(randomBytes(32))), "a plain name is no server name")
        // The key is derived from the naming key: two vaults never share a server name.
        let name = RecordName(randomBytes(32))
        XCTAssertNotEqual(names.seal(name, version: 1), other.seal(name, version: 1))
    }

    /// Rows the operator makes up under names of 40 bytes (one that opens to the manifest's
    /// root, one that opens to nothing the vault lists) are reported and never taken.
    func testRowsMadeUpUnderServerNamesAreNotTaken() throws {
        let a = try machine("a"), b = try machine("b")
        let alice = try a.signUp("alice", "pw")
        try save(alice, "Groceries", "milk")
        let names = try ServerNames(nameKey: alice.keys.nameKey)
        defer { names.wipe() }
        let root = alice.keys.name(.manifest)
        let title = try serverRows(alice, [alice.keys.name(.onionTitle(try id(alice, "Groceries")))]).last
        let rootBlob = try XCTUnwrap(try database.adminQuery("SELECT blob FROM onions.records WHERE name = $1",
                                                             [.bytes(root.bytes)]).bytes(0, 0))
        for (name, blob) in [(names.seal(root, version: 99), rootBlob),
                             (RecordName(randomBytes(40)), try XCTUnwrap(title?.blob))] {
            _ = try database.adminQuery("""
                INSERT INTO onions.records (vault, name, version, blob, deleted, seq)
                VALUES ($1, $2, 1, $3, false, nextval('onions.changes'))
                """, [.text(alice.vault.value), .bytes(name.bytes), .bytes(blob)])
        }
        let onB = try b.logIn("alice", "pw")
        XCTAssertEqual(titles(onB), ["Groceries"])
        XCTAssertEqual(try info(onB, "Groceries"), "milk")
        XCTAssertTrue(onB.issues.contains { if case .unlisted = $0.kind { return true } else { return false } },
                      "\(onB.issues)")
        try save(onB, "Plans", "monday")
        XCTAssertNil(onB.lastSyncReport?.refused)
        XCTAssertEqual(titles(try a.logIn("alice", "pw")), ["Groceries", "Plans"])
    }

    /// `remove_records` removes rows under server names of the caller's vault only: never a
    /// name of its own (the root, the head), never another vault's.
    func testTheServerRemovesOnlyServerNamesOfItsVault() throws {
        let store = try database.clientStore()
        let (vault, _) = try makeVault(store)
        let plain = randomName(), named = RecordName(randomBytes(40))
        try store.apply(vault: vault, writes: [.put(name: plain, blob: [1, 1] + randomBytes(40), expectedVersion: 0),
                                               .put(name: named, blob: [1, 1] + randomBytes(40), expectedVersion: 0)])
        let other = try database.clientStore()
        let (victim, _) = try makeVault(other)
        try other.apply(vault: victim, writes: [.put(name: named, blob: [1, 1] + randomBytes(40), expectedVersion: 0)])
        XCTAssertEqual(try store.removeRecords(vault: vault, names: [plain]), 0, "a name of 32 bytes stays")
        XCTAssertEqual(try store.removeRecords(vault: vault, names: [named]), 1)
        XCTAssertNil(try store.record(vault: vault, name: named))
        XCTAssertNotNil(try store.record(vault: vault, name: plain))
        XCTAssertNotNil(try other.record(vault: victim, name: named), "another vault's row stays")
    }
}

/// What a machine signing in reads: every row of the vault by its name once, whatever it is.
final class FirstSyncReadsTests: SyncTestCase {
    /// Records the names every `get_many` call asks for (the server's function, redefined).
    private func logAskedNames() throws {
        _ = try database.adminQuery("CREATE TABLE onions.asked (id bigserial PRIMARY KEY, name bytea NOT NULL)")
        _ = try database.adminQuery("ALTER TABLE onions.asked OWNER TO onions_owner")
        _ = try database.adminQuery("ALTER SEQUENCE onions.asked_id_seq OWNER TO onions_owner")
        let definition = try database.adminQuery("SELECT pg_get_functiondef('onions.get_many(bytea[])'::regprocedure)")
        let text = try XCTUnwrap(definition.text(0, 0))
        let logged = text.replacingOccurrences(of: "STABLE", with: "VOLATILE")
            .replacingOccurrences(of: "\nBEGIN\n", with: "\nBEGIN\n    INSERT INTO onions.asked (name) SELECT unnest(p_names);\n")
        XCTAssertNotEqual(logged, text)
        _ = try database.adminQuery(logged)
    }

    /// Current rows, earlier versions, the fillers' earlier rows and tombstones: a first sync
    /// names each once, so its reads do not tell them apart; and it takes in every version.
    func testAFirstSyncNamesEveryRowOfTheVaultOnce() throws {
        let a = try machine("a"), c = try machine("c")
        let alice = try a.signUp("alice", "pw")
        let doc = try save(alice, "Doc", "v1")
        for text in ["v2", "v3"] { try save(alice, id: doc, "Doc", text) }
        try save(alice, "Plans", "monday")
        try alice.deleteOnion(try id(alice, "Plans"))
        alice.pushPending()
        _ = try alice.addTask(secret("call mom"))
        alice.pushPending()
        try logAskedNames()

        let onC = try c.logIn("alice", "pw")
        XCTAssertEqual(onC.issues, [])
        XCTAssertEqual(titles(onC), ["Doc"])
        XCTAssertEqual(try infos(onC, doc), ["v1", "v2", "v3"], "every version taken in")
        let trash = try onC.trash()
        XCTAssertEqual(trash.count, 1, "Plans, in the trash")
        onC.forget(trash)
        let asked = try database.adminQuery("SELECT name FROM onions.asked WHERE length(name) = 40")
        let names = (0..<asked.count).compactMap { asked.bytes($0, 0) }
        let held = try database.adminQuery("SELECT name FROM onions.records WHERE vault = $1 AND length(name) = 40",
                                           [.text(alice.vault.value)])
        let rows = Set((0..<held.count).compactMap { held.bytes($0, 0) })
        XCTAssertGreaterThan(rows.count, 20)
        XCTAssertEqual(names.count, Set(names).count, "no row asked twice")
        XCTAssertEqual(Set(names), rows, "every row asked")
    }
}
