@testable import OnionsCore
import OnionsCrypto
import XCTest

/// The planner decides from a snapshot alone: these build the snapshot by hand, with no store
/// at all, and read the plan.
final class SyncPlannerTests: XCTestCase {
    let vault = VaultID("planner-test-vault")
    var sealer: RecordSealer!
    var sequence: Int64 = 0

    override func setUpWithError() throws {
        sealer = RecordSealer(vault: vault, keys: try DataKeys(dataKey: SecretBytes(copying: Array(repeating: 7, count: 32))))
    }

    func secret(_ text: String) -> SecretBytes { SecretBytes(copying: Array(text.utf8)) }
    func name(_ key: LogicalKey) -> RecordName { sealer.keys.name(key) }

    func sealed(_ key: LogicalKey, _ payload: SecretBytes, version: UInt64, sizeClass: SizeClass = .small) throws
        -> StoredRecord {
        sequence += 1
        return StoredRecord(name: name(key), version: version,
                            blob: try sealer.seal(payload, name: name(key), version: version, sizeClass: sizeClass),
                            deleted: false, sequence: sequence)
    }

    func task(_ id: UInt16, _ text: String, version: UInt64) throws -> StoredRecord {
        try sealed(.task(id), try RecordPayload.Task(id: id, done: false, text: secret(text)).encoded(), version: version)
    }

    /// A manifest listing `entries` (key, version, label), its record at `version`.
    func manifest(_ entries: [(LogicalKey, UInt64, String)], counter: UInt64, version: UInt64,
                  labels: SecretTable) throws -> (Manifest, StoredRecord) {
        var m = Manifest()
        m.counter = counter
        for (key, v, label) in entries { m.set(key, Manifest.Entry(version: v, label: labels.add(secret(label)), digest: nil)) }
        var root = m
        root.clearJournal()  // the root alone, listing no part: these tests write no parts
        return (m, try sealed(.manifest, try root.encodeRoot(labels: labels), version: version, sizeClass: .manifest))
    }

    /// Both machines changed `task_0` (and the counter) since a base at which the manifest was
    /// at version 1; `ancestor` is the task both last agreed on, if any.
    func bothChangedTask(local: String, remote: String, ancestor: String?) throws -> SyncSnapshot {
        var base = SyncBase()
        base.versions[name(.manifest)] = 1
        let taskVersion: UInt64 = ancestor == nil ? 1 : 2
        if ancestor != nil { base.versions[name(.task(0))] = 1; base.versions[name(.taskCounter)] = 1 }
        var s = SyncSnapshot(base: base, sequence: 0, localCounter: 2, now: 1_000)
        s.manifestsRead = true
        let localRecords = [try task(0, local, version: taskVersion),
                            try sealed(.taskCounter, try RecordPayload.taskCounter(1), version: taskVersion)]
        let remoteRecords = [try task(0, remote, version: taskVersion),
                             try sealed(.taskCounter, try RecordPayload.taskCounter(1), version: taskVersion)]
        let (lm, lmRecord) = try manifest([(.task(0), taskVersion, local), (.taskCounter, taskVersion, "")],
                                          counter: 2, version: 2, labels: s.labels)
        let (rm, rmRecord) = try manifest([(.task(0), taskVersion, remote), (.taskCounter, taskVersion, "")],
                                          counter: 2, version: 2, labels: s.labels)
        s.localManifest = lm
        s.remoteManifest = rm
        for record in localRecords + [lmRecord] {
            s.localRecords[record.name] = record
            s.localVersions[record.name] = RecordVersion(name: record.name, version: record.version, deleted: false)
        }
        for record in remoteRecords + [rmRecord] { s.remoteChanged[record.name] = record }
        if let ancestor { s.ancestors[name(.task(0))] = try task(0, ancestor, version: 1) }
        s.sequence = sequence
        return s
    }

    func testARecordChangedOnlyOnTheServerIsCopiedHereAsItIs() throws {
        var s = SyncSnapshot(base: SyncBase(), sequence: 0, localCounter: 0, now: 1_000)
        s.manifestsRead = true
        let record = try task(0, "buy milk", version: 1)
        let (m, mRecord) = try manifest([(.task(0), 1, "buy milk")], counter: 1, version: 1, labels: s.labels)
        s.remoteManifest = m
        s.remoteChanged = [record.name: record, mRecord.name: mRecord]
        s.sequence = sequence
        defer { s.wipe() }

        let plan = try SyncPlanner.plan(s, sealer: sealer)
        XCTAssertEqual(plan.remoteWrites, [])
        XCTAssertEqual(plan.localWrites, [.put(name: record.name, blob: record.blob, expectedVersion: 0),
                                          .put(name: mRecord.name, blob: mRecord.blob, expectedVersion: 0)],
                       "the same blobs at the same versions, the manifest last")
        XCTAssertEqual(plan.report.pulled, 1)
        XCTAssertEqual(plan.base.versions[record.name], 1)
        XCTAssertEqual(plan.base.sequence, sequence)
    }

    func testAServerRecordItsManifestDoesNotListIsLeftOut() throws {
        var s = SyncSnapshot(base: SyncBase(), sequence: 0, localCounter: 0, now: 1_000)
        s.manifestsRead = true
        let listed = try task(0, "listed", version: 1)
        let injected = try task(1, "injected", version: 1)
        let (m, mRecord) = try manifest([(.task(0), 1, "listed")], counter: 1, version: 1, labels: s.labels)
        s.remoteManifest = m
        s.remoteChanged = [listed.name: listed, injected.name: injected, mRecord.name: mRecord]
        defer { s.wipe() }

        let plan = try SyncPlanner.plan(s, sealer: sealer)
        XCTAssertFalse(plan.localWrites.contains { $0.name == injected.name })
        XCTAssertTrue(plan.localWrites.contains { $0.name == listed.name })
        XCTAssertEqual(plan.report.issues, [IntegrityIssue(kind: .unlisted(count: 1), label: "records")])
    }

    func testTasksAddedOnBothUnderOneNumberRenumberThisMachines() throws {
        let s = try bothChangedTask(local: "mine", remote: "theirs", ancestor: nil)
        defer { s.wipe() }
        let plan = try SyncPlanner.plan(s, sealer: sealer)
        XCTAssertEqual(plan.report.renumbered,
                       ["task 'mine' was added on both machines as number 0; this machine's is now number 1"])
        XCTAssertEqual(plan.report.conflicts, [])
        XCTAssertTrue(plan.localWrites.contains { $0.name == name(.task(1)) }, "the moved task is written here")
        XCTAssertTrue(plan.pushesHeld && plan.remoteWrites.isEmpty, "the server's changes are taken in first")
        XCTAssertEqual(plan.base.versions[name(.task(1))], 0,
                       "and the moved task stays in the outbox (its base is the server's: none), for the next round")
    }

    func testATaskChangedOnBothIsKeptAsAConflictCopy() throws {
        let s = try bothChangedTask(local: "mine", remote: "theirs", ancestor: "ours")
        defer { s.wipe() }
        let plan = try SyncPlanner.plan(s, sealer: sealer)
        XCTAssertEqual(plan.report.conflicts, ["task 'mine' was changed on both machines; this machine's version "
            + "is kept as task 1 'mine (conflict 2)'"])
        XCTAssertEqual(plan.report.renumbered, [])
    }
}
