import OnionsCore
import OnionsCrypto
import XCTest

/// scrypt parameters from a store or a card record are held to `Limits` before any derivation:
/// memory (128·r·N at most 1 GiB), time (N·r·p at most 2^24) and the ranges of logN, r and p.
final class KDFLimitTests: VaultTestCase {
    private func problem(_ logN: UInt8, _ r: UInt32, _ p: UInt32) -> String? {
        Limits.kdfProblem(ScryptParameters(logN: logN, r: r, p: p))
    }

    func testTheDefaultsAndTheDearestAcceptedCostPass() {
        XCTAssertNil(Limits.kdfProblem(.default))
        XCTAssertNil(Limits.kdfProblem(Session.defaultCardKDF))
        XCTAssertNil(problem(20, 8, 2), "exactly 1 GiB and N·r·p = 2^24")
    }

    func testMemoryAboveOneGibibyteIsRefused() {
        XCTAssertEqual(problem(22, 32, 16), "its scrypt parameters (2^22, r = 32) need more than the limit of 1024 MiB of memory")
        XCTAssertEqual(problem(21, 8, 1), "its scrypt parameters (2^21, r = 8) need more than the limit of 1024 MiB of memory")
        XCTAssertEqual(problem(19, 32, 1), "its scrypt parameters (2^19, r = 32) need more than the limit of 1024 MiB of memory")
        XCTAssertEqual(problem(255, 1, 1), "its scrypt parameters (2^255, r = 1) need more than the limit of 1024 MiB of memory")
    }

    func testTimeAboveSixteenTimesTheDefaultIsRefused() {
        XCTAssertEqual(problem(20, 8, 3), "its scrypt parameters (2^20, r = 8, p = 3) would take longer than the "
                       + "limit of N·r·p = 2^24 (16 times the default)")
        XCTAssertEqual(problem(16, 32, 16), "its scrypt parameters (2^16, r = 32, p = 16) would take longer than the "
                       + "limit of N·r·p = 2^24 (16 times the default)")
    }

    func testRangesAreNamed() {
        XCTAssertEqual(problem(9, 8, 1), "its scrypt cost 2^9 is below the floor of 2^10", "this test's lowered floor")
        XCTAssertEqual(problem(15, 0, 1), "its scrypt block size r = 0 is outside 1 to 32")
        XCTAssertEqual(problem(15, 33, 1), "its scrypt block size r = 33 is outside 1 to 32")
        XCTAssertEqual(problem(15, 8, 0), "its scrypt parallelism p = 0 is outside 1 to 16")
        XCTAssertEqual(problem(15, 8, 17), "its scrypt parallelism p = 17 is outside 1 to 16")
    }

    /// A card asking for 16 GiB is refused with the limit's sentence, and nothing is saved.
    func testACardWithParametersOverTheLimitIsRefusedBeforeDeriving() throws {
        let session = try signUp()
        let hostile = ScryptParameters(logN: 22, r: 32, p: 16)
        XCTAssertThrowsError(try session.saveCard(id: nil, recipient: secret("Alice"), description: secret("gift"),
                                                  cardPassword: secret("snow"), kdf: hostile)) { error in
            XCTAssertEqual(error as? VaultError, .cardKDFRefused(
                "its scrypt parameters (2^22, r = 32) need more than the limit of 1024 MiB of memory"))
            XCTAssertEqual("\(error)", "the card's password cannot be used: its scrypt parameters (2^22, r = 32) need more "
                           + "than the limit of 1024 MiB of memory")
        }
        XCTAssertTrue(session.cards.isEmpty)
    }
}
