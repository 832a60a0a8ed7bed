import Foundation
@testable import OnionsCore
import OnionsCrypto
import XCTest

/// The frozen format vectors (Vectors/format, FORMAT.md section 14): every one opens through
/// today's code with the outcome and the values it names; none may change.
///
/// Plain `XCTestCase`: the vault's scrypt cost is the real floor (logN 15), not the lowered
/// testing one, exactly as the vectors were made.
final class FormatVectorTests: XCTestCase {
    let folder = FormatVectorFolder.url

    func vectors() throws -> [FormatVector] { try FormatVectorFolder.vectors(in: folder) }

    func testEveryVectorHasItsOutcomeAndValues() throws {
        let all = try vectors()
        XCTAssertGreaterThanOrEqual(all.count, 25)
        for vector in all {
            let failures = FormatVectorCheck.failures(of: vector, in: folder)
            XCTAssertEqual(failures, [], vector.file)
        }
    }

    /// No file of the folder changed since it was frozen (`sha256sum -c SHA256SUMS` says the same).
    func testNoVectorFileChanged() throws {
        func sums(_ text: String) -> [String: String] {
            Dictionary(text.split(separator: "\n").map { ($0.split(separator: " ").last.map(String.init) ?? "", String($0)) },
                       uniquingKeysWith: { a, _ in a })
        }
        let frozen = sums(String(decoding: try Data(contentsOf: folder.appendingPathComponent("SHA256SUMS")), as: UTF8.self))
        let now = sums(try FormatVectorFolder.checksums(of: folder))
        XCTAssertGreaterThanOrEqual(frozen.count, 30)
        for file in Set(frozen.keys).union(now.keys).sorted() {
            XCTAssertEqual(now[file], frozen[file], "\(file) is not as it was frozen")
        }
    }

    /// Every payload kind the format writes, and every outcome, has a vector.
    func testTheVectorsCoverEveryKindAndOutcome() throws {
        let all = try vectors()
        let kinds = Set(all.filter { $0.has("payload-kind") }.compactMap { try? $0.number("payload-kind") })
        XCTAssertEqual(kinds, [1, 2, 3, 4, 5, 6, 8, 11], "record payload kinds (the manifest's 9 and 10 are in manifest.txt)")
        let outcomes = Set(all.compactMap { v in (try? v.value("case")).map { "\($0): \((try? v.value("expect")) ?? "")" } })
        XCTAssertEqual(outcomes, [
            "header: opens", "header: wrong password", "header: tampered", "header: refused",
            "record: opens", "record: damaged", "record: moved", "record: wrong password",
            "manifest: opens", "manifest: damaged",
            "backup: opens", "backup: wrong password", "backup: cut off", "backup: unreadable",
            "sqlite-vault: opens", "local-state: opens", "local-state: rolled back",
        ])
        let cards = all.filter { $0.has("sealed-under") && (try? $0.value("expect")) == "opens" }
        XCTAssertTrue(cards.contains { card in
            guard let key = try? card.value("logical-key"), let under = try? card.value("sealed-under") else { return false }
            return key != "card/" + under
        }, "a card whose payload ends with the id its description was sealed under")
    }

    /// One changed byte in the blob of any record that opens, anywhere in it, and it no longer does.
    func testOneFlippedByteInARecordFails() throws {
        for vector in try vectors() where (try? vector.value("case")) == "record" && (try? vector.value("expect")) == "opens" {
            let blob = try vector.base64("blob")
            for at in [0, 1, 2, 13, 14, blob.count / 2, blob.count - 17, blob.count - 1] {
                let failures = FormatVectorCheck.failures(of: replacing(vector, "blob", with: flipped(blob, at: at)), in: folder)
                XCTAssertFalse(failures.isEmpty, "\(vector.file): byte \(at) flipped still opens")
            }
        }
    }

    /// One changed byte in the root or in any part, and the manifest does not open.
    func testOneFlippedByteInTheManifestFails() throws {
        let manifest = try XCTUnwrap(try vectors().first { $0.file == "manifest.txt" })
        let root = try manifest.base64("root-blob")
        XCTAssertFalse(FormatVectorCheck.failures(of: replacing(manifest, "root-blob", with: flipped(root, at: root.count / 2)),
                                                  in: folder).isEmpty)
        let parts = manifest.values("part")
        XCTAssertGreaterThanOrEqual(parts.count, 2)
        for (i, line) in parts.enumerated() {
            let f = line.split(separator: " ")
            let blob = try XCTUnwrap(Base64.decode(String(f[2])))
            var changed = manifest
            var seen = 0
            for (j, field) in changed.fields.enumerated() where field.key == "part" {
                if seen == i { changed.fields[j].value = "\(f[0]) \(f[1]) \(Base64.encode(flipped(blob, at: 40)))" }
                seen += 1
            }
            XCTAssertFalse(FormatVectorCheck.failures(of: changed, in: folder).isEmpty, "part \(f[0]) flipped still opens")
        }
    }

    /// One changed byte in the header's parameters, wrapped key or verifier, and it no longer opens.
    func testOneFlippedByteInTheHeaderFails() throws {
        let header = try XCTUnwrap(try vectors().first { $0.file == "header.txt" })
        for field in ["parameters", "wrapped-key", "verifier"] {
            let bytes = try header.hex(field)
            for at in [bytes.count / 2, bytes.count - 1] {
                let changed = replacing(header, field, with: flipped(bytes, at: at), hex: true)
                XCTAssertFalse(FormatVectorCheck.failures(of: changed, in: folder).isEmpty, "\(field) byte \(at) flipped")
            }
        }
    }

    /// A backup whose header lines changed by one byte does not open as the vector says.
    func testOneFlippedByteInTheBackupFails() throws {
        let backup = try XCTUnwrap(try vectors().first { $0.file == "backup.txt" })
        let file = [UInt8](try Data(contentsOf: folder.appendingPathComponent("vault.onions-backup")))
        let lines = file.split(separator: UInt8(ascii: "\n"))
        try FormatVectorCheck.inTemporaryFolder { temporary in
            for line in 1...4 {
                let offset = lines[..<line].map { $0.count + 1 }.reduce(0, +) + lines[line].count - 6
                var changed = file
                changed[offset] = changed[offset] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
                try Data(changed).write(to: temporary.appendingPathComponent("vault.onions-backup"))
                XCTAssertFalse(FormatVectorCheck.failures(of: backup, in: temporary).isEmpty, "line \(line + 1) changed")
            }
        }
    }

    // MARK: Helpers

    func flipped(_ bytes: [UInt8], at offset: Int) -> [UInt8] {
        var out = bytes
        out[offset] ^= 0x01
        return out
    }

    func replacing(_ vector: FormatVector, _ key: String, with bytes: [UInt8], hex: Bool = false) -> FormatVector {
        var out = vector
        for (i, field) in out.fields.enumerated() where field.key == key {
            out.fields[i].value = hex ? Hex.encode(bytes) : Base64.encode(bytes)
        }
        return out
    }
}
