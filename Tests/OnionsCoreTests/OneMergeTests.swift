import OnionsCore
import OnionsCrypto
import XCTest

/// One merge for both ways two versions of an item meet: the same base and the same two edits
/// give the same items whether the other version came from another machine (a sync) or from
/// another writer of the same store (a save made since its base). "Theirs" is the version that
/// got there first (A's, which reaches the server first; the other writer's, committed first),
/// "mine" the one that meets it.
final class OneMergeTests: MemorySyncTestCase {
    private struct Onion {
        var title: String
        var info: String
    }

    /// Both ways, checked to agree; returns the onions they end with.
    private func merged(base: Onion, theirs: Onion, mine: Onion, besides: [Onion] = [],
                        file: StaticString = #filePath, line: UInt = #line) throws -> [String] {
        let synced = try throughSync(base: base, theirs: theirs, mine: mine, besides: besides)
        let peer = try throughPeer(base: base, theirs: theirs, mine: mine, besides: besides)
        XCTAssertEqual(synced, peer, "sync and a save after another writer merge alike", file: file, line: line)
        return synced
    }

    private func throughSync(base: Onion, theirs: Onion, mine: Onion, besides: [Onion]) throws -> [String] {
        let (onA, onB) = try twoMachines { session in
            for onion in besides + [base] { try self.save(session, onion.title, onion.info) }
            session.pushPending()
        }
        try apart(onA, onB,
                  a: { try self.edit($0, base.title, title: theirs.title, info: theirs.info) },
                  b: { try self.edit($0, base.title, title: mine.title, info: mine.info) })
        XCTAssertEqual(try onions(onA), try onions(onB))
        return try onions(onB)
    }

    /// Two writers of one store on machine B: the other saves theirs after this one opened its
    /// editor on the base; this one then saves mine since that base.
    private func throughPeer(base: Onion, theirs: Onion, mine: Onion, besides: [Onion]) throws -> [String] {
        let this = try Session.signUp(store: b.store, username: "bob", password: secret("pw"), kdf: MemoryMachine.cheap,
                                      stateDirectory: b.stateDirectory)
        defer { this.lock() }
        for onion in besides { try save(this, onion.title, onion.info) }
        let id = try save(this, base.title, base.info)
        let other = try Session.logIn(store: b.store, username: "bob", password: secret("pw"),
                                      stateDirectory: b.stateDirectory)
        defer { other.lock() }
        let editBase = try XCTUnwrap(this.editBase(of: id, info: secret(base.info)))
        defer { editBase.wipe() }
        try save(other, id: id, theirs.title, theirs.info)
        _ = try this.saveOnion(id: id, title: secret(mine.title), info: secret(mine.info), since: editBase)
        return try onions(this)
    }

    func testEditsOfLinesApartMergeAlike() throws {
        let base = Onion(title: "Groceries", info: "milk\neggs\nbread\nbutter\n")
        XCTAssertEqual(try merged(base: base, theirs: Onion(title: "Groceries", info: "oat milk\neggs\nbread\nbutter\n"),
                                  mine: Onion(title: "Groceries", info: "milk\neggs\nbread\nsalted butter\n")),
                       ["Groceries: oat milk\neggs\nbread\nsalted butter\n"])
    }

    func testEditsOfOneLineKeepMineAsTheSameConflictCopy() throws {
        let base = Onion(title: "Groceries", info: "milk\neggs\n")
        XCTAssertEqual(try merged(base: base, theirs: Onion(title: "Groceries", info: "oat milk\neggs\n"),
                                  mine: Onion(title: "Groceries", info: "soy milk\neggs\n")),
                       ["Groceries: oat milk\neggs\n", "Groceries (conflict 2): soy milk\neggs\n"])
    }

    func testATitleChangedOnOneSideAndTheInfoOnTheOtherMergeAlike() throws {
        let base = Onion(title: "Groceries", info: "milk\n")
        XCTAssertEqual(try merged(base: base, theirs: Onion(title: "Shopping", info: "milk\n"),
                                  mine: Onion(title: "Groceries", info: "milk\ntea\n")),
                       ["Shopping: milk\ntea\n"])
    }

    func testTitlesChangedOnBothSidesKeepMineAsACopyNamedByOneRule() throws {
        let base = Onion(title: "Groceries", info: "milk\n")
        // A copy of the name is taken already: both ways pick the next free number.
        let taken = Onion(title: "Market (conflict 2)", info: "old\n")
        XCTAssertEqual(try merged(base: base, theirs: Onion(title: "Shopping", info: "milk\n"),
                                  mine: Onion(title: "Market", info: "milk\n"), besides: [taken]),
                       ["Market (conflict 2): old\n", "Market (conflict 3): milk\n", "Shopping: milk\n"])
    }

    func testTheSameEditOnBothSidesIsOneOnion() throws {
        let base = Onion(title: "Groceries", info: "milk\n")
        let both = Onion(title: "Groceries", info: "milk\neggs\n")
        XCTAssertEqual(try merged(base: base, theirs: both, mine: both), ["Groceries: milk\neggs\n"])
    }

    // MARK: Tasks

    private struct Task {
        var text: String
        var done: Bool
    }

    private func mergedTasks(base: String, theirs: Task, mine: Task,
                             file: StaticString = #filePath, line: UInt = #line) throws -> [String] {
        // Through sync.
        let (onA, onB) = try twoMachines { session in
            _ = try session.addTask(self.secret(base))
            session.pushPending()
        }
        func change(_ session: Session, _ task: Task) throws {
            if task.text != base { try session.editTask(0, text: secret(task.text)) }
            if task.done { try session.setTask(0, done: true) }
        }
        try apart(onA, onB, a: { try change($0, theirs) }, b: { try change($0, mine) })
        let synced = tasks(onB)
        XCTAssertEqual(tasks(onA), synced)
        // Through another writer of the same store.
        let this = try Session.signUp(store: b.store, username: "bob", password: secret("pw"), kdf: MemoryMachine.cheap,
                                      stateDirectory: b.stateDirectory)
        defer { this.lock() }
        _ = try this.addTask(secret(base))
        let other = try Session.logIn(store: b.store, username: "bob", password: secret("pw"),
                                      stateDirectory: b.stateDirectory)
        defer { other.lock() }
        let taskBase = try XCTUnwrap(this.taskBase(of: 0))
        try change(other, theirs)
        _ = try this.saveTask(text: mine.text == base ? nil : secret(mine.text), done: mine.done ? true : nil,
                              since: taskBase)
        XCTAssertEqual(synced, tasks(this), "sync and a save after another writer merge alike", file: file, line: line)
        return synced
    }

    func testATaskEditedOnOneSideAndDoneOnTheOtherMergesAlike() throws {
        XCTAssertEqual(try mergedTasks(base: "call mom", theirs: Task(text: "call mom at six", done: false),
                                       mine: Task(text: "call mom", done: true)),
                       ["0 call mom at six done"])
    }

    func testATaskEditedDifferentlyOnBothSidesKeepsMineAsTheSameCopy() throws {
        XCTAssertEqual(try mergedTasks(base: "call mom", theirs: Task(text: "call dad", done: false),
                                       mine: Task(text: "call mum", done: false)),
                       ["0 call dad", "1 call mum (conflict 2)"])
    }

    // MARK: Settings

    func testPinsMadeOnBothSidesMergeAlike() throws {
        // Through sync.
        var ids: [ItemID] = []
        let (onA, onB) = try twoMachines { session in
            ids = [try self.save(session, "First", "1"), try self.save(session, "Second", "2"),
                   try self.save(session, "Third", "3")]
        }
        try apart(onA, onB, a: { try $0.setPinned(ids[0], true) }, b: { try $0.setPinned(ids[1], true) })
        XCTAssertEqual(onA.settings.pinned, onB.settings.pinned)
        let synced = onB.settings.pinned
        // Through another writer of the same store: this one pins while the other's pin is unseen.
        let this = try Session.signUp(store: b.store, username: "bob", password: secret("pw"), kdf: MemoryMachine.cheap,
                                      stateDirectory: b.stateDirectory)
        defer { this.lock() }
        let mine = [try save(this, "First", "1"), try save(this, "Second", "2"), try save(this, "Third", "3")]
        let other = try Session.logIn(store: b.store, username: "bob", password: secret("pw"),
                                      stateDirectory: b.stateDirectory)
        defer { other.lock() }
        try other.setPinned(mine[0], true)
        try this.setPinned(mine[1], true)
        XCTAssertEqual(synced, [ids[0], ids[1]])
        XCTAssertEqual(this.settings.pinned, [mine[0], mine[1]], "sync and a save after another writer merge alike")
    }
}
