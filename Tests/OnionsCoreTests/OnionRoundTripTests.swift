import Foundation
@testable import OnionsCore
import OnionsCrypto
import XCTest

/// Onions survive a log in as they were saved, edited and deleted.
final class OnionRoundTripTests: VaultTestCase {
    func testASavedOnionReadsBackAfterLogIn() throws {
        let session = try signUp()
        let id = try saveOnion(session, title: "Groceries", info: "milk\neggs\n\u{5BB6}")
        session.lock()
        let reopened = try logIn()
        let onion = try XCTUnwrap(reopened.onions.first)
        XCTAssertEqual(reopened.onions.count, 1)
        XCTAssertEqual(onion.id, id)
        XCTAssertEqual(reopened.title(onion), "Groceries")
        XCTAssertEqual(text(try reopened.info(of: id)), "milk\neggs\n\u{5BB6}")
    }

    func testAnEmptyInfoReadsBackEmpty() throws {
        let session = try signUp()
        let id = try saveOnion(session, title: "just a title")
        XCTAssertEqual(try logIn().info(of: id).count, 0)
    }

    func testEditingAnOnionReplacesTitleAndInfoAndKeepsItsIdAndCreationTime() throws {
        let session = try signUp()
        let id = try saveOnion(session, title: "Groceries", info: "milk")
        let created = try XCTUnwrap(session.onions.first).created
        try saveOnion(session, id: id, title: "Shopping", info: "milk and bread")
        XCTAssertEqual(titles(session), ["Shopping"])
        let reopened = try logIn()
        XCTAssertEqual(reopened.onions.map(\.id), [id])
        XCTAssertEqual(titles(reopened), ["Shopping"])
        XCTAssertEqual(reopened.onions.first?.created, created)
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(reopened.onions.first).modified, created)
        XCTAssertEqual(text(try reopened.info(of: id)), "milk and bread")
        XCTAssertTrue(reopened.issues.isEmpty, "\(reopened.issues)")
    }

    func testEditingOneOnionLeavesTheOthersAlone() throws {
        let session = try signUp()
        let a = try saveOnion(session, title: "A", info: "first")
        let b = try saveOnion(session, title: "B", info: "second")
        try saveOnion(session, id: a, title: "A2", info: "first, edited")
        let reopened = try logIn()
        XCTAssertEqual(Set(titles(reopened)), ["A2", "B"])
        XCTAssertEqual(text(try reopened.info(of: a)), "first, edited")
        XCTAssertEqual(text(try reopened.info(of: b)), "second")
    }

    func testTheMostRecentlyChangedOnionComesFirst() throws {
        let session = try signUp()
        let a = try saveOnion(session, title: "A")
        try saveOnion(session, title: "B")
        XCTAssertEqual(titles(session), ["B", "A"])
        usleep(2_000)
        try saveOnion(session, id: a, title: "A edited")
        XCTAssertEqual(titles(session), ["A edited", "B"])
        XCTAssertEqual(titles(try logIn()), ["A edited", "B"])
    }

    func testADeletedOnionIsGoneAfterLogInAndItsInfoNoLongerOpens() throws {
        let session = try signUp()
        let doomed = try saveOnion(session, title: "doomed", info: "secret")
        try saveOnion(session, title: "kept", info: "kept info")
        try session.deleteOnion(doomed)
        XCTAssertEqual(titles(session), ["kept"])
        assertThrows(.noSuchItem("onion with that id")) { try session.info(of: doomed) }
        let reopened = try logIn()
        XCTAssertEqual(titles(reopened), ["kept"])
        assertThrows(.noSuchItem("onion with that id")) { try reopened.info(of: doomed) }
        XCTAssertTrue(reopened.issues.isEmpty, "\(reopened.issues)")
        let fillers = fillerNames(session).union([session.keys.name(.taskCounter)])
        XCTAssertEqual(try store.records(vault: session.vault).filter {
            !SealedLength.isManifest($0.blob) && !fillers.contains($0.name) && $0.blob.count != 2_078
        }.count, 2, "kept title and kept info, besides the manifest, the fillers, the task counter and the head record")
    }

    func testSavingOrDeletingAnUnknownIdIsRefused() throws {
        let session = try signUp()
        let stranger = ItemID.random()
        assertThrows(.noSuchItem("onion with that id")) { try saveOnion(session, id: stranger, title: "x") }
        assertThrows(.noSuchItem("onion with that id")) { try session.deleteOnion(stranger) }
        assertThrows(.noSuchItem("onion with that id")) { try session.info(of: stranger) }
    }

    func testFilteringMatchesTitlesWithoutCaseForASCII() throws {
        let session = try signUp()
        try saveOnion(session, title: "Groceries")
        try saveOnion(session, title: "Garden")
        try saveOnion(session, title: "Books")
        XCTAssertEqual(session.filterOnions(Array("gR".utf8)).map { session.title($0) }, ["Groceries"])
        XCTAssertEqual(Set(session.filterOnions(Array("g".utf8)).map { session.title($0) }), ["Groceries", "Garden"])
        XCTAssertEqual(session.filterOnions([]).count, 3)
        XCTAssertTrue(session.filterOnions(Array("zz".utf8)).isEmpty)
    }
}
