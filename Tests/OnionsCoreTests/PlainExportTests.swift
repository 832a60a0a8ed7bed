import Foundation
import OnionsCore
import OnionsCrypto
import XCTest

/// The plaintext export: the JSON layout, escapes that keep any text intact, cards sealed
/// without their password, a damaged info written as null, and a sink that refuses.
final class PlainExportTests: VaultTestCase {
    private struct Refused: Error {}

    /// The export's bytes and summary.
    private func export(_ session: Session, cardPassword: String? = nil) throws -> (String, PlainExport.Summary) {
        var bytes: [UInt8] = []
        let password = cardPassword.map(secret)
        defer { password?.wipe() }
        let summary = try PlainExport.write(session, cardPassword: password) { bytes += $0 }
        return (String(decoding: bytes, as: UTF8.self), summary)
    }

    private func object(_ json: String) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    }

    func testAnEmptyVaultIsTheHeaderAndThreeEmptyLists() throws {
        let (json, summary) = try export(try signUp())
        XCTAssertEqual(json, """
        {
          "format": "onions-plain",
          "version": 1,
          "onions": [],
          "cards": [],
          "tasks": []
        }

        """)
        XCTAssertEqual(summary, PlainExport.Summary())
    }

    func testEveryTextComesBackFromTheJSONAsItWasSaved() throws {
        let session = try signUp()
        let info = "say \"hi\" \\ to 家\nthen\ttab 👍🏽"
        try saveOnion(session, title: "Quote \" and \\", info: info)
        try saveOnion(session, title: "Second", info: "")
        _ = try session.addTask(secret("buy \"milk\""))
        let done = try session.addTask(secret("call"))
        try session.setTask(done, done: true)
        try saveCard(session, to: "Ann", description: "a scarf\n家", password: "snow")

        let (json, summary) = try export(session, cardPassword: "snow")
        XCTAssertTrue(json.contains(#""say \"hi\" \\ to 家\nthen\ttab 👍🏽""#), json)
        let top = try object(json)
        XCTAssertEqual(top["format"] as? String, "onions-plain")
        XCTAssertEqual(top["version"] as? Int, 1)
        let onions = try XCTUnwrap(top["onions"] as? [[String: Any]])
        XCTAssertEqual(Set(onions.compactMap { $0["title"] as? String }), ["Quote \" and \\", "Second"])
        XCTAssertEqual(onions.first { $0["title"] as? String == "Quote \" and \\" }?["info"] as? String, info)
        XCTAssertTrue(onions.allSatisfy { $0["created"] is Int && $0["modified"] is Int })
        let tasks = try XCTUnwrap(top["tasks"] as? [[String: Any]])
        XCTAssertEqual(tasks.compactMap { $0["text"] as? String }, ["buy \"milk\"", "call"])
        XCTAssertEqual(tasks.compactMap { $0["done"] as? Bool }, [false, true])
        let cards = try XCTUnwrap(top["cards"] as? [[String: Any]])
        XCTAssertEqual(cards.first?["recipient"] as? String, "Ann")
        XCTAssertEqual(cards.first?["description"] as? String, "a scarf\n家")
        XCTAssertNil(cards.first?["sealed"])
        XCTAssertEqual(summary, PlainExport.Summary(onions: 2, cards: 1, tasks: 2, openedCards: 1, damagedInfos: 0))
    }

    func testACardStaysSealedWithoutItsPasswordOrWithAnotherOne() throws {
        let session = try signUp()
        try saveCard(session, to: "Ann", description: "a scarf", password: "snow")
        try saveCard(session, to: "Bo", description: "a book", password: "rain")
        for password in [nil, "snow"] {
            let (json, summary) = try export(session, cardPassword: password)
            XCTAssertFalse(json.contains("a book"), json)
            let cards = try XCTUnwrap(try object(json)["cards"] as? [[String: Any]])
            let bo = try XCTUnwrap(cards.first { $0["recipient"] as? String == "Bo" })
            XCTAssertEqual(bo["sealed"] as? Bool, true)
            XCTAssertNil(bo["description"])
            XCTAssertEqual(summary.openedCards, password == nil ? 0 : 1)
        }
    }

    func testAnInfoThatDoesNotOpenIsNullAndMarkedDamaged() throws {
        let session = try signUp()
        let written = try recordsWritten(of: session) { try saveOnion(session, title: "Garden", info: "roses") }
        let info = try record(ofLength: SealedLength.large, in: written)
        session.lock()
        store.erase(vault: session.vault, name: info.name)
        let (json, summary) = try export(try logIn())
        XCTAssertTrue(json.contains(#"{"title": "Garden""#), json)
        XCTAssertTrue(json.contains(#""info": null, "damaged": true}"#), json)
        XCTAssertEqual(summary.damagedInfos, 1)
    }

    func testASinkThatRefusesStopsTheExport() throws {
        let session = try signUp()
        try saveOnion(session, title: "Garden", info: String(repeating: "roses ", count: 400))
        XCTAssertThrowsError(try PlainExport.write(session, cardPassword: nil) { _ in throw Refused() }) {
            XCTAssertTrue($0 is Refused)
        }
    }
}
