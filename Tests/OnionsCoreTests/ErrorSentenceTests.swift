import OnionsCore
import OnionsCrypto
import XCTest

/// Every error a person can see reads as words, never as a Swift value such as `damaged("…")`.
final class ErrorSentenceTests: XCTestCase {
    /// Fails when `error` interpolates as Swift syntax: a bare case name (one word, no space),
    /// or a name directly followed by its payload in parentheses.
    private func assertSentence(_ error: Error, file: StaticString = #filePath, line: UInt = #line) {
        let text = "\(error)"
        XCTAssertTrue(text.contains(" "), "'\(text)' is not a sentence", file: file, line: line)
        let swiftSyntax = text.unicodeScalars.indices.contains { index in
            let next = text.unicodeScalars.index(after: index)
            return next < text.unicodeScalars.endIndex && text.unicodeScalars[next] == "("
                && (CharacterSet.alphanumerics.contains(text.unicodeScalars[index]) || text.unicodeScalars[index] == "_")
        }
        XCTAssertFalse(swiftSyntax, "'\(text)' shows a Swift value", file: file, line: line)
        XCTAssertFalse(text.contains("\")") || text.contains("(\""), "'\(text)' shows a Swift string",
                       file: file, line: line)
    }

    private let storeErrors: [StoreError] = [
        .vaultExists, .noVault, .conflict(name: RecordName(Array(repeating: 7, count: 32)), current: 3),
        .unavailable("the disk is full"), .damaged("the file is not a database"), .unauthorized,
    ]

    func testEveryStoreErrorIsASentence() {
        for error in storeErrors { assertSentence(error) }
    }

    func testEveryVaultErrorIsASentence() {
        let errors: [VaultError] = [
            .wrongPassword, .emptyPassword, .passwordNotUTF8, .emptyUsername, .noSuchVault, .vaultExists,
            .headerAltered, .headerUnreadable("unknown KDF"), .damaged("Groceries"),
            .rolledBack(seen: 9, found: 4), .noSuchItem("onion titled x"), .ambiguous("x"),
            .limit(.notText(field: "the title")), .locked, .malformed, .internalLimit, .tooManyTasks,
            .cardWrongPassword, .localState("the folder is not private"), .readOnly, .manifestUnrecoverable,
            .cardKDFRefused(Limits.kdfProblem(ScryptParameters(logN: 22, r: 32, p: 16)) ?? ""),
        ] + storeErrors.map { .store($0) }
        for error in errors { assertSentence(error) }
    }

    func testEveryLimitErrorIsASentence() {
        let errors: [LimitError] = [
            .tooLong(field: "the title", characters: 31, limit: 30), .tooShort(field: "the title", minimum: 1),
            .tooManyBytes(field: "the info", bytes: 9000, limit: 8000), .notText(field: "the title"),
            .controlCharacter(field: "the title", code: 7),
        ]
        for error in errors { assertSentence(error) }
    }

    func testEveryCryptoErrorIsASentence() {
        let errors: [CryptoError] = [
            .authenticationFailed, .truncated, .unknownVersion(2), .unknownOptions(9), .invalidLength("GCM nonce"),
            .badPadding, .failure("EVP_CipherInit_ex"),
        ]
        for error in errors { assertSentence(error) }
    }
}
