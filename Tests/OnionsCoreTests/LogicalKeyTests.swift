@testable import OnionsCore
import OnionsCrypto
import XCTest

/// The logical key's text is what record names are computed from: it must not drift, and
/// nothing but what it writes may parse.
final class LogicalKeyTests: XCTestCase {
    let id = ItemID(bytes: Array(0..<16).map { UInt8($0 * 17) })
    let hex = "00112233445566778899aabbccddeeff"

    var everyKind: [LogicalKey] {
        [.onionTitle(id), .onionInfo(id), .card(id), .task(0), .task(17), .task(UInt16.max),
         .taskCounter, .draft(nil), .draft(MachineID(id.bytes)), .manifest, .settings]
    }

    /// The heads of a draft and of the settings (their companions, FORMAT.md section 5).
    var heads: [LogicalKey] { [.draftHead(nil), .draftHead(MachineID(id.bytes)), .settingsHead] }

    func testTheHeadsOfADraftAndOfTheSettingsHaveTheirOwnTextAndParseBack() {
        XCTAssertEqual(heads.map(\.text), ["draft/head", "draft/\(hex)/head", "settings/head"])
        for key in heads {
            XCTAssertEqual(LogicalKey(text: key.text), key, key.text)
            XCTAssertEqual(key.withText { Array($0) }, Array(key.text.utf8), key.text)
            XCTAssertTrue(key.isCompanion && key.isSmallCompanion, key.text)
            XCTAssertEqual(Manifest.part(of: key, partCount: 64), 0, key.text)
        }
        XCTAssertEqual(LogicalKey.draft(nil).companion, .draftHead(nil))
        XCTAssertEqual(LogicalKey.draft(MachineID(id.bytes)).companion, .draftHead(MachineID(id.bytes)))
        XCTAssertEqual(LogicalKey.settings.companion, .settingsHead)
        for text in ["draft/head/", "draft//head", "draft/\(hex.dropLast())/head", "draft/\(hex)/Head", "settings/head/",
                     "settings/", "draft/\(hex)/head/head", "settings/heads"] {
            XCTAssertNil(LogicalKey(text: text), text)
        }
    }

    func testTheTextIsTheFormatOfExistingVaults() {
        XCTAssertEqual(everyKind.map(\.text), [
            "onion/\(hex)/title", "onion/\(hex)/info", "card/\(hex)", "task_0", "task_17", "task_65535",
            "task_max", "draft", "draft/\(hex)", "manifest", "settings",
        ])
    }

    func testTheNamedBytesAreTheText() {
        for key in everyKind + [.manifestPart(0xa7)] {
            XCTAssertEqual(key.withText { Array($0) }, Array(key.text.utf8), key.text)
        }
    }

    func testEveryKeyParsesBackFromItsText() {
        for key in everyKind {
            XCTAssertEqual(LogicalKey(text: key.text), key, key.text)
        }
    }

    func testItemIdsMustBeExactlyThirtyTwoLowerCaseHexDigits() {
        for text in ["onion/\(hex.dropLast())/title", "onion/\(hex)0/title", "onion/\(hex.uppercased())/title",
                     "card/\(hex.dropLast())g", "card/", "card/\(hex)/", "onion/\(hex)/Title", "onion/\(hex)",
                     "onion//title", "card/ \(hex.dropFirst())"] {
            XCTAssertNil(LogicalKey(text: text), text)
        }
    }

    func testTaskIdsAreDecimalWithoutSignLeadingZerosOrOverflow() {
        for text in ["task_", "task_00", "task_07", "task_+7", "task_-1", "task_65536", "task_99999", "task_1000000",
                     "task_1a", "task_ 1", "task_max2", "task"] {
            XCTAssertNil(LogicalKey(text: text), text)
        }
        XCTAssertEqual(LogicalKey(text: "task_0"), .task(0))
        XCTAssertEqual(LogicalKey(text: "task_10"), .task(10))
    }

    func testUnknownWordsDoNotParse() {
        for text in ["", "Manifest", "drafts", "setting", "onion", " draft"] {
            XCTAssertNil(LogicalKey(text: text), text)
        }
    }

    func testEveryKindIsNamedForPeople() {
        XCTAssertEqual(everyKind.map { $0.displayName(label: "Groceries") }, [
            "onion 'Groceries'", "the info of onion 'Groceries'", "card for 'Groceries'", "task 'Groceries'",
            "task 'Groceries'", "task 'Groceries'", "the task counter", "the draft", "the draft", "the manifest", "the settings",
        ])
        XCTAssertEqual(everyKind.map { $0.displayName(label: nil) }, [
            "onion", "the info of onion", "card for", "task", "task", "task",
            "the task counter", "the draft", "the draft", "the manifest", "the settings",
        ])
    }
}
