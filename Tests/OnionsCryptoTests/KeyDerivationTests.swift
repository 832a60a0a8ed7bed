import XCTest
import OnionsCrypto

final class KeyDerivationTests: XCTestCase {
    // RFC 7914 section 12 (the N = 2^20 case is too slow for unit tests and is left out).
    func testScryptMatchesRFC7914EmptyPasswordVector() throws {
        let key = try Scrypt.derive(password: UnsafeRawBufferPointer(start: nil, count: 0), salt: [],
                                    parameters: ScryptParameters(logN: 4, r: 1, p: 1), count: 64)
        XCTAssertEqual(Hex.encode(key.testArray), "77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906")
    }

    func testScryptMatchesRFC7914PasswordNaClVector() throws {
        let password = SecretBytes(copying: Array("password".utf8))
        let key = try Scrypt.derive(password: password, salt: Array("NaCl".utf8),
                                    parameters: ScryptParameters(logN: 10, r: 8, p: 16), count: 64)
        XCTAssertEqual(Hex.encode(key.testArray), "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640")
    }

    func testScryptMatchesRFC7914SodiumChlorideVector() throws {
        let key = try withUTF8("pleaseletmein") {
            try Scrypt.derive(password: $0, salt: Array("SodiumChloride".utf8),
                              parameters: ScryptParameters(logN: 14, r: 8, p: 1), count: 64)
        }
        XCTAssertEqual(Hex.encode(key.testArray), "7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2d5432955613f0fcf62d49705242a9af9e61e85dc0d651e40dfcf017b45575887")
    }

    func testScryptDefaultsToThirtyTwoBytesAndDependsOnSalt() throws {
        let cheap = ScryptParameters(logN: 4, r: 8, p: 1)
        let a = try withUTF8("pw") { try Scrypt.derive(password: $0, salt: [1], parameters: cheap) }
        let b = try withUTF8("pw") { try Scrypt.derive(password: $0, salt: [2], parameters: cheap) }
        XCTAssertEqual(a.count, 32)
        XCTAssertNotEqual(a.testArray, b.testArray)
    }

    func testScryptRejectsParametersOutOfRange() {
        for bad in [ScryptParameters(logN: 0, r: 8, p: 1), ScryptParameters(logN: 31, r: 8, p: 1),
                    ScryptParameters(logN: 10, r: 0, p: 1), ScryptParameters(logN: 10, r: 8, p: 0)] {
            XCTAssertThrowsError(try withUTF8("pw") { try Scrypt.derive(password: $0, salt: [1], parameters: bad) }) {
                guard case CryptoError.invalidLength = $0 else { return XCTFail("\(bad): \($0)") }
            }
        }
    }

    func testScryptDefaultParametersAreTwoToTheSeventeenEightOne() {
        XCTAssertEqual(ScryptParameters.default, ScryptParameters(logN: 17, r: 8, p: 1))
    }

    // RFC 5869 appendix A, cases 1 to 3.
    func testHKDFMatchesRFC5869CaseOne() throws {
        let okm = try HKDF.sha256(key: SecretBytes(copying: [UInt8](repeating: 0x0b, count: 22)),
                                  salt: Array(0x00...0x0c), info: Array(0xf0...0xf9), count: 42)
        XCTAssertEqual(Hex.encode(okm.testArray), "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865")
    }

    func testHKDFMatchesRFC5869CaseTwoWithLongInputs() throws {
        let okm = try HKDF.sha256(key: SecretBytes(copying: Array(UInt8(0x00)...UInt8(0x4f))),
                                  salt: Array(0x60...0xaf), info: Array(0xb0...0xff), count: 82)
        XCTAssertEqual(Hex.encode(okm.testArray), "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87")
    }

    func testHKDFMatchesRFC5869CaseThreeWithEmptySaltAndInfo() throws {
        let okm = try HKDF.sha256(key: SecretBytes(copying: [UInt8](repeating: 0x0b, count: 22)),
                                  salt: [], info: [], count: 42)
        XCTAssertEqual(Hex.encode(okm.testArray), "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8")
    }

    func testHKDFRejectsEmptyKeyAndOversizedOutput() {
        XCTAssertThrowsError(try HKDF.sha256(key: SecretBytes(count: 0), salt: [], info: [], count: 32))
        XCTAssertThrowsError(try HKDF.sha256(key: SecretBytes(count: 32), salt: [], info: [], count: 255 * 32 + 1))
    }

    // RFC 6070.
    func testPBKDF2SHA1MatchesRFC6070() throws {
        let cases: [(String, String, Int, Int, String)] = [
            ("password", "salt", 1, 20, "0c60c80f961f0e71f3a9b524af6012062fe037a6"),
            ("password", "salt", 2, 20, "ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957"),
            ("password", "salt", 4096, 20, "4b007901b765489abead49d926f721d065a429c1"),
            ("passwordPASSWORDpassword", "saltSALTsaltSALTsaltSALTsaltSALTsalt", 4096, 25,
             "3d2eec4fe41c849b80c8d83662c0e44a8b291a964cf2f07038"),
            ("pass\u{0}word", "sa\u{0}lt", 4096, 16, "56fa6aa75548099dcc37d7f03425e0c3"),
        ]
        for (password, salt, iterations, count, expected) in cases {
            let key = try withUTF8(password) {
                try PBKDF2.derive(password: $0, salt: Array(salt.utf8), iterations: iterations, prf: .sha1, count: count)
            }
            XCTAssertEqual(Hex.encode(key.testArray), expected, "\(password) x\(iterations)")
        }
    }

    func testPBKDF2SHA512MatchesKnownValue() throws {
        let key = try withUTF8("password") {
            try PBKDF2.derive(password: $0, salt: Array("salt".utf8), iterations: 1, prf: .sha512, count: 64)
        }
        XCTAssertEqual(Hex.encode(key.testArray), "867f70cf1ade02cff3752599a3a53dc4af34c7a669815ae5d513554e1c8cf252c02d470a285a0501bad999bfe943c08f050235d7d68b1da55e63f73b60a57fce")
    }

    func testPBKDF2RejectsZeroIterations() {
        XCTAssertThrowsError(try withUTF8("pw") {
            try PBKDF2.derive(password: $0, salt: [1], iterations: 0, prf: .sha1, count: 32)
        })
    }
}
