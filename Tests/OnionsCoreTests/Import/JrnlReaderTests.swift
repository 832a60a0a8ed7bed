import Foundation
import XCTest
@testable import OnionsCore
import OnionsCrypto

/// Journals written by jrnl itself (its command line, then its own v3 encryption), and a v2
/// file as jrnl 2 to 4.5 wrote it; jrnl's own parser says what every entry must be.
final class JrnlReaderTests: XCTestCase {
    static let make = #"""
    import base64, json, os, subprocess, sys
    from cryptography.fernet import Fernet
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC
    from jrnl.config import load_config
    from jrnl.journals.Journal import Journal
    from jrnl.encryption.Jrnlv3Encryption import Jrnlv3Encryption
    d, password = sys.argv[1], sys.argv[2]
    cfg = os.path.join(d, "jrnl.yaml")
    with open(cfg, "w") as f:
        f.write("colors: {body: none, date: none, tags: none, title: none}\ndefault_hour: 9\ndefault_minute: 0\n"
                "editor: ''\nencrypt: false\nhighlight: false\nindent_character: '|'\n"
                "journals:\n  default:\n    journal: " + os.path.join(d, "journal.txt") + "\n"
                "linewrap: 79\ntagsymbols: '#@'\ntemplate: false\ntimeformat: '%F %r'\nversion: v4.6\n")
    def jrnl(*args, stdin=None):
        subprocess.run([sys.executable, "-m", "jrnl", "--config-file", cfg, *args], input=stdin, text=True,
                       check=True, capture_output=True)
    jrnl("2024-01-15 09:30: First entry title. Body of the first, with @tag.")
    jrnl(stdin="2024-02-01 18:05: Second title! Then more.\nA second line of body, été 家.\n")
    jrnl("2024-03-03 07:00: Starred one *")
    jrnl("2024-12-24 12:00: Noon on Christmas Eve")
    with open(os.path.join(d, "journal.txt"), "a") as f:
        f.write("\n[2024-04-05 08:15:00 PM] Written by hand (no break). Still body? Yes!")
    config = load_config(cfg)
    config.update(config["journals"]["default"])
    journal = Journal("default", **config)
    journal.open()
    text = open(os.path.join(d, "journal.txt")).read()
    encryption = Jrnlv3Encryption("default", config)
    encryption.password = password
    open(os.path.join(d, "v3.jrnl"), "wb").write(encryption.encrypt(text))
    salt = b"\xf2\xd5q\x0e\xc1\x8d.\xde\xdc\x8e6t\x89\x04\xce\xf8"
    key = PBKDF2HMAC(algorithm=hashes.SHA256(), length=32, salt=salt, iterations=100_000).derive(password.encode())
    open(os.path.join(d, "v2.jrnl"), "wb").write(Fernet(base64.urlsafe_b64encode(key)).encrypt(text.encode()))
    print(json.dumps([[e.title, e.body, int(e.date.timestamp()), e.starred] for e in journal.entries]))
    """#

    var dir = ""
    var expected: [[String]] = []

    override func setUpWithError() throws {
        dir = try Peer.temporaryDirectory()
        let json = try Peer.python(Self.make, [dir, "jöurnal pw"])
        let parsed = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[Any]])
        expected = parsed.map { e in
            ["", e[0] as! String, (e[1] as! String).isEmpty ? "-" : e[1] as! String, "\(e[2] as! Int)", "\(e[3] as! Bool)"]
        }
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: dir) }

    private func view(_ entries: [ImportedEntry]) -> [[String]] {
        entries.map { e in
            XCTAssertEqual(e.created, e.changed)
            XCTAssertTrue(e.fields.isEmpty && e.otp == nil)
            return [e.folder, e.title.testText, e.notes?.testText ?? "-", "\(e.created ?? -1)", "\(e.pinned)"]
        }
    }

    func testJrnlsOwnParseIsWhatArrivesFromPlainAndBothEncryptedForms() throws {
        XCTAssertEqual(expected.count, 5)
        XCTAssertEqual(Set(expected.map { $0[1] }), ["First entry title.", "Second title! Then more.", "Starred one",
                                                     "Written by hand (no break).", "Noon on Christmas Eve"])
        XCTAssertEqual(expected.filter { $0[4] == "true" }.map { $0[1] }, ["Starred one"])
        let plain = try SecretFile.read(dir + "/journal.txt")
        XCTAssertFalse(JrnlReader.isEncrypted(plain))
        XCTAssertEqual(view(try JrnlReader.read(plain, password: nil)), expected)
        for name in ["v3.jrnl", "v2.jrnl"] {
            let file = try SecretFile.read(dir + "/" + name)
            XCTAssertTrue(JrnlReader.isEncrypted(file), name)
            let entries = try JrnlReader.read(file, password: secret("jöurnal pw"), folder: "journal")
            defer { entries.wipeAll() }
            XCTAssertEqual(view(entries), expected.map { ["journal"] + $0.dropFirst() }, name)
        }
    }

    func testAWrongPasswordOrADamagedFileGivesNothing() throws {
        let file = try SecretFile.read(dir + "/v3.jrnl")
        XCTAssertThrowsError(try JrnlReader.read(file, password: secret("journal pw"))) {
            XCTAssertEqual($0 as? ImportError, .wrongPassword)
        }
        XCTAssertThrowsError(try JrnlReader.read(file, password: nil)) { XCTAssertEqual($0 as? ImportError, .passwordNeeded) }
        let cut = file.copy(prefix: file.count - 7)
        XCTAssertThrowsError(try JrnlReader.read(cut, password: secret("jöurnal pw"))) {
            guard case .damaged = $0 as? ImportError else { return XCTFail("\($0)") }
        }
        let header = file.copy(prefix: 12)
        XCTAssertThrowsError(try JrnlReader.read(header, password: secret("jöurnal pw"))) {
            guard case .damaged = $0 as? ImportError else { return XCTFail("\($0)") }
        }
    }
}
