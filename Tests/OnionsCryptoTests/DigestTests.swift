import XCTest
import OnionsCrypto

final class DigestTests: XCTestCase {
    func testSHA256OfAbcIsTheFIPSValue() {
        XCTAssertEqual(Hex.encode(SHA256.hash(Array("abc".utf8))),
                       "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(Hex.encode(SHA256.hash([])),
                       "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    // RFC 4231 test case 2.
    func testHMACSHA256MatchesRFC4231CaseTwo() {
        let mac = HMAC.sha256(key: SecretBytes(copying: Array("Jefe".utf8)),
                              message: Array("what do ya want for nothing?".utf8))
        XCTAssertEqual(Hex.encode(mac), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    // The same case through a key set up once, used for several messages in a row.
    func testAPreparedHMACKeyMatchesRFC4231AndTheOneShotForEveryMessage() throws {
        let key = try HMACKey(SecretBytes(copying: Array("Jefe".utf8)))
        XCTAssertEqual(Hex.encode(key.code(for: Array("what do ya want for nothing?".utf8))),
                       "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        let secret = SecretBytes(copying: (0..<32).map { UInt8($0) })
        let prepared = try HMACKey(secret)
        for message in ["manifest", "onion/00ff/title", "task_7", String(repeating: "x", count: 200)] {
            XCTAssertEqual(prepared.code(for: Array(message.utf8)), HMAC.sha256(key: secret, message: Array(message.utf8)))
        }
    }

    func testCredentialStretchingMatchesTheOnionsVaultIds() {
        XCTAssertEqual(CredentialStretching.stretch("Hello"), "izhnLlORkUZ1TYCXFBfkm4BA8MCY93Bx8xNulUtldXM=")
        XCTAssertEqual(CredentialStretching.stretch("WorldHello"), "S/8N2qGu/FlkVhynP2l4V+aI/X7/Om/v3q+AV4hF0QU=")
        XCTAssertEqual(CredentialStretching.stretch("HelloWorld"), "HyyDs+yqc0RzLp4Qrzg93S/tluqLn4owQQ4RwI+CSts=")
    }

    func testSecureRandomGivesRequestedCountsAndDiffers() {
        XCTAssertEqual(SecureRandom.bytes(0).count, 0)
        XCTAssertEqual(SecureRandom.secret(33).count, 33)
        XCTAssertNotEqual(SecureRandom.bytes(32), SecureRandom.bytes(32))
    }
}
