import OnionsCore
import OnionsCrypto
import XCTest

/// A sealed draft survives lock and log in; lock wipes the session and refuses every call.
final class DraftAndLockTests: VaultTestCase {
    func testADraftOfANewOnionSurvivesLockAndLogIn() throws {
        let session = try signUp()
        try session.saveDraft(Draft(target: nil, title: secret("half a tit"), info: secret("half an\ninfo")))
        session.lock()
        let reopened = try logIn()
        let draft = try XCTUnwrap(reopened.draft)
        XCTAssertNil(draft.target)
        XCTAssertEqual(text(draft.title), "half a tit")
        XCTAssertEqual(text(draft.info), "half an\ninfo")
        XCTAssertTrue(reopened.onions.isEmpty, "a draft is not an onion")
        XCTAssertTrue(reopened.issues.isEmpty, "\(reopened.issues)")
    }

    func testADraftOfAnEditNamesTheOnionItEdits() throws {
        let session = try signUp()
        let id = try saveOnion(session, title: "Groceries", info: "milk")
        try session.saveDraft(Draft(target: id, title: secret("Groceries"), info: secret("milk, eggs")))
        session.lock()
        let reopened = try logIn()
        XCTAssertEqual(reopened.draft?.target, id)
        XCTAssertEqual(reopened.draft.map { text($0.info) }, "milk, eggs")
        XCTAssertEqual(text(try reopened.info(of: id)), "milk", "the saved onion is unchanged")
    }

    func testALaterDraftReplacesAnEarlierOne() throws {
        let session = try signUp()
        try session.saveDraft(Draft(target: nil, title: secret("first"), info: secret("")))
        try session.saveDraft(Draft(target: nil, title: secret("second"), info: secret("")))
        let reopened = try logIn()  // held: a session wipes its draft when it goes away
        XCTAssertEqual(reopened.draft.map { text($0.title) }, "second")
    }

    func testAClearedDraftIsGoneAfterLogIn() throws {
        let session = try signUp()
        try session.saveDraft(Draft(target: nil, title: secret("scrap"), info: secret("")))
        session.lock()
        let reopened = try logIn()
        XCTAssertNotNil(reopened.draft)
        try reopened.clearDraft()
        XCTAssertNil(reopened.draft)
        reopened.lock()
        let again = try logIn()
        XCTAssertNil(again.draft)
        XCTAssertTrue(again.issues.isEmpty, "\(again.issues)")
    }

    func testADraftCanBeSealedAgainAfterOneWasClearedInAnEarlierSession() throws {
        let session = try signUp()
        try session.saveDraft(Draft(target: nil, title: secret("first"), info: secret("")))
        try session.clearDraft()
        session.lock()
        let reopened = try logIn()
        try reopened.saveDraft(Draft(target: nil, title: secret("second"), info: secret("")))
        reopened.lock()
        let again = try logIn()
        XCTAssertEqual(again.draft.map { text($0.title) }, "second")
    }

    func testWithoutADraftLogInRestoresNone() throws {
        _ = try signUp()
        XCTAssertNil(try logIn().draft)
    }

    func testLockForgetsEveryOnionCardTaskAndDraft() throws {
        let session = try signUp()
        try saveOnion(session, title: "Groceries", info: "milk")
        try saveCard(session, to: "Alice", description: "a scarf", password: "snow")
        try session.addTask(secret("buy milk"))
        try session.saveDraft(Draft(target: nil, title: secret("draft"), info: secret("")))
        session.lock()
        let restored = try logIn()
        let draft = try XCTUnwrap(restored.draft)
        XCTAssertFalse(restored.onions.isEmpty)
        restored.lock()
        XCTAssertTrue(restored.isLocked)
        XCTAssertTrue(restored.onions.isEmpty)
        XCTAssertTrue(restored.cards.isEmpty)
        XCTAssertTrue(restored.tasks.isEmpty)
        XCTAssertNil(restored.draft)
        for buffer in [draft.title, draft.info] {
            XCTAssertEqual(buffer.count, 0)
            buffer.withWholeMappingForTesting { XCTAssertTrue($0.allSatisfy { $0 == 0 }, "the draft was not wiped") }
        }
    }

    func testLockEmptiesTheTextTableSoNoOldHandleRemains() throws {
        let session = try signUp()
        for title in ["one", "two", "three"] { try saveOnion(session, title: title) }
        let handles = session.onions.map(\.title)
        XCTAssertEqual(Set(handles.map { session.texts.string($0) }), ["one", "two", "three"])
        session.lock()
        // A table that forgot every entry hands out its first handle again, with nothing around it.
        let probe = session.texts.add(UnsafeRawBufferPointer(start: nil, count: 0))
        XCTAssertEqual(probe, 0)
        XCTAssertEqual(session.texts.count(probe), 0)
    }

    func testEveryCallOfALockedSessionThrowsLocked() throws {
        let session = try signUp()
        let onion = try saveOnion(session, title: "Groceries")
        let card = try saveCard(session, to: "Alice", description: "x", password: "snow")
        try session.addTask(secret("task"))
        session.lock()
        session.lock()
        let calls: [(String, () throws -> Void)] = [
            ("info", { _ = try session.info(of: onion) }),
            ("saveOnion new", { try self.saveOnion(session, title: "new") }),
            ("saveOnion edit", { try self.saveOnion(session, id: onion, title: "edit") }),
            ("deleteOnion", { try session.deleteOnion(onion) }),
            ("saveCard", { try self.saveCard(session, to: "Bob", description: "", password: "pw") }),
            ("openCard", { _ = try session.openCard(card, password: self.secret("snow")) }),
            ("deleteCard", { try session.deleteCard(card) }),
            ("isVaultPassword", { _ = try session.isVaultPassword(self.secret("correct horse")) }),
            ("addTask", { try session.addTask(self.secret("t")) }),
            ("setTask", { try session.setTask(0, done: true) }),
            ("editTask", { try session.editTask(0, text: self.secret("t")) }),
            ("deleteTask", { try session.deleteTask(0) }),
            ("saveDraft", { try session.saveDraft(Draft(target: nil, title: self.secret("d"), info: self.secret(""))) }),
            ("clearDraft", { try session.clearDraft() }),
            ("changePassword", { try session.changePassword(to: self.secret("new"), kdf: self.cheap) }),
            ("deleteAccount", { try session.deleteAccount() }),
        ]
        let before = store.contents
        for (name, call) in calls {
            XCTAssertThrowsError(try call(), name) { XCTAssertEqual($0 as? VaultError, .locked, name) }
        }
        XCTAssertEqual(store.contents, before, "a locked session wrote to the store")
        XCTAssertEqual(titles(try logIn()), ["Groceries"])
    }
}
