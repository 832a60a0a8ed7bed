import OnionsCrypto
import XCTest

final class SCRAMTests: XCTestCase {
    /// RFC 7677's example password and salt; the expected keys come from an independent
    /// implementation of the RFC's formulas (Python's hashlib and hmac).
    func testTheVerifierOfRFC7677sExampleHasItsStoredKeyAndServerKey() throws {
        let salt = try XCTUnwrap(Base64.decode("W22ZaJ0SNY7soEsUEjb6gQ=="))
        let verifier = try Array("pencil".utf8).withUnsafeBytes { try SCRAM.verifier(password: $0, salt: salt) }
        XCTAssertEqual(verifier, "SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$"
            + "WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=")
    }

    func testEachVerifierHasAFreshSalt() throws {
        let first = try Array("pencil".utf8).withUnsafeBytes { try SCRAM.verifier(password: $0) }
        let second = try Array("pencil".utf8).withUnsafeBytes { try SCRAM.verifier(password: $0) }
        XCTAssertNotEqual(first, second)
        XCTAssertTrue(first.hasPrefix("SCRAM-SHA-256$4096:"), first)
    }
}
