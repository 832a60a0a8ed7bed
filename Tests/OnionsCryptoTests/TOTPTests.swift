import XCTest
@testable import OnionsCrypto

final class TOTPTests: XCTestCase {
    // RFC 6238 appendix B: the seeds are the ASCII digits "1234567890" repeated to the hash's
    // block of key (20, 32 and 64 bytes), 8 digits, 30-second steps.
    static let seeds: [(Digest.Algorithm, String)] = [
        (.sha1, "12345678901234567890"),
        (.sha256, "12345678901234567890123456789012"),
        (.sha512, "1234567890123456789012345678901234567890123456789012345678901234"),
    ]
    static let vectors: [(Int64, [String])] = [
        (59, ["94287082", "46119246", "90693936"]),
        (1111111109, ["07081804", "68084774", "25091201"]),
        (1111111111, ["14050471", "67062674", "99943326"]),
        (1234567890, ["89005924", "91819424", "93441116"]),
        (2000000000, ["69279037", "90698825", "38618901"]),
        (20000000000, ["65353130", "77737706", "47863826"]),
    ]

    func testRFC6238AppendixBVectorsForAllThreeHashes() throws {
        for (column, (algorithm, seed)) in Self.seeds.enumerated() {
            let totp = try TOTP(seed: SecretBytes(copying: Array(seed.utf8)), algorithm: algorithm, digits: 8, period: 30)
            for (time, codes) in Self.vectors {
                XCTAssertEqual(String(decoding: totp.code(at: time).testArray, as: UTF8.self), codes[column],
                               "\(algorithm) at \(time)")
            }
        }
    }

    func testURIGivesTheSameCodesAsTheSeed() throws {
        // "12345678901234567890" in base32, and the SHA-512 seed with lower case and padding.
        let sha1 = try withUTF8("otpauth://totp/Example:alice@example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Example&digits=8") {
            try TOTP(uri: $0)
        }
        XCTAssertEqual(String(decoding: sha1.code(at: 1111111109).testArray, as: UTF8.self), "07081804")
        let seed512 = Array("1234567890123456789012345678901234567890123456789012345678901234".utf8)
        let base32 = encodeBase32(seed512).lowercased()
        let sha512 = try withUTF8("OTPAUTH://TOTP/x?digits=8&ALGORITHM=sha512&period=30&secret=\(base32)") { try TOTP(uri: $0) }
        XCTAssertEqual(sha512.algorithm, .sha512)
        XCTAssertEqual(String(decoding: sha512.code(at: 20000000000).testArray, as: UTF8.self), "47863826")
    }

    func testDefaultsAreSixDigitsEveryThirtySecondsAndSecondsLeftCountsDown() throws {
        let totp = try withUTF8("otpauth://totp/x?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ") { try TOTP(uri: $0) }
        XCTAssertEqual(String(decoding: totp.code(at: 59).testArray, as: UTF8.self), "287082")
        XCTAssertEqual(totp.secondsLeft(at: 60), 30)
        XCTAssertEqual(totp.secondsLeft(at: 89), 1)
        let slow = try withUTF8("otpauth://totp/x?secret=GEZDGNBVGY3TQOJQ&period=60") { try TOTP(uri: $0) }
        XCTAssertEqual(slow.secondsLeft(at: 100), 20)
    }

    func testBadURIsAreRefusedByName() {
        let cases: [(String, TOTP.ParseError)] = [
            ("otpauth://hotp/x?secret=GEZDGNBV&counter=1", .notTOTP),
            ("https://example.com/?secret=GEZDGNBV", .notTOTP),
            ("otpauth://totp/x?issuer=none", .badSecret),
            ("otpauth://totp/x?secret=GEZ1DGNBV", .badSecret),
            ("otpauth://totp/x?secret=GEZDGNBV&algorithm=MD5", .badParameter("algorithm")),
            ("otpauth://totp/x?secret=GEZDGNBV&digits=4", .badParameter("digits")),
            ("otpauth://totp/x?secret=GEZDGNBV&period=0", .badParameter("period")),
        ]
        for (uri, expected) in cases {
            XCTAssertThrowsError(try withUTF8(uri) { try TOTP(uri: $0) }, uri) { XCTAssertEqual($0 as? TOTP.ParseError, expected, uri) }
        }
    }

    /// Base32 written here independently of `Base32.decode`, for the test only.
    private func encodeBase32(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        var out = "", buffer = 0, bits = 0
        for b in bytes {
            buffer = buffer << 8 | Int(b)
            bits += 8
            while bits >= 5 {
                bits -= 5
                out.append(alphabet[(buffer >> bits) & 31])
            }
        }
        if bits > 0 { out.append(alphabet[(buffer << (5 - bits)) & 31]) }
        return out
    }
}
