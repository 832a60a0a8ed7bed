import OnionsCore
import OnionsCrypto
import XCTest

/// `addOnions` saves many new onions as one save that leaves the vault as single saves would.
final class NewOnionsTests: VaultTestCase {
    private func batch(_ texts: [(String, String)]) -> [Session.NewOnion] {
        texts.map { Session.NewOnion(title: secret($0.0), info: secret($0.1)) }
    }

    func testABatchIsOneSaveThatLogsInCleanWithEveryOnion() throws {
        let session = try signUp()
        try saveOnion(session, title: "Before", info: "first")
        XCTAssertEqual(session.searchOnions(Array("milk".utf8)), [])
        let counter = session.vaultCounter
        let ids = try session.addOnions(batch([("Groceries", "milk"), ("Garden", "roses"), ("Books", "a milk saga")]))
        XCTAssertEqual(session.vaultCounter, counter + 1)
        XCTAssertEqual(titles(session), ["Books", "Garden", "Groceries", "Before"])
        XCTAssertEqual(Set(session.searchOnions(Array("milk".utf8)).map { session.title($0) }), ["Groceries", "Books"])
        session.lock()

        let reopened = try logIn()
        XCTAssertTrue(reopened.issues.isEmpty, "\(reopened.issues)")
        XCTAssertEqual(Set(titles(reopened)), ["Books", "Garden", "Groceries", "Before"])
        XCTAssertEqual(text(try reopened.info(of: ids[1])), "roses")
        XCTAssertEqual(Set(reopened.searchOnions(Array("milk".utf8)).map { reopened.title($0) }), ["Groceries", "Books"])
    }

    func testABatchWithATextOverItsLimitWritesNothing() throws {
        let session = try signUp()
        try saveOnion(session, title: "Before", info: "first")
        let stored = store.contents
        let tooLong = String(repeating: "x", count: 31)
        XCTAssertThrowsError(try session.addOnions(batch([("Fine", "ok"), (tooLong, "info")])))
        XCTAssertEqual(store.contents, stored)
        XCTAssertEqual(titles(session), ["Before"])
    }
}
