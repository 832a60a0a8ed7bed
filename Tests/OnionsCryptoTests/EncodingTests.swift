import XCTest
import OnionsCrypto

final class EncodingTests: XCTestCase {
    // RFC 4648 section 10.
    func testBase64EncodesRFC4648Vectors() {
        let cases = ["": "", "f": "Zg==", "fo": "Zm8=", "foo": "Zm9v", "foob": "Zm9vYg==", "fooba": "Zm9vYmE=", "foobar": "Zm9vYmFy"]
        for (plain, encoded) in cases {
            XCTAssertEqual(Base64.encode(Array(plain.utf8)), encoded)
            XCTAssertEqual(Base64.decode(encoded), Array(plain.utf8))
        }
    }

    func testBase64DecodeIgnoresLineBreaksAndSpaces() {
        XCTAssertEqual(Base64.decode(" Zm9v\r\nYmFy\n"), Array("foobar".utf8))
    }

    func testBase64DecodeRejectsForeignCharactersAndBadPadding() {
        for bad in ["Zm9v!", "Zm9", "Z===", "Zm=v", "Zg==Zg==", "=Zg="] {
            XCTAssertNil(Base64.decode(bad), bad)
        }
    }

    func testBase64LinesAreSixtyFourCharactersLikeTheOnionsApp() {
        let bytes = (0..<100).map { UInt8($0) }
        let text = Base64.encode(bytes, lineLength: 64)
        let lines = text.components(separatedBy: "\r\n")
        XCTAssertEqual(lines.map(\.count), [64, 64, 8])
        XCTAssertEqual(Base64.decode(text), bytes)
    }

    func testBase64RoundTripsRandomBytes() {
        for length in 0..<40 {
            let bytes = SecureRandom.bytes(length)
            XCTAssertEqual(Base64.decode(Base64.encode(bytes)), bytes)
        }
    }

    func testHexDecodesWithSpacesAndTabsAndEitherCase() {
        XCTAssertEqual(Hex.decode("0a Ff\t10"), [0x0a, 0xff, 0x10])
        XCTAssertEqual(Hex.encode([0x0a, 0xff, 0x10]), "0aff10")
        XCTAssertEqual(Hex.decodeSecret("0102")?.testArray, [1, 2])
    }

    func testHexRejectsOddLengthAndNonHex() {
        XCTAssertNil(Hex.decode("abc"))
        XCTAssertNil(Hex.decode("zz"))
    }
}
