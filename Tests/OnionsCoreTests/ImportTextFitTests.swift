import OnionsCore
import OnionsCrypto
import XCTest

/// Fitting an imported text to a field: controls replaced, over-long texts cut with a mark,
/// an empty title named, and every change described by numbers only.
final class ImportTextFitTests: XCTestCase {
    private func fit(_ text: [UInt8], _ limit: FieldLimit) -> (text: String, notes: [String])? {
        let secret = SecretBytes(copying: text)
        defer { secret.wipe() }
        guard let fitted = ImportTextFit.fit(secret, limit) else { return nil }
        defer { fitted.text.wipe() }
        return (fitted.text.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }, fitted.notes)
    }

    private func fit(_ text: String, _ limit: FieldLimit) -> (text: String, notes: [String])? {
        fit(Array(text.utf8), limit)
    }

    func testATextThatFitsComesBackUnchangedWithoutNotes() throws {
        let fitted = try XCTUnwrap(fit("Groceries 家", .onionTitle))
        XCTAssertEqual(fitted.text, "Groceries 家")
        XCTAssertEqual(fitted.notes, [])
    }

    func testLineBreaksInATitleBecomeSpacesAndOtherControlsGo() throws {
        let fitted = try XCTUnwrap(fit("a\r\nb\tc\u{7}d\ne", .onionTitle))
        XCTAssertEqual(fitted.text, "a b cd e")
        XCTAssertEqual(fitted.notes, ["4 control character(s) in the title replaced or removed"])
    }

    func testCarriageReturnsInAnInfoBecomeLineBreaks() throws {
        let fitted = try XCTUnwrap(fit("one\r\ntwo\rthree\nfour", .onionInfo))
        XCTAssertEqual(fitted.text, "one\ntwo\nthree\nfour")
        XCTAssertEqual(fitted.notes, ["2 control character(s) in the info replaced or removed"])
    }

    func testAnEmptyTitleIsImportedAsUntitled() throws {
        let fitted = try XCTUnwrap(fit("\u{1}", .onionTitle))
        XCTAssertEqual(fitted.text, "Untitled")
        XCTAssertEqual(fitted.notes, ["1 control character(s) in the title replaced or removed",
                                      #"the title was empty; imported as "Untitled""#])
        XCTAssertEqual(try XCTUnwrap(fit("", .onionInfo)).text, "", "an empty info stays empty")
    }

    func testAnOverlongTitleIsCutAtACharacterAndEndsInTheMark() throws {
        let family = "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}"
        let fitted = try XCTUnwrap(fit(String(repeating: "e\u{301}", count: 29) + family + "xyz", .onionTitle))
        XCTAssertEqual(fitted.text, String(repeating: "e\u{301}", count: 29) + "…")
        XCTAssertEqual(fitted.notes, [#"the title had 33 characters (30 fit); imported cut to 30 ending in "…""#])
    }

    func testATextOverTheByteCapIsCutToFitIt() throws {
        let limit = FieldLimit.onionTitle
        let family = "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}"  // one character, 18 bytes
        let wide = String(repeating: family, count: 30)
        XCTAssertGreaterThan(wide.utf8.count, limit.maxBytes)
        let fitted = try XCTUnwrap(fit(wide, limit))
        XCTAssertLessThanOrEqual(fitted.text.utf8.count, limit.maxBytes)
        XCTAssertTrue(fitted.text.hasSuffix("…"))
        XCTAssertNoThrow(try limit.check(SecretBytes(copying: Array(fitted.text.utf8))))
        let kept = (limit.maxBytes - 3) / 18
        XCTAssertEqual(fitted.notes, [#"the title had 30 characters (30 fit); imported cut to \#(kept + 1) ending in "…""#])
    }

    func testTextThatIsNotUTF8IsRefused() {
        XCTAssertNil(fit([0x41, 0xc3], .onionTitle))
        XCTAssertNil(fit([0xff], .onionInfo))
    }
}
