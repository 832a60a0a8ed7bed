import XCTest
import OnionsCrypto

/// zlib's inflater behind `GzipInflate`: fixed vectors written by Python's `gzip.compress(data,
/// mtime=0)`, inflated whole, cut short, changed, and held to a cap.
final class GzipInflateTests: XCTestCase {
    /// gzip.compress(b"onions keep their layers\n", mtime=0)
    static let short = "H4sIAAAAAAACA8vPy8zPK1bITk0tUCjJSM0sUshJrEwtKuYCAHmtCuAZAAAA"

    /// gzip.compress(bytes((i * 7) % 251 for i in range(300000)), mtime=0): several 64 KiB
    /// chunks of output from 1500 bytes of input.
    static let long = [
        "H4sIAAAAAAACA+3PU5YQAAAAwM22udm2bdu2bddm27Zt27ZtW1/dozdzgwkIEzlWwuTpsuYpXKpijfrN2nbpPWjE+Glzl6ze",
        "tPPA8XNX7zx+9fFHsLBRYidKkT5b3iKlK9Vs0Lxd1z6DR06YPm/pms27Dp44f+3uk9effgYPFzVO4pQZsucrWqZyrYYt2nfr",
        "O2TUxBnzl63dsvvQyQvX7z198/lXiPDR4gamypgjf7GyVWo3atmhe7+hoyfNXLB83dY9h09dvHH/2dsvv0NGiB4vSepMOQsU",
        "L1e1TuNWHXv0HzZm8qyFK9Zv23vk9KWbD56/+/onVMQY8ZOmyZyrYIny1eo2ad2p54CgsVNmL1q5Yfu+o2cu33r44v23v6Ej",
        "xUyQLG2W3IVKVqher2mbzr0GDh83dc7iVRt37D929srtRy8/fA9QV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dX",
        "V1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dX",
        "V1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dX",
        "V1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dX",
        "V1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dX",
        "V1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dX",
        "V1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dX",
        "V1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dX",
        "V1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dX",
        "V1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dX",
        "V1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dX",
        "V1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dX",
        "V1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dX",
        "V1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dX",
        "V1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dX",
        "V1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dX",
        "V1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1f//+r/AD7KJbjgkwQA",
    ].joined()

    static let longPlain: [UInt8] = (0..<300_000).map { UInt8($0 * 7 % 251) }

    func secret(_ base64: String) -> SecretBytes {
        SecretBytes(copying: Base64.decode(base64)!)
    }

    func testInflatesAShortStream() throws {
        let out = try GzipInflate.inflate(secret(Self.short), limit: 1 << 20)
        XCTAssertEqual(out.testArray, Array("onions keep their layers\n".utf8))
    }

    func testInflatesAStreamLongerThanManyChunks() throws {
        let out = try GzipInflate.inflate(secret(Self.long), limit: 1 << 20)
        XCTAssertEqual(out.count, 300_000)
        XCTAssertEqual(out.testArray, Self.longPlain)
    }

    func testAnOutputPastTheCapIsRefused() {
        XCTAssertThrowsError(try GzipInflate.inflate(secret(Self.long), limit: 299_999)) {
            XCTAssertEqual($0 as? GzipInflate.Failure, .tooLarge)
        }
        XCTAssertThrowsError(try GzipInflate.inflate(secret(Self.short), limit: 24)) {
            XCTAssertEqual($0 as? GzipInflate.Failure, .tooLarge)
        }
        XCTAssertEqual(try GzipInflate.inflate(secret(Self.short), limit: 25).count, 25, "exactly the cap fits")
    }

    func testAStreamCutShortIsDamaged() {
        let whole = Base64.decode(Self.long)!
        for cut in [0, 5, 10, 700, whole.count - 8, whole.count - 1] {
            XCTAssertThrowsError(try GzipInflate.inflate(SecretBytes(copying: whole[0..<cut]), limit: 1 << 20), "cut at \(cut)") {
                XCTAssertEqual($0 as? GzipInflate.Failure, .damaged)
            }
        }
    }

    func testAChangedChecksumOrBodyIsDamaged() {
        let whole = Base64.decode(Self.short)!
        for index in [0, whole.count - 8, whole.count - 1] {  // magic, CRC-32, length
            var changed = whole
            changed[index] ^= 0x01
            XCTAssertThrowsError(try GzipInflate.inflate(SecretBytes(copying: changed), limit: 1 << 20), "byte \(index)") {
                XCTAssertEqual($0 as? GzipInflate.Failure, .damaged)
            }
        }
    }

    func testBytesThatAreNotGzipAreDamaged() {
        let plain = SecretBytes(copying: Array("not compressed at all".utf8))
        XCTAssertThrowsError(try GzipInflate.inflate(plain, limit: 1 << 20)) {
            XCTAssertEqual($0 as? GzipInflate.Failure, .damaged)
        }
    }
}
