import OnionsCrypto
import XCTest
@testable import OnionsCore

/// Commits: the payload layout, sealing, and what a reader refuses.
final class CommitTests: XCTestCase {
    static let vault = VaultID("commit-test-vault")
    static func key() -> SecretBytes { SecretBytes(copying: [UInt8](repeating: 7, count: 32)) }

    static func hash(_ n: UInt8) -> CommitHash { CommitHash([UInt8](repeating: n, count: 32))! }

    static func sample(parents: [CommitRef] = [CommitRef(hash: hash(1), count: 4), CommitRef(hash: hash(2), count: 6)]) -> Commit {
        Commit(count: (parents.map(\.count).max() ?? 0) + 1, time: 1_764_000_000_000, machine: MachineID([UInt8](repeating: 9, count: 16))!,
               headerHash: [UInt8](repeating: 3, count: 32), parents: parents,
               accepted: CommitRef(hash: hash(1), count: 4),
               known: [MachineID([UInt8](repeating: 5, count: 16))!: CommitRef(hash: hash(2), count: 6)],
               manifestName: RecordName([UInt8](repeating: 4, count: 32)),
               manifestDigest: RecordDigest(bytes: [UInt8](repeating: 8, count: 16)),
               releases: [RecordName([UInt8](repeating: 6, count: 32))])
    }

    func testACommitSealsToOneFixedLengthAndOpensToTheSameFields() throws {
        let sealer = CommitSealer(vault: Self.vault, key: Self.key())
        let small = try sealer.seal(Self.sample(parents: []))
        let large = try sealer.seal(Self.sample())
        XCTAssertEqual(small.blob.count, CommitSealer.sealedLength)
        XCTAssertEqual(large.blob.count, CommitSealer.sealedLength)
        XCTAssertEqual(try sealer.open(large.blob), Self.sample())
        XCTAssertEqual(large.hash, CommitHash(sealed: large.blob))
        XCTAssertNotEqual(try sealer.seal(Self.sample()).hash, large.hash, "a fresh nonce every seal")
    }

    func testACommitDoesNotOpenInAnotherVaultOrWithAFlippedByte() throws {
        let sealed = try CommitSealer(vault: Self.vault, key: Self.key()).seal(Self.sample()).blob
        XCTAssertThrowsError(try CommitSealer(vault: VaultID("another"), key: Self.key()).open(sealed))
        for index in [0, 1, 5, sealed.count / 2, sealed.count - 1] {
            var damaged = sealed
            damaged[index] ^= 1
            XCTAssertThrowsError(try CommitSealer(vault: Self.vault, key: Self.key()).open(damaged), "byte \(index)")
        }
        XCTAssertThrowsError(try CommitSealer(vault: Self.vault, key: Self.key()).open(Array(sealed.dropLast())))
    }

    func testAReaderRefusesCountsThatDoNotFollowTheParents() throws {
        var payload = try Self.sample().encoded()
        XCTAssertEqual(try Commit(decoding: payload), Self.sample())
        payload[9] ^= 1 // the count's low byte: no longer one more than the highest parent
        XCTAssertThrowsError(try Commit(decoding: payload))
        var first = Self.sample(parents: [])
        first.count = 2
        XCTAssertThrowsError(try Commit(decoding: try first.encoded()), "a first commit counts 1")
        XCTAssertThrowsError(try Commit(decoding: try Self.sample().encoded() + [0]), "bytes left over")
        XCTAssertThrowsError(try Commit(decoding: Array(try Self.sample().encoded().dropLast())), "cut short")
    }

    func testAReaderRefusesUnsortedOrRepeatedParents() throws {
        var payload = try Self.sample().encoded()
        // Parents start after kind, format, count, time, machine and header hash.
        let first = 2 + 8 + 8 + 16 + 32 + 1
        let a = Array(payload[first..<(first + 40)])
        payload.replaceSubrange(first..<(first + 40), with: payload[(first + 40)..<(first + 80)])
        payload.replaceSubrange((first + 40)..<(first + 80), with: a)
        XCTAssertThrowsError(try Commit(decoding: payload), "parents out of order")
    }
}
