@testable import OnionsCore
import OnionsCrypto
import XCTest

/// A version that meets a commit of a later format (written by a newer onions) says it needs a
/// newer version, naming what, and writes nothing over it: not on the server, not here.
final class NewerFormatTests: MemorySyncTestCase {
    /// `commit` sealed as a later version would: its payload's format byte `payloadFormat`, the
    /// blob's format byte `blobFormat`.
    private func laterCommit(_ session: Session, _ commit: Commit, payloadFormat: UInt8 = Commit.format,
                             blobFormat: UInt8 = CommitSealer.format) throws -> [UInt8] {
        var payload = try commit.encoded()
        payload[1] = payloadFormat
        var plain = bigEndian(UInt32(payload.count)) + payload
        plain += [UInt8](repeating: 0, count: CommitSealer.padded - plain.count)
        let sealed = try session.withCommitSealer { sealer in
            try plain.withUnsafeBytes { try AES.GCM.seal($0, using: sealer.key, authenticating: CommitSealer.aad(vault: session.vault)) }
        }
        return [blobFormat, CommitSealer.sizeClass] + sealed
    }

    /// The commit that would follow `session`'s head.
    private func next(_ session: Session) throws -> Commit {
        let head = try XCTUnwrap(session.chain?.head)
        let current = try XCTUnwrap(session.chain?.graph[head.hash])
        return Commit(count: head.count + 1, time: current.time + 1, machine: MachineID(SecureRandom.bytes(16))!,
                      headerHash: session.headerHash, parents: [head], accepted: nil, known: [:],
                      manifestName: current.manifestName, manifestDigest: current.manifestDigest)
    }

    func testASyncThatMeetsACommitOfALaterFormatStopsAndNamesIt() throws {
        try laterOnServer(payloadFormat: Commit.format + 1, blobFormat: CommitSealer.format,
                          named: "a commit of format 2 (this version reads 1) on the server")
    }

    func testASyncThatMeetsACommitSealedInALaterFormatStopsAndNamesIt() throws {
        try laterOnServer(payloadFormat: Commit.format, blobFormat: CommitSealer.format + 1,
                          named: "a commit sealed in format 3 (this version reads 2) on the server")
    }

    /// A newer machine saved (its head record and commit on the server); B, running this
    /// version, saves and syncs: it says what it needs, and the newer head stays.
    private func laterOnServer(payloadFormat: UInt8, blobFormat: UInt8, named: String) throws {
        let (onA, onB) = try twoMachines { try self.save($0, "one", "1\n") }
        XCTAssertEqual(try onB.syncNow().issues, [])
        let vault = onA.vault
        let blob = try laterCommit(onA, try next(onA), payloadFormat: payloadFormat, blobFormat: blobFormat)
        let head = try XCTUnwrap(try server.store.record(vault: vault, name: onA.chainHeadName))
        _ = try server.store.apply(vault: vault, writes: [.put(name: onA.chainHeadName, blob: blob,
                                                               expectedVersion: head.version)], commits: [blob])
        try save(onB, "two", "2\n")
        let report = try onB.syncNow()
        let refused = try XCTUnwrap(report.refused, "\(report.lines)")
        XCTAssertTrue(refused.contains("written by a newer version of onions"), refused)
        XCTAssertTrue(refused.contains(named), refused)
        XCTAssertFalse(report.issues.contains { $0.description.contains("do not open") }, "not taken for tampering")
        XCTAssertEqual(try server.store.record(vault: vault, name: onA.chainHeadName)?.blob, blob,
                       "the newer head is not written over")
        XCTAssertEqual(titles(onB), ["one", "two"], "this machine keeps working on its own")
    }

    /// A store that a newer version saved to (its head record is a later commit) does not open
    /// here: a save would write over that head.
    func testALaterHeadInThisMachinesStoreStopsTheLogIn() throws {
        let onA = try a.signUp("alice", "pw")
        try save(onA, "one", "1\n")
        let blob = try laterCommit(onA, try next(onA), payloadFormat: Commit.format + 1)
        let headName = onA.chainHeadName
        let head = try XCTUnwrap(try a.store.record(vault: onA.vault, name: headName))
        _ = try a.store.apply(vault: onA.vault, writes: [.put(name: headName, blob: blob,
                                                          expectedVersion: head.version)], commits: [blob])
        onA.lock()
        XCTAssertThrowsError(try a.logIn("alice", "pw")) { error in
            XCTAssertEqual(error as? VaultError, .needsNewerVersion("a commit of format 2 (this version reads 1)"))
            XCTAssertTrue("\(error)".contains("written by a newer version of onions"), "\(error)")
        }
        XCTAssertEqual(try a.store.record(vault: onA.vault, name: headName)?.blob, blob)
    }
}
