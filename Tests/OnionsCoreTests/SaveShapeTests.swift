@testable import OnionsCore
import OnionsCrypto
import XCTest

/// Every save has one shape in the store, whatever was saved: the same count of small and large
/// puts, of tombstones, of manifest parts and one root, in the same order of kinds.
final class SaveShapeTests: VaultTestCase {
    /// What one save wrote, write by write: `small`, `large`, `tombstone`, `part` or `root`.
    private func shape(of batch: [RecordWrite], root: RecordName) -> [String] {
        batch.map { write in
            switch write {
            case .delete: return "tombstone"
            case .put(let name, let blob, _, _):
                if name == root { return "root" }
                if blob.count == SealedLength.commit && blob[1] == 4 { return "head" }
                switch SizeClass(rawValue: blob[1]) {
                case .small?: return "small"
                case .large?: return "large"
                case .manifest?: return "part"
                case nil: return "unknown"
                }
            }
        }
    }

    func testEverySaveWritesTheSameShape() throws {
        let counting = WriteCountingStore(store)
        let session = try signUp(in: counting)
        let root = session.keys.name(.manifest)
        let onion = try saveOnion(session, title: "Groceries", info: "eggs")
        let spare = try saveOnion(session, title: "Spare", info: "")
        let task = try session.addTask(secret("call mum"))
        let other = try session.addTask(secret("water plants"))
        try session.moveTask(other, by: -1)
        let card = try saveCard(session, to: "Alice", description: "a scarf", password: "card pass")

        let saves: [(String, () throws -> Void)] = [
            ("new onion", { _ = try self.saveOnion(session, title: "New", info: "text") }),
            ("edit title only", { _ = try self.saveOnion(session, id: onion, title: "Groceries!", info: "eggs") }),
            ("edit info only", { _ = try self.saveOnion(session, id: onion, title: "Groceries!", info: "eggs\nmilk") }),
            ("delete onion", { try session.deleteOnion(spare) }),
            ("new task", { _ = try session.addTask(self.secret("buy bread")) }),
            ("task done", { try session.setTask(task, done: true) }),
            ("edit task", { try session.editTask(task, text: self.secret("call dad")) }),
            ("delete task in the task order", { try session.deleteTask(other) }),
            ("delete task", { try session.deleteTask(task) }),
            ("new card", { _ = try self.saveCard(session, to: "Bob", description: "socks", password: "card pass") }),
            ("delete card", { try session.deleteCard(card) }),
            ("settings: pin", { try session.setPinned(onion, true) }),
            ("settings: order", { try session.setListOrder(.title) }),
            ("draft", { try session.saveDraft(Draft(target: nil, title: self.secret("half"), info: self.secret("way"))) }),
            ("draft cleared", { try session.clearDraft() }),
        ]
        var shapes: [String: [String]] = [:]
        for (what, save) in saves {
            counting.reset()
            try save()
            XCTAssertEqual(counting.batches.count, 1, what)
            shapes[what] = shape(of: counting.batches[0], root: root)
        }
        let expected = Array(repeating: "small", count: SaveShape.smallPuts)
            + Array(repeating: "large", count: SaveShape.largePuts)
            + Array(repeating: "tombstone", count: SaveShape.tombstones)
            + Array(repeating: "part", count: SaveShape.parts) + ["root", "head"]
        for (what, shape) in shapes.sorted(by: { $0.key < $1.key }) {
            XCTAssertEqual(shape, expected, what)
        }

        // The fillers hold nothing: a log in shows what was saved, and reports nothing.
        session.lock()
        let reopened = try logIn(in: counting)
        XCTAssertTrue(reopened.issues.isEmpty, "\(reopened.issues)")
        XCTAssertEqual(Set(titles(reopened)), ["Groceries!", "New"])
        XCTAssertEqual(taskTexts(reopened), [2: "buy bread"])
        XCTAssertEqual(recipients(reopened), ["Bob"])
        XCTAssertNil(reopened.draft)
    }

    func testCompanionKeysReadBackStrictly() {
        let id = ItemID(bytes: Array(0..<16))
        for key in [LogicalKey.taskBody(0), .taskBody(17), .taskBody(65535), .cardHead(id)] {
            XCTAssertEqual(LogicalKey(text: key.text), key, key.text)
            XCTAssertTrue(key.isCompanion)
            key.withText { XCTAssertEqual(String(decoding: $0, as: UTF8.self), key.text) }
        }
        XCTAssertEqual(LogicalKey.taskBody(17).text, "task_17/body")
        XCTAssertEqual(LogicalKey.cardHead(id).text, "card/000102030405060708090a0b0c0d0e0f/head")
        XCTAssertEqual(LogicalKey.task(3).companion, .taskBody(3))
        XCTAssertEqual(LogicalKey.card(id).companion, .cardHead(id))
        for count in [16, 32, 64, 128, 256] {
            XCTAssertEqual(Manifest.part(of: .taskBody(300), partCount: count), Manifest.part(of: .task(300), partCount: count))
            XCTAssertEqual(Manifest.part(of: .cardHead(id), partCount: count), Manifest.part(of: .card(id), partCount: count))
        }
        for text in ["task_07/body", "task_/body", "task_65536/body", "task_1/Body", "task_1/body/", "task_1body",
                     "card/000102030405060708090a0b0c0d0e0f/heads", "card/000102030405060708090A0B0C0D0E0F/head",
                     "/body", "card//head"] {
            XCTAssertNil(LogicalKey(text: text), text)
        }
    }

    func testFillerKeysReadBackAndNothingElseInTheirNamespace() {
        for key in SaveShape.fillers {
            XCTAssertEqual(LogicalKey(text: key.text), key, key.text)
        }
        XCTAssertEqual(SaveShape.fillers.map(\.text).sorted(),
                       ["noise/gone/0", "noise/gone/1", "noise/large/0", "noise/small/0", "noise/small/1"])
        for text in ["noise/small/2", "noise/large/1", "noise/gone/2", "noise/small/00", "noise/small/", "noise/tiny/0",
                     "noise/small/-1"] {
            XCTAssertNil(LogicalKey(text: text), text)
        }
    }
}
