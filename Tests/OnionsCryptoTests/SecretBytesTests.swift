import XCTest
import OnionsCrypto

final class SecretBytesTests: XCTestCase {
    func testWipeZeroesTheWholeMapping() {
        let secret = SecretBytes(copying: [UInt8](repeating: 0xa5, count: 100), capacity: 5000)
        XCTAssertTrue(secret.withWholeMappingForTesting { $0.contains(0xa5) })
        secret.wipe()
        XCTAssertEqual(secret.count, 0)
        XCTAssertTrue(secret.withWholeMappingForTesting { whole in whole.count >= 5000 && whole.allSatisfy { $0 == 0 } })
    }

    func testAppendRespectsCapacity() {
        let secret = SecretBytes(count: 0, capacity: 4)
        XCTAssertTrue(([1, 2, 3] as [UInt8]).withUnsafeBytes { secret.append($0) })
        XCTAssertFalse(([4, 5] as [UInt8]).withUnsafeBytes { secret.append($0) })
        XCTAssertEqual(secret.testArray, [1, 2, 3])
        XCTAssertTrue(secret.append(byte: 4))
        XCTAssertFalse(secret.append(byte: 5))
        XCTAssertEqual(secret.testArray, [1, 2, 3, 4])
    }

    func testTruncateWipesTheBytesCutOff() {
        let secret = SecretBytes(copying: [9, 9, 9, 9, 9, 9])
        secret.truncate(to: 2)
        XCTAssertEqual(secret.testArray, [9, 9])
        XCTAssertTrue(secret.withWholeMappingForTesting { Array($0[2..<6]) == [0, 0, 0, 0] })
    }

    func testConstantTimeEqualsComparesContentAndLength() {
        XCTAssertTrue(SecretBytes(copying: [1, 2]).constantTimeEquals(SecretBytes(copying: [1, 2])))
        XCTAssertFalse(SecretBytes(copying: [1, 2]).constantTimeEquals(SecretBytes(copying: [1, 3])))
        XCTAssertFalse(SecretBytes(copying: [1, 2]).constantTimeEquals(SecretBytes(copying: [1, 2, 0])))
    }
}
