import OnionsCore
import OnionsCrypto
import XCTest

/// Titles and infos count user-perceived characters, cap their bytes, refuse controls and
/// invalid UTF-8, and a refused save stores nothing.
final class FieldLimitTests: VaultTestCase {
    /// One user-perceived character of each kind, with its UTF-8 size.
    private let characters: [(name: String, text: String, bytes: Int)] = [
        ("ASCII", "a", 1),
        ("emoji with skin tone", "\u{1F44D}\u{1F3FD}", 8),
        ("CJK", "\u{5BB6}", 3),
        ("combining mark", "e\u{0301}", 3),
        ("ZWJ family", "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}", 18),
    ]

    func testEachKindOfCharacterIsOneCharacterWithTheExpectedSize() {
        for c in characters {
            XCTAssertEqual(c.text.count, 1, c.name)
            XCTAssertEqual(c.text.utf8.count, c.bytes, c.name)
        }
    }

    func testTitleOfThirtyCharactersIsAcceptedAndReadsBackWhenItFitsTheByteCap() throws {
        let session = try signUp()
        for c in characters where 30 * c.bytes <= FieldLimit.onionTitle.maxBytes {
            let title = String(repeating: c.text, count: 30)
            let id = try saveOnion(session, title: title)
            XCTAssertEqual(session.onions.first { $0.id == id }.map { session.title($0) }, title, c.name)
        }
        let reopened = try logIn()
        XCTAssertEqual(Set(titles(reopened)),
                       Set(characters.filter { 30 * $0.bytes <= 240 }.map { String(repeating: $0.text, count: 30) }))
    }

    func testTitleOfThirtyOneCharactersIsRefusedNamingFieldLengthAndLimit() throws {
        let session = try signUp()
        for c in characters {
            assertThrows(.limit(.tooLong(field: "title", characters: 31, limit: 30))) {
                try saveOnion(session, title: String(repeating: c.text, count: 31))
            }
        }
        XCTAssertTrue(session.onions.isEmpty)
    }

    func testTooLongMessageNamesTheFieldAndNumbersButNotTheText() throws {
        let session = try signUp()
        let title = String(repeating: "q", count: 31)
        XCTAssertThrowsError(try saveOnion(session, title: title)) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("title"))
            XCTAssertTrue(message.contains("31"))
            XCTAssertTrue(message.contains("30"))
            XCTAssertFalse(message.contains("qqq"))
        }
    }

    func testThirtyZWJFamiliesAreRefusedByTheByteCap() throws {
        let session = try signUp()
        let family = characters[4].text
        assertThrows(.limit(.tooManyBytes(field: "title", bytes: 30 * 18, limit: 240))) {
            try saveOnion(session, title: String(repeating: family, count: 30))
        }
    }

    func testAsManyZWJFamiliesAsFitTheByteCapAreAccepted() throws {
        let session = try signUp()
        let family = characters[4].text
        let title = String(repeating: family, count: 240 / 18)
        try saveOnion(session, title: title)
        XCTAssertEqual(titles(session), [title])
    }

    func testInfoOfTwoThousandFiveHundredCharactersIsAcceptedAndReadsBack() throws {
        let session = try signUp()
        for c in characters where 2_500 * c.bytes <= FieldLimit.onionInfo.maxBytes {
            let info = String(repeating: c.text, count: 2_500)
            let id = try saveOnion(session, title: c.name, info: info)
            XCTAssertEqual(text(try session.info(of: id)), info, c.name)
        }
    }

    func testInfoOfTwoThousandFiveHundredAndOneCharactersIsRefused() throws {
        let session = try signUp()
        for c in characters {
            assertThrows(.limit(.tooLong(field: "info", characters: 2_501, limit: 2_500))) {
                try saveOnion(session, title: c.name, info: String(repeating: c.text, count: 2_501))
            }
        }
    }

    func testInfoOfLongClustersWithinTheCharacterLimitIsRefusedByTheByteCap() throws {
        let session = try signUp()
        let thumbs = characters[1].text
        assertThrows(.limit(.tooManyBytes(field: "info", bytes: 2_500 * 8, limit: 8_000))) {
            try saveOnion(session, title: "thumbs", info: String(repeating: thumbs, count: 2_500))
        }
    }

    func testEmptyTitleIsRefused() throws {
        let session = try signUp()
        assertThrows(.limit(.tooShort(field: "title", minimum: 1))) { try saveOnion(session, title: "") }
    }

    func testControlCharactersInATitleAreRefusedByCode() throws {
        let session = try signUp()
        for (scalar, code) in [("\n", UInt32(0x0A)), ("\t", 0x09), ("\u{07}", 0x07), ("\u{1B}", 0x1B),
                               ("\u{7F}", 0x7F), ("\u{85}", 0x85), ("\u{00}", 0x00)] {
            assertThrows(.limit(.controlCharacter(field: "title", code: code))) {
                try saveOnion(session, title: "ab" + scalar + "cd")
            }
        }
    }

    func testInfoMayHoldLineBreaksAndTabsButNoOtherControls() throws {
        let session = try signUp()
        let id = try saveOnion(session, title: "lines", info: "one\ntwo\tthree")
        XCTAssertEqual(text(try session.info(of: id)), "one\ntwo\tthree")
        assertThrows(.limit(.controlCharacter(field: "info", code: 0x1B))) {
            try saveOnion(session, title: "escape", info: "red\u{1B}[31m")
        }
        assertThrows(.limit(.controlCharacter(field: "info", code: 0x0D))) {
            try saveOnion(session, title: "carriage", info: "a\rb")
        }
    }

    func testInvalidUTF8IsRefusedAsNotText() throws {
        let session = try signUp()
        let invalid: [[UInt8]] = [
            [0x61, 0xC3, 0x28],          // a lead byte followed by no continuation
            [0xC0, 0xAF],                // an overlong "/"
            [0xED, 0xA0, 0x80],          // a UTF-16 surrogate encoded in UTF-8
            [0xF4, 0x90, 0x80, 0x80],    // beyond U+10FFFF
            [0x61, 0xE5, 0xAE],          // a truncated three-byte sequence
            [0xFF],
        ]
        for bytes in invalid {
            assertThrows(.limit(.notText(field: "title"))) {
                try session.saveOnion(id: nil, title: secret(bytes: bytes), info: secret(""))
            }
            assertThrows(.limit(.notText(field: "info"))) {
                try session.saveOnion(id: nil, title: secret("fine"), info: secret(bytes: bytes))
            }
        }
    }

    func testNothingIsStoredWhenALimitIsBroken() throws {
        let session = try signUp()
        let id = try saveOnion(session, title: "kept", info: "as it was")
        try session.addTask(secret("a task"))
        let before = store.contents
        let family = characters[4].text
        let attempts: [() throws -> Void] = [
            { try self.saveOnion(session, title: String(repeating: "x", count: 31)) },
            { try self.saveOnion(session, title: String(repeating: family, count: 30)) },
            { try self.saveOnion(session, title: "new", info: String(repeating: "y", count: 2_501)) },
            { try self.saveOnion(session, id: id, title: "kept\u{07}") },
            { try self.saveOnion(session, id: id, title: "kept", info: String(repeating: "z", count: 2_501)) },
            { try session.saveOnion(id: id, title: self.secret(bytes: [0xC3]), info: self.secret("")) },
            { try session.addTask(self.secret(String(repeating: "t", count: 281))) },
            { try session.editTask(0, text: self.secret("two\nlines")) },
            { try self.saveCard(session, to: String(repeating: "r", count: 31), description: "", password: "pw") },
            { try self.saveCard(session, to: "Bob", description: String(repeating: "d", count: 2_501),
                                password: "pw") },
        ]
        for (index, attempt) in attempts.enumerated() {
            XCTAssertThrowsError(try attempt(), "attempt \(index)") { error in
                guard case .limit? = error as? VaultError else {
                    return XCTFail("attempt \(index): expected a limit error, got \(error)")
                }
            }
        }
        XCTAssertEqual(store.contents, before)
        XCTAssertEqual(titles(session), ["kept"])
        XCTAssertEqual(text(try session.info(of: id)), "as it was")
        XCTAssertEqual(taskTexts(session), [0: "a task"])
        XCTAssertTrue(session.cards.isEmpty)
    }

    func testTaskAndCardFieldsHaveTheirOwnLimits() throws {
        let session = try signUp()
        try session.addTask(secret(String(repeating: "\u{5BB6}", count: 280)))
        assertThrows(.limit(.tooLong(field: "task", characters: 281, limit: 280))) {
            try session.addTask(secret(String(repeating: "\u{5BB6}", count: 281)))
        }
        try saveCard(session, to: String(repeating: "\u{1F44D}\u{1F3FD}", count: 30),
                     description: String(repeating: "e\u{0301}", count: 2_500), password: "pw")
        assertThrows(.limit(.tooLong(field: "recipient", characters: 31, limit: 30))) {
            try saveCard(session, to: String(repeating: "\u{5BB6}", count: 31), description: "", password: "pw")
        }
        assertThrows(.limit(.tooLong(field: "description", characters: 2_501, limit: 2_500))) {
            try saveCard(session, to: "Bob", description: String(repeating: "e\u{0301}", count: 2_501),
                         password: "pw")
        }
    }
}
