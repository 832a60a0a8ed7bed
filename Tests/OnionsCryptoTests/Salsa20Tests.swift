import XCTest
@testable import OnionsCrypto

final class Salsa20Tests: XCTestCase {
    // eSTREAM's Salsa20/20 256-bit set 1 vector 0: key 80 00 … 00, IV 0, first 64 bytes.
    func testTheFirstBlockOfTheESTREAMVector() throws {
        var key = [UInt8](repeating: 0, count: 32)
        key[0] = 0x80
        let stream = try Salsa20(key: SecretBytes(copying: key), nonce: [UInt8](repeating: 0, count: 8))
        let out = SecretBytes(count: 64)
        try stream.apply(out)
        XCTAssertEqual(out.testArray, decodeTestHex("E3BE8FDD8BECA2E3EA8EF9475B29A6E7003951E1097A5C38D23B7A5FAD9F6844"
                                                    + "B22C97559E2723C7CBBD3FE4FC8D9A0744652A83E72A9C461876AF4D7EF1A117"))
    }

    func testPiecesOfAnyLengthGiveTheSameStreamAsOneCall() throws {
        let key = SecretBytes(copying: (0..<32).map { UInt8($0) })
        let nonce: [UInt8] = [0xE8, 0x30, 0x09, 0x4B, 0x97, 0x20, 0x5D, 0x2A]
        let whole = SecretBytes(count: 300)
        try Salsa20(key: key, nonce: nonce).apply(whole)
        let pieces = try Salsa20Tests.pieces(key, nonce, [1, 63, 64, 5, 100, 67])
        XCTAssertEqual(pieces, whole.testArray)
    }

    private static func pieces(_ key: SecretBytes, _ nonce: [UInt8], _ sizes: [Int]) throws -> [UInt8] {
        let stream = try Salsa20(key: key, nonce: nonce)
        var out: [UInt8] = []
        for size in sizes {
            let piece = SecretBytes(count: size)
            try stream.apply(piece)
            out += piece.testArray
        }
        return out
    }
}
