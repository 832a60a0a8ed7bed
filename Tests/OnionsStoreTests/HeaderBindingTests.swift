// The chain binds the vault's header: a password change and a data key rotation write a
// commit that names the new header's hash, so a header put back or swapped outside the chain
// (in the SQLite file, or on the server with its role) is reported by name.

import Foundation
import OnionsCrypto
@testable import OnionsCore
@testable import OnionsStore
import XCTest

/// Whether `issues` hold the report of a header the head commit does not bind.
func namesAHeaderSwap(_ issues: [IntegrityIssue]) -> Bool {
    issues.contains { $0.kind == .history && $0.label.hasPrefix("the vault's header (its key derivation and wrapped key) ")
        && $0.description.contains("is not the one its latest save") }
}

/// In the SQLite file: the header from before a password change put back.
final class HeaderBindingFileTests: VaultFileTestCase {
    func testAnOlderHeaderPutBackAfterAPasswordChangeIsReported() throws {
        try olderHeaderPutBack(rotate: false)
    }

    func testAnOlderHeaderPutBackAfterAKeyRotationIsReported() throws {
        try olderHeaderPutBack(rotate: true)
    }

    private func olderHeaderPutBack(rotate: Bool) throws {
        let store = try openStore()
        let session = try signUp(store, "alice", password: "old password")
        try session.saveOnion(id: nil, title: secret("Groceries"), info: secret("milk"))
        let old = try XCTUnwrap(try store.header(vault: session.vault))
        let before = try XCTUnwrap(session.chain?.head)
        try session.changePassword(to: secret("new password"), kdf: cheap, rotate: rotate)
        let head = try XCTUnwrap(session.chain?.head)
        XCTAssertEqual(head.count, before.count + 1, "the change is a commit")
        XCTAssertEqual(session.chain?.graph[head.hash]?.headerHash, session.headerHash, "it binds the new header")
        XCTAssertNotEqual(session.headerHash, SHA256.hash(old.parameters + [0] + old.wrappedKey))
        session.lock()
        let control = try logIn(try openStore(), "alice", password: "new password")
        XCTAssertFalse(namesAHeaderSwap(control.issues), "\(control.issues)")
        control.lock()

        // Someone with the file and the old password puts the old header back.
        XCTAssertEqual(try rawSQL("UPDATE vault_headers SET parameters = ?1, wrapped_key = ?2, verifier = ?3",
                                  old.parameters, old.wrappedKey, old.verifier), 1)
        let reopened = try logIn(try openStore(), "alice", password: "old password")
        XCTAssertTrue(namesAHeaderSwap(reopened.issues), "\(reopened.issues)")
        // A new password binds a new header: the report ends.
        try reopened.changePassword(to: secret("third password"), kdf: cheap)
        XCTAssertFalse(namesAHeaderSwap(reopened.issues), "\(reopened.issues)")
        reopened.lock()
        XCTAssertFalse(namesAHeaderSwap(try logIn(try openStore(), "alice", password: "third password").issues))
    }
}

/// On the real server: the operator restores the header and role from before a password
/// change, so the old password works again there. Needs ONIONS_TEST_PG_URL and ONIONS_TEST_PG_LOG.
final class HeaderBindingServerTests: SyncTestCase {
    func testAHeaderAndRoleFromBeforeAPasswordChangeAreReportedByTheMachinesThatMeetThem() throws {
        let a = try machine("a"), b = try machine("b")
        let onA = try a.signUp("alice", "old password")
        try save(onA, "Groceries", "milk")
        let onB = try b.logIn("alice", "old password")
        XCTAssertEqual(titles(onB), ["Groceries"])
        _ = try database.adminQuery("DROP TABLE IF EXISTS public.saved_vaults")
        _ = try database.adminQuery("CREATE TABLE public.saved_vaults AS SELECT * FROM onions.vaults")
        try onA.changePassword(to: secret("new password"), kdf: ScryptParameters(logN: 10, r: 8, p: 1))
        let head = try XCTUnwrap(onA.chain?.head)
        XCTAssertEqual(try database.adminQuery("SELECT count(*) FROM onions.commits WHERE hash = $1",
                                               [.bytes(head.hash.bytes)]).integer(0, 0), 1, "the change was sent")
        let onD = try machine("d").logIn("alice", "new password")
        XCTAssertFalse(namesAHeaderSwap(onD.issues), "\(onD.issues)")

        // The operator puts back the header and the role from before the change.
        let oldRole = try XCTUnwrap(try database.adminQuery("SELECT role FROM public.saved_vaults").text(0, 0))
        _ = try database.adminQuery("""
            UPDATE onions.vaults v SET parameters = s.parameters, wrapped_key = s.wrapped_key, role = s.role
              FROM public.saved_vaults s WHERE v.vault = s.vault
            """)
        _ = try database.adminQuery("DELETE FROM onions.retired_roles WHERE role = $1", [.text(oldRole)])
        _ = try database.adminQuery("ALTER ROLE \"\(oldRole)\" LOGIN")
        _ = try database.adminQuery("GRANT onions_client TO \"\(oldRole)\"")

        // B, still on the old password, meets the change's commit at its next sync.
        let report = try onB.syncNow()
        XCTAssertTrue(namesAHeaderSwap(report.issues), "\(report.issues)")
        // A new machine that logs in with the old password is told too.
        let onC = try machine("c").logIn("alice", "old password")
        XCTAssertEqual(titles(onC), ["Groceries"])
        XCTAssertTrue(namesAHeaderSwap(onC.issues), "\(onC.issues)")
    }
}
