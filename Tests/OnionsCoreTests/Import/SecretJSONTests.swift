import OnionsCore
import OnionsCrypto
import XCTest

/// The secret-keeping JSON tree reads through the same reader as `JSONValue`: the same grammar
/// and refusals (as `.damaged` naming the byte), its own depth limit, and every string value
/// in secret memory that `wipe()` clears.
final class SecretJSONTests: XCTestCase {
    private func assertDamaged(_ text: String, _ message: String, line: UInt = #line) {
        XCTAssertThrowsError(try SecretJSON.parse(secret(text)), text, line: line) { error in
            guard case .damaged(let said) = error as? ImportError else { return XCTFail("\(error)", line: line) }
            XCTAssertEqual(said, message, text, line: line)
        }
    }

    func testValuesAndEscapedStringsComeBackInSecretMemory() throws {
        let json = try SecretJSON.parse(secret(#" {"a": [1, -2.5e1, true, null], "p": "pw \"q\" \u00e9 \ud83d\udc4d", "k": 1, "k": 2} "#))
        defer { json.wipe() }
        XCTAssertEqual(json["p"]?.secret?.testText, "pw \"q\" é 👍")
        XCTAssertEqual(json["a"]?.array?.map { "\($0.number ?? 0) \($0.bool.map(String.init) ?? "-")" },
                       ["1.0 -", "-25.0 -", "0.0 true", "0.0 -"])
        XCTAssertEqual(json["k"]?.number, 2, "the last of a repeated name")
        XCTAssertNil(json["a"]?.secret)
    }

    func testWipeClearsEveryStringValue() throws {
        let json = try SecretJSON.parse(secret(#"{"x": ["hunter2"], "y": {"z": "swordfish"}}"#))
        let strings = [json["x"]?.array?.first?.secret, json["y"]?["z"]?.secret].compactMap { $0 }
        XCTAssertEqual(strings.map(\.testText), ["hunter2", "swordfish"])
        json.wipe()
        for string in strings {
            XCTAssertEqual(string.count, 0)
            string.withWholeMappingForTesting { XCTAssertTrue($0.allSatisfy { $0 == 0 }) }
        }
    }

    func testRefusalsNameTheByteAndTheReason() {
        assertDamaged("[1, 2", "JSON at byte 5: expected ']'")
        assertDamaged("1.", "JSON at byte 2: a number needs digits after '.'")
        assertDamaged("[tru]", "JSON at byte 4: expected 'e'")
        assertDamaged(#"{"a": "\ud83d x"}"#, "JSON at byte 13: a lone surrogate")
        assertDamaged("{\"a\": \"b\nc\"}", "JSON at byte 8: a control character inside a string")
        assertDamaged("{} x", "JSON at byte 3: text after the value")
        let limit = 64
        XCTAssertNoThrow(try SecretJSON.parse(secret(String(repeating: "[", count: limit) + String(repeating: "]", count: limit))).wipe())
        assertDamaged(String(repeating: "[", count: limit + 1), "JSON at byte \(limit): nested deeper than \(limit)")
        XCTAssertThrowsError(try SecretJSON.parse(SecretBytes(copying: [0x22, 0x41, 0xFF, 0x22]))) { error in
            guard case .damaged(let said) = error as? ImportError else { return XCTFail("\(error)") }
            XCTAssertEqual(said, "JSON at byte 4: a string is not UTF-8")
        }
    }
}
