import Foundation
import XCTest
@testable import OnionsCore
import OnionsCrypto

/// The CSV that `keepassxc-cli export -f csv` writes from a KDBX made by pykeepass: every
/// column arrives (the CSV carries no custom fields, and KeePassXC writes the TOTP URI in its
/// own form, so that is checked by the codes it gives).
final class KeePassXCCSVReaderTests: XCTestCase {
    var dir = ""

    override func setUpWithError() throws { dir = try Peer.temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: dir) }

    private func code(_ uri: String?) throws -> String? {
        guard let uri else { return nil }
        return try Array(uri.utf8).withUnsafeBytes { try TOTP(uri: $0) }.code(at: 1_700_000_000).testText
    }

    func testEveryColumnOfEveryEntryArrives() throws {
        let json = try Peer.python(KDBXReaderTests.make, [dir, "csv pw", "aes256"])
        let items = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        let csv = try Peer.run("keepassxc-cli", ["export", "-q", "-f", "csv", "-k", dir + "/key.bin", dir + "/aes256.kdbx"],
                               stdin: "csv pw\n")
        XCTAssertTrue(csv.hasPrefix("\"Group\",\"Title\",\"Username\",\"Password\""), csv)
        let entries = try KeePassXCCSVReader.read(secret(csv))
        defer { entries.wipeAll() }
        XCTAssertEqual(entries.count, 2)
        XCTAssertEqual(items.count, 2)
        for item in items {
            let title = item["title"] as! String
            guard let entry = entries.first(where: { $0.title.testText == title }) else {
                XCTFail("\(title) did not arrive")
                continue
            }
            var fields: [[String]] = []
            for (name, key) in [("password", "password"), ("user name", "username"), ("url", "url")] {
                if let value = item[key] as? String, !value.isEmpty { fields.append([name, value]) }
            }
            let view = entry.testView
            XCTAssertEqual(view.folder, item["folder"] as? String)
            XCTAssertEqual(view.fields, fields)
            XCTAssertEqual(view.notes, item["notes"] as? String)
            XCTAssertEqual(view.created, Int64(item["created"] as! Int))
            XCTAssertEqual(view.changed, Int64(item["changed"] as! Int))
            XCTAssertEqual(try code(view.otp), try code(item["otp"] as? String), title)
        }
        XCTAssertNotNil(entries.first { $0.otp != nil })
    }

    func testAnOpenQuoteOrAShortRowIsDamaged() {
        let header = "\"Group\",\"Title\",\"Username\",\"Password\"\n"
        for text in [header + "\"Root\",\"a\",\"b\",\"c", header + "\"Root\",\"a\",\"b\"\n", "\"Name\",\"Secret\"\n\"a\",\"b\"\n"] {
            XCTAssertThrowsError(try KeePassXCCSVReader.read(secret(text))) {
                guard case .damaged = $0 as? ImportError else { return XCTFail("\($0)") }
            }
        }
        let quoted = try? KeePassXCCSVReader.read(secret(header + "\"Root/a,b\",\"say \"\"hi\"\"\",\"\",\"p,w\"\r\n"))
        XCTAssertEqual(quoted?.map(\.testView), [TestEntry(folder: "a,b", title: "say \"hi\"", fields: [["password", "p,w"]],
                                                           notes: nil, otp: nil, created: nil, changed: nil)])
    }
}
