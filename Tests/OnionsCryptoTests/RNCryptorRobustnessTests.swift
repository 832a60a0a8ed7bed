import XCTest
@testable import OnionsCrypto

final class RNCryptorRobustnessTests: XCTestCase {
    /// Cheap settings so that hundreds of decryptions stay fast; the format is the same.
    let fast = RNCryptor.KeySettings(iterations: 2, prf: .sha1)

    func sealedWithPassword(_ text: String, _ password: String, settings: RNCryptor.KeySettings) throws -> [UInt8] {
        try withUTF8(password) { pw in try withUTF8(text) { try RNCryptor.encrypt($0, password: pw, settings: settings) } }
    }

    func openWithPassword(_ message: [UInt8], _ password: String, settings: RNCryptor.KeySettings) throws -> [UInt8] {
        try withUTF8(password) { try RNCryptor.decrypt(message, password: $0, settings: settings).testArray }
    }

    func testEveryFlippedByteOfAPasswordMessageFailsCleanly() throws {
        let message = try sealedWithPassword("flip me, every byte of me", "pw", settings: fast)
        for i in message.indices {
            for mask: UInt8 in [0x01, 0x80] {
                var damaged = message
                damaged[i] ^= mask
                XCTAssertThrowsError(try openWithPassword(damaged, "pw", settings: fast), "byte \(i)") { error in
                    switch error as? CryptoError {
                    case .authenticationFailed?: XCTAssertGreaterThan(i, 1)
                    case .unknownVersion?: XCTAssertEqual(i, 0)
                    case .unknownOptions?: XCTAssertEqual(i, 1)
                    default: XCTFail("byte \(i): unexpected \(error)")
                    }
                }
            }
        }
    }

    func testEveryFlippedByteOfAKeyMessageFailsCleanly() throws {
        let encryptionKey = SecureRandom.secret(32), hmacKey = SecureRandom.secret(32)
        let message = try withUTF8("key form") { try RNCryptor.encrypt($0, encryptionKey: encryptionKey, hmacKey: hmacKey) }
        XCTAssertEqual(try RNCryptor.decrypt(message, encryptionKey: encryptionKey, hmacKey: hmacKey).testArray, Array("key form".utf8))
        for i in message.indices {
            var damaged = message
            damaged[i] ^= 0x04
            XCTAssertThrowsError(try RNCryptor.decrypt(damaged, encryptionKey: encryptionKey, hmacKey: hmacKey), "byte \(i)")
        }
    }

    func testEveryTruncationFailsWithALengthError() throws {
        let message = try sealedWithPassword("sixteen bytes!!!", "pw", settings: fast)
        for count in 0..<message.count {
            XCTAssertThrowsError(try openWithPassword(Array(message.prefix(count)), "pw", settings: fast), "\(count)") { error in
                let e = error as? CryptoError
                XCTAssertTrue(e == .truncated || e == .authenticationFailed, "\(count): \(error)")
            }
        }
    }

    func testEmptyInputIsTruncated() {
        XCTAssertThrowsError(try openWithPassword([], "pw", settings: fast)) { XCTAssertEqual($0 as? CryptoError, .truncated) }
        XCTAssertThrowsError(try RNCryptor.decrypt([], encryptionKey: SecretBytes(count: 32), hmacKey: SecretBytes(count: 32))) {
            XCTAssertEqual($0 as? CryptoError, .truncated)
        }
    }

    func testVersionAndFormAreCheckedBeforeAnyKeyWork() throws {
        let message = try sealedWithPassword("x", "pw", settings: fast)
        var v2 = message
        v2[0] = 2
        XCTAssertThrowsError(try openWithPassword(v2, "pw", settings: fast)) { XCTAssertEqual($0 as? CryptoError, .unknownVersion(2)) }
        XCTAssertThrowsError(try RNCryptor.decrypt(message, encryptionKey: SecretBytes(count: 32), hmacKey: SecretBytes(count: 32))) {
            XCTAssertEqual($0 as? CryptoError, .unknownOptions(1))
        }
    }

    func testRandomGarbageNeverCrashesAndNeverOpens() {
        for length in [1, 2, 50, 81, 82, 98, 200, 4096] {
            for _ in 0..<10 {
                var garbage = SecureRandom.bytes(length)
                if length >= 2, Bool.random() { garbage[0] = 3; garbage[1] = UInt8.random(in: 0...1) }
                XCTAssertThrowsError(try openWithPassword(garbage, "pw", settings: fast))
                XCTAssertThrowsError(try RNCryptor.decrypt(garbage, encryptionKey: SecretBytes(count: 32), hmacKey: SecretBytes(count: 32)))
            }
        }
    }

    func testWrongPasswordFailsAuthentication() throws {
        let message = try sealedWithPassword("secret", "right", settings: fast)
        XCTAssertThrowsError(try openWithPassword(message, "wrong", settings: fast)) {
            XCTAssertEqual($0 as? CryptoError, .authenticationFailed)
        }
    }

    func testSHA512PRFAndOtherIterationCountsRoundTripAndMustMatch() throws {
        let onionV1 = RNCryptor.KeySettings(iterations: 1_234, prf: .sha512)
        let message = try sealedWithPassword("中文 text 👍🏽", "пароль", settings: onionV1)
        XCTAssertEqual(try openWithPassword(message, "пароль", settings: onionV1), Array("中文 text 👍🏽".utf8))
        XCTAssertThrowsError(try openWithPassword(message, "пароль", settings: .init(iterations: 1_234, prf: .sha1)))
        XCTAssertThrowsError(try openWithPassword(message, "пароль", settings: .init(iterations: 1_235, prf: .sha512)))
    }

    func testStandardSettingsRoundTripEmptyAndBlockSizedPlaintexts() throws {
        for text in ["", "0123456789abcdef", "0123456789abcdef0"] {
            let message = try sealedWithPassword(text, "pw", settings: .standard)
            XCTAssertEqual(message.count, 34 + (text.utf8.count / 16 + 1) * 16 + 32)
            XCTAssertEqual(try openWithPassword(message, "pw", settings: .standard), Array(text.utf8))
        }
    }

    func testBadPaddingBehindAGoodHMACIsReportedAsBadPadding() throws {
        // Forge a key-form message whose HMAC is right but whose padding is not.
        let encryptionKey = SecretBytes(count: 32), hmacKey = SecretBytes(count: 32)
        let iv = [UInt8](repeating: 0, count: 16)
        let twoBlocks = try [UInt8](repeating: 0, count: 16).withUnsafeBytes { try AES.CBC.encrypt($0, key: encryptionKey, iv: iv) }
        var message: [UInt8] = [3, 0] + iv + twoBlocks.prefix(16)
        message += HMAC.sha256(key: hmacKey, message: message)
        XCTAssertThrowsError(try RNCryptor.decrypt(message, encryptionKey: encryptionKey, hmacKey: hmacKey)) {
            XCTAssertEqual($0 as? CryptoError, .badPadding)
        }
    }
}
