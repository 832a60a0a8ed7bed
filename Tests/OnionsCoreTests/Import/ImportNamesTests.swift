import XCTest
@testable import OnionsCore
import OnionsCrypto

/// Names that do not fit a title keep their whole name in the folder; every one is reported.
final class ImportNamesTests: XCTestCase {
    func testALongNameMovesIntoTheFolderAndTheTitleIsCut() {
        let long = ImportedEntry(folder: "bank", title: secret("Very long account name at the bank of somewhere"))
        let fits = ImportedEntry(folder: "web/github.com", title: secret("alice"))
        let exactly = ImportedEntry(folder: "", title: secret(String(repeating: "家", count: 30)))
        let wide = ImportedEntry(folder: "", title: secret(String(repeating: "👍🏽", count: 31)))
        let shortened = ImportNames.shorten([long, fits, exactly, wide])
        XCTAssertEqual(shortened.map(\.folder), ["bank/Very long account name at the bank of somewhere",
                                                 String(repeating: "👍🏽", count: 31)])
        XCTAssertEqual(shortened.map(\.characters), [47, 31])
        XCTAssertEqual(long.folder, "bank/Very long account name at the bank of somewhere")
        XCTAssertEqual(long.title.testText, "Very long account name at the…")
        XCTAssertEqual(fits.folder, "web/github.com")
        XCTAssertEqual(fits.title.testText, "alice")
        XCTAssertEqual(exactly.title.testText, String(repeating: "家", count: 30))
        XCTAssertEqual(wide.title.count <= FieldLimit.onionTitle.maxBytes, true)
        XCTAssertTrue(wide.title.testText.hasSuffix("…"))
        XCTAssertNoThrow(try FieldLimit.onionTitle.check(long.title))
        XCTAssertNoThrow(try FieldLimit.onionTitle.check(wide.title))
        XCTAssertTrue(shortened[0].description.contains("47 characters"), shortened[0].description)
    }

    func testTheInfoPutsThePasswordAloneOnTheFirstLine() {
        let entry = ImportedEntry(folder: "", title: secret("t"),
                                  fields: [ImportedField("pin", secret("1234")), ImportedField(ImportedField.url, secret("https://x")),
                                           ImportedField(ImportedField.password, secret("pw")),
                                           ImportedField(ImportedField.userName, secret("me")), ImportedField("empty", secret(""))],
                                  notes: secret("a note\nline 2"), otp: secret("otpauth://totp/x?secret=GEZDGNBV"))
        entry.orderFields()
        XCTAssertEqual(entry.info().testText, "pw\nuser name: me\nurl: https://x\npin: 1234\notpauth://totp/x?secret=GEZDGNBV\n\na note\nline 2")
        let noPassword = ImportedEntry(folder: "", title: secret("t"), fields: [ImportedField(ImportedField.userName, secret("me"))])
        XCTAssertEqual(noPassword.info().testText, "user name: me")
        let notesOnly = ImportedEntry(folder: "", title: secret("t"), notes: secret("just text"))
        XCTAssertEqual(notesOnly.info().testText, "just text")
    }
}
