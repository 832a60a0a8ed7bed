import Foundation
import OnionsCore
import OnionsCrypto
import XCTest

/// onions' own `export --plain` read back: every onion, card and task as the session had it.
final class PlainExportReaderTests: VaultTestCase {
    private func export(_ session: Session, cardPassword: String?) throws -> SecretBytes {
        var bytes: [UInt8] = []
        _ = try PlainExport.write(session, cardPassword: cardPassword.map(secret)) { bytes += $0 }
        return secret(bytes: bytes)
    }

    func testEveryOnionCardAndTaskComesBackAsExported() throws {
        let session = try signUp()
        try saveOnion(session, title: "Quote \" and \\ 家", info: "p4ss\nuser name: alice\n\ttab 👍🏽 \\u0000")
        try saveOnion(session, title: "Empty", info: "")
        try saveCard(session, to: "Ann", description: "a scarf\n家", password: "snow")
        try saveCard(session, to: "Bo", description: "a book", password: "rain")
        _ = try session.addTask(secret("buy \"milk\""))
        let done = try session.addTask(secret("call"))
        try session.setTask(done, done: true)

        let contents = try PlainExportReader.read(try export(session, cardPassword: "snow"))
        defer { contents.wipe() }
        XCTAssertEqual(contents.onions.map { [$0.title.testText, $0.info().testText] },
                       try session.onions.map { [session.title($0), text(try session.info(of: $0.id))] })
        XCTAssertEqual(contents.onions.map { "\($0.created ?? -1) \($0.changed ?? -1)" },
                       session.onions.map { "\($0.created) \($0.modified)" })
        XCTAssertTrue(contents.onions.allSatisfy { $0.folder.isEmpty && $0.fields.isEmpty && $0.otp == nil })
        let descriptions = ["Ann": "a scarf\n家", "Bo": "(sealed)"]
        XCTAssertEqual(contents.cards.map { "\($0.recipient.testText) \($0.created) \($0.description?.testText ?? "(sealed)")" },
                       session.cards.map { card -> String in
                           let recipient = session.texts.string(card.recipient)
                           return "\(recipient) \(card.created) \(descriptions[recipient]!)"
                       })
        XCTAssertEqual(contents.cards.count, 2)
        XCTAssertEqual(contents.tasks.map { "\($0.id) \($0.done) \($0.text.testText)" },
                       session.tasks.map { "\($0.id) \($0.done) \(session.texts.string($0.text))" })
        XCTAssertEqual(contents.tasks.count, 2)
        XCTAssertEqual(contents.damagedInfos, 0)
    }

    func testACutFileOrAnotherVersionIsRefused() throws {
        let session = try signUp()
        try saveOnion(session, title: "One", info: "secret")
        let whole = try export(session, cardPassword: nil).testText
        XCTAssertThrowsError(try PlainExportReader.read(secret(String(whole.prefix(whole.count - 20))))) {
            guard case .damaged = $0 as? ImportError else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try PlainExportReader.read(secret(whole.replacingOccurrences(of: "\"version\": 1", with: "\"version\": 2")))) {
            guard case .unsupported = $0 as? ImportError else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try PlainExportReader.read(secret(whole.replacingOccurrences(of: "\"info\": ", with: "\"inf\": ")))) {
            guard case .damaged = $0 as? ImportError else { return XCTFail("\($0)") }
        }
    }
}
