import Foundation
import XCTest
@testable import OnionsCore
import OnionsCrypto
import Synchronization

/// A store made by Debian's `pass` with a key made by `gpg` in a private GNUPGHOME.
final class PassStoreReaderTests: XCTestCase {
    static let items: [(path: String, text: String)] = [
        ("web/github.com/alice", "p4ss w0rd!\nlogin: alice\nurl: https://github.com/login\n"
            + "otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub\nRecovery codes are in the safe.\nSecond line.\n"),
        ("email/personal", "hunter2\n"),
        ("Very long account name at the bank of somewhere", "s3cret\nUsername: bob\npin: 1234\n"),
        ("wifi/café", "mot de passe été\n\nLe code du routeur: pas ici\n"),
    ]

    var root = ""
    var store: String { root + "/store" }

    override func setUpWithError() throws {
        root = try Peer.temporaryDirectory()
        try makeKey(home: root + "/gnupg", user: "Onions Import Test <import@example.org>")
        setenv("GNUPGHOME", root + "/gnupg", 1)
        let env = ["PASSWORD_STORE_DIR": store, "GNUPGHOME": root + "/gnupg"]
        try Peer.run("pass", ["init", "import@example.org"], environment: env)
        for item in Self.items {
            try Peer.run("pass", ["insert", "--multiline", item.path], stdin: item.text, environment: env)
        }
    }

    override func tearDownWithError() throws {
        for home in ["/gnupg", "/other"] where FileManager.default.fileExists(atPath: root + home) {
            _ = try? Peer.run("gpgconf", ["--kill", "gpg-agent"], environment: ["GNUPGHOME": root + home])
        }
        unsetenv("GNUPGHOME")
        try? FileManager.default.removeItem(atPath: root)
    }

    private func makeKey(home: String, user: String) throws {
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        try Peer.run("gpg", ["--batch", "--pinentry-mode", "loopback", "--passphrase", "",
                             "--quick-gen-key", user, "default", "default", "never"], environment: ["GNUPGHOME": home])
    }

    private func mtime(_ path: String) throws -> Int64 {
        let date = try FileManager.default.attributesOfItem(atPath: store + "/" + path + ".gpg")[.modificationDate] as! Date
        return Int64(date.timeIntervalSince1970.rounded(.down))
    }

    func testEveryFieldOfEveryEntryArrives() throws {
        let progress = Mutex<[Int]>([])
        let entries = try PassStoreReader.read(directory: store) { done, total in
            progress.withLock { $0.append(total == 4 ? done : -1) }
        }
        defer { entries.wipeAll() }
        XCTAssertEqual(progress.withLock { $0.sorted() }, [1, 2, 3, 4])
        let expected = [
            TestEntry(folder: "", title: "Very long account name at the bank of somewhere",
                      fields: [["password", "s3cret"], ["user name", "bob"], ["pin", "1234"]],
                      notes: nil, otp: nil, created: nil, changed: try mtime(Self.items[2].path)),
            TestEntry(folder: "email", title: "personal", fields: [["password", "hunter2"]],
                      notes: nil, otp: nil, created: nil, changed: try mtime("email/personal")),
            TestEntry(folder: "web/github.com", title: "alice",
                      fields: [["password", "p4ss w0rd!"], ["user name", "alice"], ["url", "https://github.com/login"]],
                      notes: "Recovery codes are in the safe.\nSecond line.",
                      otp: "otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub",
                      created: nil, changed: try mtime("web/github.com/alice")),
            TestEntry(folder: "wifi", title: "café", fields: [["password", "mot de passe été"], ["le code du routeur", "pas ici"]],
                      notes: nil, otp: nil, created: nil, changed: try mtime("wifi/café")),
        ]
        XCTAssertEqual(entries.map(\.testView), expected)
        XCTAssertEqual(entries[2].info().testText,
                       "p4ss w0rd!\nuser name: alice\nurl: https://github.com/login\n"
                       + "otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub\n\n"
                       + "Recovery codes are in the safe.\nSecond line.")
    }

    func testAKeyThatIsNotThereFailsNamingTheFileAndGivesNothing() throws {
        try makeKey(home: root + "/other", user: "Someone Else <else@example.org>")
        setenv("GNUPGHOME", root + "/other", 1)
        XCTAssertThrowsError(try PassStoreReader.read(directory: store)) { error in
            guard case .toolFailed(let text) = error as? ImportError else { return XCTFail("\(error)") }
            XCTAssertTrue(text.contains("Very long account name at the bank of somewhere.gpg"), text)
        }
    }

    func testACutOrChangedFileFailsTheWholeRead() throws {
        let path = store + "/email/personal.gpg"
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        var changed = bytes
        changed[changed.count - 5] ^= 1
        for damaged in [bytes.prefix(bytes.count / 2), changed] {
            try damaged.write(to: URL(fileURLWithPath: path))
            XCTAssertThrowsError(try PassStoreReader.read(directory: store)) { error in
                guard case .toolFailed(let text) = error as? ImportError else { return XCTFail("\(error)") }
                XCTAssertTrue(text.contains("email/personal.gpg"), text)
            }
        }
    }

    func testAMissingStoreIsUnreadable() {
        XCTAssertThrowsError(try PassStoreReader.read(directory: root + "/nowhere")) {
            guard case .unreadable = $0 as? ImportError else { return XCTFail("\($0)") }
        }
    }
}
