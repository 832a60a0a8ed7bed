import OnionsCore
import XCTest

/// The JSON reader: every kind of value, the escapes, and each kind of text it refuses with
/// the place and the reason.
final class JSONValueTests: XCTestCase {
    private func parse(_ text: String) throws -> JSONValue {
        try JSONValue(parsing: Array(text.utf8))
    }

    private func assertRefused(_ bytes: [UInt8], at offset: Int, _ reason: String, line: UInt = #line) {
        let text = String(decoding: bytes.prefix(40), as: UTF8.self)
        XCTAssertThrowsError(try JSONValue(parsing: bytes), text, line: line) { error in
            XCTAssertEqual((error as? JSONValue.ParseError)?.description, "byte \(offset): \(reason)", text, line: line)
        }
    }

    private func assertRefused(_ text: String, at offset: Int, _ reason: String, line: UInt = #line) {
        assertRefused(Array(text.utf8), at: offset, reason, line: line)
    }

    /// Each (text, offset, reason) refused as `assertRefused` checks one.
    private func assertRefused(_ cases: [(String, Int, String)], line: UInt = #line) {
        for (text, offset, reason) in cases { assertRefused(text, at: offset, reason, line: line) }
    }

    func testEveryKindOfValueIsRead() throws {
        let value = try parse(#" {"a": [1, -2.5, 3e2, 0, -0.0E-1], "b": {"c": null}, "d": true, "e": false, "f": "x"} "#)
        XCTAssertEqual(value, .object([
            "a": .array([.number(1), .number(-2.5), .number(300), .number(0), .number(-0.0)]),
            "b": .object(["c": .null]),
            "d": .bool(true), "e": .bool(false), "f": .string("x"),
        ]))
        XCTAssertEqual(value["f"]?.string, "x")
        XCTAssertEqual(value["a"]?.array?.count, 5)
        XCTAssertNil(value["d"]?.number, "true is not a number")
        XCTAssertNil(value["a"]?["x"], "an array has no members")
        XCTAssertEqual(try parse("[]"), .array([]))
        XCTAssertEqual(try parse("{ }"), .object([:]))
        XCTAssertEqual(try parse("\t\r\n7\n"), .number(7))
    }

    func testEscapesAndCharactersComeBackAsText() throws {
        let value = try parse(#""q\" b\\ s\/ \b\f\n\r\t \u00e9 \u5BB6 \ud83d\udc4d 家""#)
        XCTAssertEqual(value.string, "q\" b\\ s/ \u{8}\u{C}\n\r\t é 家 👍 家")
    }

    func testTheLastOfARepeatedKeyIsKept() throws {
        XCTAssertEqual(try parse(#"{"k": 1, "k": 2}"#)["k"], .number(2))
    }

    func testTextThatIsNotOneValueIsRefused() {
        assertRefused([
            ("", 0, "the text ends where a value should be"),
            ("  ", 2, "the text ends where a value should be"),
            ("[1] 2", 4, "text after the value"),
            ("{\"a\": 1,}", 8, "expected a member name"),
            ("[1,]", 3, "not the start of a value"),
            ("[1 2]", 3, "expected ']'"),
            ("{\"a\" 1}", 5, "expected ':'"),
            ("{\"a\": 1", 7, "expected '}'"),
            ("{a: 1}", 1, "expected a member name"),
            ("tru", 3, "expected 'e'"),
            ("nul1", 3, "expected 'l'"),
            ("'x'", 0, "not the start of a value"),
        ])
    }

    func testNumbersOutsideTheGrammarAreRefused() {
        assertRefused([
            ("-", 1, "a number needs digits"),
            ("01", 1, "text after the value"),
            ("1.", 2, "a number needs digits after '.'"),
            (".5", 0, "not the start of a value"),
            ("1e", 2, "a number needs digits in its exponent"),
            ("+1", 0, "not the start of a value"),
            ("1e999", 5, "a number out of range"),
        ])
    }

    func testStringsThatAreNotTextAreRefused() {
        assertRefused([
            ("\"abc", 4, "the text ends inside a string"),
            ("\"a\nb\"", 2, "a control character inside a string"),
            (#""\x""#, 3, "an unknown escape"),
            (#""\u12g4""#, 5, "\\u needs four hex digits"),
            (#""\ud83d x""#, 7, "a lone surrogate"),
            (#""\ud83d\u0041""#, 13, "a lone surrogate"),
            (#""\udc4d""#, 7, "a lone surrogate"),
        ])
        assertRefused([0x22, 0x41, 0xFF, 0x22], at: 4, "a string is not UTF-8")
    }

    func testNestingDeeperThanTheLimitIsRefused() throws {
        let depth = JSONValue.maximumDepth
        XCTAssertNoThrow(try parse(String(repeating: "[", count: depth) + String(repeating: "]", count: depth)))
        let deeper = String(repeating: "[", count: depth + 1) + String(repeating: "]", count: depth + 1)
        assertRefused(deeper, at: depth, "nested deeper than \(depth)")
        assertRefused(String(repeating: "{\"a\":", count: 100_000), at: 5 * depth, "nested deeper than \(depth)")
    }
}
