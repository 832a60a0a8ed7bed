import Foundation
import XCTest
@testable import OnionsCore
import OnionsCrypto

/// KDBX 4 files made by pykeepass (AES-256 with Argon2d, ChaCha20 with Argon2id, a password and a key
/// file): nested groups, TOTP, protected custom fields, an entry with history, one in the bin.
/// pykeepass reads each file back and says what every entry must be.
final class KDBXReaderTests: XCTestCase {
    static let make = #"""
    import json, os, sys
    from pykeepass import create_database, PyKeePass
    d, password, cipher = sys.argv[1], sys.argv[2], sys.argv[3]
    keyfile = os.path.join(d, "key.bin")
    if not os.path.exists(keyfile):
        open(keyfile, "wb").write(os.urandom(100))
    path = os.path.join(d, cipher + ".kdbx")
    kp = create_database(path, password=password, keyfile=keyfile)
    header = kp.kdbx.header.value.dynamic_header
    kdf = header.kdf_parameters.data.dict
    kdf["I"].value, kdf["M"].value = 3, 8 * 1024 * 1024  # lighter than the default, for test time
    if cipher == "chacha20":
        header.cipher_id.data = "chacha20"
        header.encryption_iv.data = os.urandom(12)
        kdf["$UUID"].value = bytes.fromhex("9e298b1956db4773b23dfc3ec6f0a1e6")  # Argon2id
    web = kp.add_group(kp.root_group, "web")
    gh = kp.add_group(web, "github.com")
    e = kp.add_entry(gh, "alice", "alice@example.com", "old password", url="https://github.com/login",
                     notes="Recovery codes\nline 2 été",
                     otp="otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub")
    e.save_history()
    e.password = "p4ss w0rd! <&>"
    e.set_custom_property("PIN", "1234", protect=True)
    e.set_custom_property("Recovery email", "alice@backup.example")
    kp.add_entry(kp.root_group, "Top level 家", "", "hunter2")
    kp.add_entry(web, "Thrown away", "bob", "gone in the bin")
    kp.trash_entry(kp.find_entries(title="Thrown away", first=True))
    kp.save()
    kp = PyKeePass(path, password=password, keyfile=keyfile)
    assert kp.encryption_algorithm == cipher, kp.encryption_algorithm
    assert kp.kdf_algorithm == ("argon2id" if cipher == "chacha20" else "argon2"), kp.kdf_algorithm
    out = []
    for entry in kp.entries:
        if kp.recyclebin_group is not None and entry.group.uuid == kp.recyclebin_group.uuid:
            continue
        out.append({"folder": "/".join(entry.group.path), "title": entry.title, "username": entry.username,
                    "password": entry.password, "url": entry.url, "notes": entry.notes, "otp": entry.otp,
                    "custom": [[k, v] for k, v in entry.custom_properties.items()],
                    "created": int(entry.ctime.timestamp()), "changed": int(entry.mtime.timestamp())})
    print(json.dumps(out))
    """#

    var dir = ""

    override func setUpWithError() throws { dir = try Peer.temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: dir) }

    /// Makes the file and returns pykeepass's view of its entries.
    private func make(_ cipher: String) throws -> [TestEntry] {
        let json = try Peer.python(Self.make, [dir, "kdbx pässword", cipher])
        let items = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        return items.map { item in
            var fields: [[String]] = []
            for (name, key) in [("password", "password"), ("user name", "username"), ("url", "url")] {
                if let value = item[key] as? String, !value.isEmpty { fields.append([name, value]) }
            }
            fields += (item["custom"] as? [[String]]) ?? []
            return TestEntry(folder: item["folder"] as! String, title: item["title"] as! String, fields: fields,
                             notes: item["notes"] as? String, otp: item["otp"] as? String,
                             created: Int64(item["created"] as! Int), changed: Int64(item["changed"] as! Int))
        }
    }

    private func file(_ cipher: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: "\(dir)/\(cipher).kdbx")))
    }

    private func keyFile() throws -> SecretBytes { try SecretFile.read(dir + "/key.bin") }

    func testEveryFieldOfEveryEntryArrivesUnderBothCiphers() throws {
        for cipher in ["aes256", "chacha20"] {
            let expected = try make(cipher)
            XCTAssertEqual(expected.count, 2)
            XCTAssertEqual(expected.first { $0.title == "alice" }?.fields.first, ["password", "p4ss w0rd! <&>"])
            let entries = try KDBXReader.read(try file(cipher), password: secret("kdbx pässword"), keyFile: try keyFile())
            defer { entries.wipeAll() }
            XCTAssertEqual(entries.map(\.testView), expected, cipher)
        }
    }

    func testAWrongPasswordOrMissingKeyFileOpensNothing() throws {
        _ = try make("aes256")
        let bytes = try file("aes256")
        for (password, key) in [(secret("kdbx password"), try keyFile()), (secret("kdbx pässword"), nil),
                                (nil, try keyFile()), (secret("kdbx pässword"), secret("another key file"))] {
            XCTAssertThrowsError(try KDBXReader.read(bytes, password: password, keyFile: key)) {
                XCTAssertEqual($0 as? ImportError, .wrongPassword)
            }
        }
        XCTAssertThrowsError(try KDBXReader.read(bytes, password: nil, keyFile: nil)) {
            XCTAssertEqual($0 as? ImportError, .passwordNeeded)
        }
    }

    func testAChangedOrCutFileIsDamaged() throws {
        _ = try make("chacha20")
        let bytes = try file("chacha20")
        var changed = bytes
        changed[changed.count - 40] ^= 0x01
        var header = bytes
        header[20] ^= 0x01
        for damaged in [changed, Array(bytes.prefix(bytes.count - 100)), header, Array(bytes.prefix(40))] {
            XCTAssertThrowsError(try KDBXReader.read(damaged, password: secret("kdbx pässword"), keyFile: try keyFile())) {
                guard case .damaged = $0 as? ImportError else { return XCTFail("\($0)") }
            }
        }
    }

    /// keepassxc-cli's own `db-create` writes KDBX 3.1 (AES-KDF, Salsa20 protected values).
    func testAKDBX31FileMadeByKeePassXCItselfArrives() throws {
        let path = dir + "/keepassxc.kdbx"
        try Peer.run("keepassxc-cli", ["db-create", "-q", "-p", "-t", "100", path], stdin: "xc pw\nxc pw\n")
        try Peer.run("keepassxc-cli", ["mkdir", "-q", path, "web"], stdin: "xc pw\n")
        try Peer.run("keepassxc-cli", ["add", "-q", "-u", "bob", "--url", "https://x.example", "-p", path, "Top"],
                     stdin: "xc pw\nfirst pässword\n")
        try Peer.run("keepassxc-cli", ["add", "-q", "-u", "al", "--notes", "two\nlines", "-p", path, "web/Mail"],
                     stdin: "xc pw\nsecond pw\n")
        let read = #"""
        import json, sys
        from pykeepass import PyKeePass
        kp = PyKeePass(sys.argv[1], password=sys.argv[2])
        assert kp.version == (3, 1), kp.version
        print(json.dumps([["/".join(e.group.path), e.title, e.username, e.password, e.url, e.notes,
                           int(e.ctime.timestamp()), int(e.mtime.timestamp())] for e in kp.entries]))
        """#
        let json = try Peer.python(read, [path, "xc pw"])
        let items = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[Any]])
        let expected = items.map { i in
            TestEntry(folder: i[0] as! String, title: i[1] as! String,
                      fields: [["password", i[3] as! String], ["user name", i[2] as! String]]
                          + ((i[4] as? String).map { [["url", $0]] } ?? []),
                      notes: i[5] as? String, otp: nil, created: Int64(i[6] as! Int), changed: Int64(i[7] as! Int))
        }
        XCTAssertEqual(Set(expected.map(\.title)), ["Top", "Mail"])
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        let entries = try KDBXReader.read(bytes, password: secret("xc pw"), keyFile: nil)
        defer { entries.wipeAll() }
        XCTAssertEqual(entries.map(\.testView), expected)
        XCTAssertThrowsError(try KDBXReader.read(bytes, password: secret("xc pW"), keyFile: nil)) {
            XCTAssertEqual($0 as? ImportError, .wrongPassword)
        }
        var changed = bytes
        changed[changed.count - 20] ^= 1
        XCTAssertThrowsError(try KDBXReader.read(changed, password: secret("xc pw"), keyFile: nil)) {
            XCTAssertNotNil($0 as? ImportError)
        }
    }
}
