import XCTest
@testable import OnionsCrypto

final class CipherTests: XCTestCase {
    // GCM spec (McGrew and Viega) test case 16: AES-256, 96-bit IV, 60-byte text, 20-byte AAD.
    let gcmKey = SecretBytes(copying: decodeTestHex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308")!)
    let gcmNonce = decodeTestHex("cafebabefacedbaddecaf888")!
    let gcmPlaintext = decodeTestHex("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39")!
    let gcmAAD = decodeTestHex("feedfacedeadbeeffeedfacedeadbeefabaddad2")!
    let gcmSealed = decodeTestHex("cafebabefacedbaddecaf888" + "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662" + "76fc6ece0f4e1768cddf8853bb2d551b")!

    func testGCMSealMatchesKnownAnswerWithAAD() throws {
        let sealed = try gcmPlaintext.withUnsafeBytes {
            try AES.GCM.seal($0, using: gcmKey, nonce: gcmNonce, authenticating: gcmAAD)
        }
        XCTAssertEqual(sealed, gcmSealed)
    }

    func testGCMOpenRecoversKnownAnswerPlaintext() throws {
        let opened = try AES.GCM.open(gcmSealed, using: gcmKey, authenticating: gcmAAD)
        XCTAssertEqual(opened.testArray, gcmPlaintext)
    }

    func testGCMOpenFailsForOtherAADOrKeyOrAnyFlippedByte() throws {
        XCTAssertThrowsError(try AES.GCM.open(gcmSealed, using: gcmKey, authenticating: gcmAAD + [0])) {
            XCTAssertEqual($0 as? CryptoError, .authenticationFailed)
        }
        XCTAssertThrowsError(try AES.GCM.open(gcmSealed, using: SecretBytes(count: 32), authenticating: gcmAAD)) {
            XCTAssertEqual($0 as? CryptoError, .authenticationFailed)
        }
        for i in gcmSealed.indices {
            var damaged = gcmSealed
            damaged[i] ^= 0x01
            XCTAssertThrowsError(try AES.GCM.open(damaged, using: gcmKey, authenticating: gcmAAD), "byte \(i)") {
                XCTAssertEqual($0 as? CryptoError, .authenticationFailed)
            }
        }
    }

    func testGCMOpenRejectsInputShorterThanNonceAndTag() {
        for count in 0..<AES.GCM.overhead {
            XCTAssertThrowsError(try AES.GCM.open(Array(gcmSealed.prefix(count)), using: gcmKey, authenticating: [])) {
                XCTAssertEqual($0 as? CryptoError, .truncated)
            }
        }
    }

    func testGCMSealUsesFreshNonceAndRoundTripsEmptyAndSecretPlaintext() throws {
        let key = SecureRandom.secret(32)
        let a = try [UInt8]().withUnsafeBytes { try AES.GCM.seal($0, using: key, authenticating: [1]) }
        let b = try [UInt8]().withUnsafeBytes { try AES.GCM.seal($0, using: key, authenticating: [1]) }
        XCTAssertEqual(a.count, AES.GCM.overhead)
        XCTAssertNotEqual(a, b)
        XCTAssertEqual(try AES.GCM.open(a, using: key, authenticating: [1]).count, 0)
        let secret = SecretBytes(copying: Array("a secret".utf8))
        let sealed = try AES.GCM.seal(secret, using: key, authenticating: [])
        XCTAssertEqual(try AES.GCM.open(sealed, using: key, authenticating: []).testArray, Array("a secret".utf8))
    }

    func testGCMRejectsWrongKeyAndNonceSizes() {
        XCTAssertThrowsError(try [UInt8]().withUnsafeBytes {
            try AES.GCM.seal($0, using: SecretBytes(count: 16), authenticating: [])
        }) { guard case CryptoError.invalidLength = $0 else { return XCTFail("\($0)") } }
        XCTAssertThrowsError(try [UInt8]().withUnsafeBytes {
            try AES.GCM.seal($0, using: SecretBytes(count: 32), nonce: [0, 1], authenticating: [])
        }) { guard case CryptoError.invalidLength = $0 else { return XCTFail("\($0)") } }
    }

    func testCBCRoundTripsEveryLengthAcrossBlockBoundaries() throws {
        let key = SecureRandom.secret(32)
        let iv = SecureRandom.bytes(16)
        for length in 0...48 {
            let plaintext = SecureRandom.bytes(length)
            let ciphertext = try plaintext.withUnsafeBytes { try AES.CBC.encrypt($0, key: key, iv: iv) }
            XCTAssertEqual(ciphertext.count, (length / 16 + 1) * 16)
            XCTAssertEqual(try AES.CBC.decrypt(ciphertext, key: key, iv: iv).testArray, plaintext)
        }
    }

    func testCBCDecryptReportsBadPaddingForWrongKey() throws {
        let iv = [UInt8](repeating: 7, count: 16)
        let ciphertext = try [UInt8](repeating: 1, count: 20).withUnsafeBytes {
            try AES.CBC.encrypt($0, key: SecretBytes(count: 32), iv: iv)
        }
        // A wrong last block decrypts to random bytes: try keys until the padding is invalid
        // (with a single key it is valid by chance about 1 time in 256).
        var sawBadPadding = false
        for _ in 0..<8 {
            do {
                _ = try AES.CBC.decrypt(ciphertext, key: SecureRandom.secret(32), iv: iv)
            } catch CryptoError.badPadding {
                sawBadPadding = true
                break
            }
        }
        XCTAssertTrue(sawBadPadding)
    }

    func testCBCDecryptReportsBadPaddingForAZeroLastByte() throws {
        let key = SecretBytes(count: 32)
        let iv = [UInt8](repeating: 0, count: 16)
        // Encrypt a block whose last byte is 0 with padding off, by taking the first block of a
        // two-block padded ciphertext: its plaintext is exactly the block we chose.
        let block = [UInt8](repeating: 0, count: 16)
        let twoBlocks = try block.withUnsafeBytes { try AES.CBC.encrypt($0, key: key, iv: iv) }
        XCTAssertThrowsError(try AES.CBC.decrypt(Array(twoBlocks.prefix(16)), key: key, iv: iv)) {
            XCTAssertEqual($0 as? CryptoError, .badPadding)
        }
    }

    func testCBCDecryptRejectsPartialBlocks() {
        XCTAssertThrowsError(try AES.CBC.decrypt([], key: SecretBytes(count: 32), iv: [UInt8](repeating: 0, count: 16))) {
            XCTAssertEqual($0 as? CryptoError, .truncated)
        }
        XCTAssertThrowsError(try AES.CBC.decrypt([UInt8](repeating: 0, count: 17), key: SecretBytes(count: 32),
                                                 iv: [UInt8](repeating: 0, count: 16))) {
            XCTAssertEqual($0 as? CryptoError, .truncated)
        }
    }
}
