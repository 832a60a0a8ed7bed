import XCTest
@testable import OnionsCrypto

final class RNCryptorVectorTests: XCTestCase {
    func testKeyDerivationMatchesEveryKDFVector() throws {
        let vectors = try VectorFile.load("kdf")
        XCTAssertGreaterThanOrEqual(vectors.count, 4)
        for v in vectors {
            let key = try withUTF8(v["password"] ?? "") {
                try RNCryptor.deriveKey($0, salt: v.hex("salt_hex"), settings: .standard)
            }
            XCTAssertEqual(key.testArray, v.hex("key_hex"), v["title"] ?? "")
        }
    }

    func testKeyFormMatchesEveryKeyVectorBothWays() throws {
        let vectors = try VectorFile.load("key")
        XCTAssertGreaterThanOrEqual(vectors.count, 3)
        for v in vectors {
            let title = v["title"] ?? ""
            let encryptionKey = SecretBytes(copying: v.hex("enc_key_hex"))
            let hmacKey = SecretBytes(copying: v.hex("hmac_key_hex"))
            let plaintext = v.hex("plaintext_hex")
            let expected = v.hex("ciphertext_hex")
            let made = try plaintext.withUnsafeBytes {
                try RNCryptor.encrypt($0, encryptionKey: encryptionKey, hmacKey: hmacKey, iv: v.hex("iv_hex"))
            }
            XCTAssertEqual(made, expected, title)
            let opened = try RNCryptor.decrypt(expected, encryptionKey: encryptionKey, hmacKey: hmacKey)
            XCTAssertEqual(opened.testArray, plaintext, title)
        }
    }

    func testPasswordFormMatchesEveryPasswordVectorBothWays() throws {
        let vectors = try VectorFile.load("password")
        XCTAssertGreaterThanOrEqual(vectors.count, 4)
        for v in vectors {
            let title = v["title"] ?? ""
            let password = v["password"] ?? ""
            let plaintext = v.hex("plaintext_hex")
            let expected = v.hex("ciphertext_hex")
            let made = try withUTF8(password) { pw in
                try plaintext.withUnsafeBytes {
                    try RNCryptor.encrypt($0, password: pw, settings: .standard,
                                          encryptionSalt: v.hex("enc_salt_hex"), hmacSalt: v.hex("hmac_salt_hex"),
                                          iv: v.hex("iv_hex"))
                }
            }
            XCTAssertEqual(made, expected, title)
            let opened = try withUTF8(password) { try RNCryptor.decrypt(expected, password: $0) }
            XCTAssertEqual(opened.testArray, plaintext, title)
        }
    }
}
