import Foundation
import XCTest

/// `onions import --from onions-app` on exports made by an independent peer: Python's
/// `cryptography` builds RNCryptor v3 password-form messages with PBKDF2-HMAC-SHA512
/// (onionVersion 1) or -SHA1 (onionVersion 2) and the per-onion iteration count, base64 in
/// 64-character lines, as the original app stored them in Parse.
final class ImportOnionsAppTests: XCTestCase {
    /// Reads a spec (JSON) on standard input and prints the app's export of it.
    static let peer = #"""
    import sys, os, json, hmac, hashlib, base64
    from cryptography.hazmat.primitives import hashes, padding
    from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    spec = json.load(sys.stdin)
    def key(pw, salt, iterations, version):
        algorithm = hashes.SHA512() if version == 1 else hashes.SHA1()
        return PBKDF2HMAC(algorithm=algorithm, length=32, salt=salt, iterations=iterations).derive(pw)
    def encrypt(text, pw, iterations, version):
        es, hs, iv = os.urandom(8), os.urandom(8), os.urandom(16)
        ek, hk = key(pw, es, iterations, version), key(pw, hs, iterations, version)
        p = padding.PKCS7(128).padder(); data = p.update(text.encode('utf-8')) + p.finalize()
        e = Cipher(algorithms.AES(ek), modes.CBC(iv)).encryptor()
        msg = bytes([3, 1]) + es + hs + iv + e.update(data) + e.finalize()
        return msg + hmac.new(hk, msg, hashlib.sha256).digest()
    def lines64(message):
        s = base64.b64encode(message).decode('ascii')
        return '\r\n'.join(s[i:i + 64] for i in range(0, len(s), 64))
    results = []
    for o in spec['onions']:
        pw = o.get('password', spec['password']).encode('utf-8')
        title = encrypt(o['title'], pw, o['iterations'], o['version'])
        info = encrypt(o['info'], pw, o['iterations'], o['version'])
        if o.get('damage') == 'info':
            info = info[:40] + bytes([info[40] ^ 1]) + info[41:]
        results.append({'objectId': o['objectId'], 'onionTitle': lines64(title), 'onionInfo': lines64(info),
                        'iterations': o['iterations'], 'onionVersion': 1.0 if o['version'] == 1 else 2,
                        'userId': 'pQ8xY2', 'createdAt': o['updatedAt'], 'updatedAt': o['updatedAt']})
    print(json.dumps({'results': results}))
    """#

    static let oldPassword = "old app pässword"

    struct Onion {
        var objectId: String
        var title: String
        var info: String
        var iterations: Int
        var version: Int
        var updatedAt: String
        var password: String? = nil
        var damageInfo = false
    }

    /// Writes the peer's export of `onions` into the vault's folder and returns its path.
    func export(_ onions: [Onion], in vault: ScratchVault) throws -> String {
        let spec: [String: Any] = [
            "password": Self.oldPassword,
            "onions": onions.map { o -> [String: Any] in
                var d: [String: Any] = ["objectId": o.objectId, "title": o.title, "info": o.info,
                                        "iterations": o.iterations, "version": o.version, "updatedAt": o.updatedAt]
                if let p = o.password { d["password"] = p }
                if o.damageInfo { d["damage"] = "info" }
                return d
            },
        ]
        let result = try Harness.python(Self.peer, [], stdin: [UInt8](try JSONSerialization.data(withJSONObject: spec)))
        XCTAssertEqual(result.status, 0, "the peer failed: \(result.stderrText)")
        let path = vault.path("onions-export.json")
        try Data(result.stdout).write(to: URL(fileURLWithPath: path))
        return path
    }

    func importApp(_ file: String, into vault: ScratchVault, oldPassword: String = oldPassword) throws -> ProcessResult {
        let passwordFile = try vault.write("old-password", oldPassword + "\n")
        return try vault.onions(["import", "--from", "onions-app", file, "--old-password-file", passwordFile])
    }

    func testBothOnionVersionsWithTheirOwnIterationCountsImportMultibyteText() throws {
        let vault = try ScratchVault(for: self)
        let onions = [
            Onion(objectId: "v1aaaa", title: "Grüße 家 👍🏽", info: "Zeile eins\nzweite 密码 e\u{301}\n🧅",
                  iterations: 12_000, version: 1, updatedAt: "2016-03-01T10:00:00.000Z"),
            Onion(objectId: "v2bbbb", title: "Wi-Fi at mum's", info: "router: 5G \"home\"\tpass ünïcødé",
                  iterations: 7_500, version: 2, updatedAt: "2017-05-02T10:00:00.000Z"),
            Onion(objectId: "v2cccc", title: "Short", info: "",
                  iterations: 10_000, version: 2, updatedAt: "2015-01-01T10:00:00.000Z"),
        ]
        let result = try importApp(try export(onions, in: vault), into: vault)
        XCTAssertEqual(result.status, 0, result.stderrText)
        XCTAssertTrue(result.stderrText.contains("imported 3 of 3"), result.stderrText)
        // Newest change first, as the app showed them.
        XCTAssertEqual(try vault.onions(["list"]).stdoutText, "Wi-Fi at mum's\nGrüße 家 👍🏽\nShort\n")
        for onion in onions where !onion.info.isEmpty {
            let shown = try vault.onions(["show", onion.title])
            XCTAssertEqual(shown.status, 0, shown.stderrText)
            XCTAssertEqual(shown.stdoutText, onion.info + "\n")
        }
    }

    func testOverlongTitleAndInfoAreCutWithAMarkAndReportedNotDropped() throws {
        let vault = try ScratchVault(for: self)
        let longTitle = String(repeating: "家", count: 35) + "end"
        let longInfo = String(repeating: "ab家", count: 900)  // 2,700 characters
        let onions = [Onion(objectId: "longOne", title: longTitle, info: longInfo, iterations: 2_000, version: 2,
                            updatedAt: "2016-01-01T00:00:00.000Z")]
        let result = try importApp(try export(onions, in: vault), into: vault)
        XCTAssertEqual(result.status, 0, result.stderrText)
        XCTAssertTrue(result.stderrText.contains("onion longOne: the title had 38 characters"), result.stderrText)
        XCTAssertTrue(result.stderrText.contains("onion longOne: the info had 2700 characters"), result.stderrText)
        XCTAssertFalse(result.stderrText.contains("家"), "a report shows no text: \(result.stderrText)")
        let expectedTitle = String(repeating: "家", count: 29) + "…"
        XCTAssertEqual(try vault.onions(["list"]).stdoutText, expectedTitle + "\n")
        let info = try vault.onions(["show", expectedTitle]).stdoutText
        XCTAssertEqual(info, String(longInfo.prefix(2_499)) + "…\n")
        XCTAssertEqual(info.dropLast().count, 2_500)
    }

    func testDamagedFieldIsReportedByObjectIdAndTheRestImported() throws {
        let vault = try ScratchVault(for: self)
        let onions = [
            Onion(objectId: "goodOne", title: "First", info: "one", iterations: 3_000, version: 1,
                  updatedAt: "2016-01-01T00:00:00.000Z"),
            Onion(objectId: "brokenX", title: "Broken", info: "two", iterations: 3_000, version: 2,
                  updatedAt: "2016-01-02T00:00:00.000Z", damageInfo: true),
            Onion(objectId: "goodTwo", title: "Third", info: "three", iterations: 4_000, version: 2,
                  updatedAt: "2016-01-03T00:00:00.000Z"),
        ]
        let result = try importApp(try export(onions, in: vault), into: vault)
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderrText.contains("onion brokenX: the info did not open"), result.stderrText)
        XCTAssertFalse(result.stderrText.contains("goodOne"), result.stderrText)
        XCTAssertTrue(result.stderrText.contains("imported 2 of 3"), result.stderrText)
        XCTAssertEqual(try vault.onions(["list"]).stdoutText, "Third\nFirst\n")
    }

    /// An objectId holding an OSC 52 clipboard write, a title change, SGR 8, a C1 CSI and a bidi
    /// override reaches standard error visibly, never as the sequences themselves.
    func testEscapeSequencesInAnImportFilesNamesReachNoTerminal() throws {
        let vault = try ScratchVault(for: self)
        let hostile = "x\u{1B}]52;c;ZWNobyBwd25lZA==\u{07}\u{1B}]2;PWNED\u{07}\u{1B}[8m\u{9B}31m\u{202E}y"
        let onions = [
            Onion(objectId: hostile, title: "Broken", info: "two", iterations: 3_000, version: 2,
                  updatedAt: "2016-01-02T00:00:00.000Z", damageInfo: true),
        ]
        let result = try importApp(try export(onions, in: vault), into: vault)
        let text = try XCTUnwrap(String(validating: result.stderr, as: UTF8.self), "stderr is not UTF-8")
        let steering = text.unicodeScalars.filter {
            let v = $0.value
            return (v < 0x20 && v != 9 && v != 10) || (0x7F...0x9F).contains(v) || (0x202A...0x202E).contains(v)
                || (0x2066...0x2069).contains(v)
        }
        XCTAssertEqual(steering.map { String($0.value, radix: 16) }, [], text.debugDescription)
        XCTAssertTrue(text.contains("onion x\\e]52;c;ZWNobyBwd25lZA==\\x07\\e]2;PWNED\\x07\\e[8mU+009B31mU+202Ey: "),
                      "the control: the name arrived, visibly: \(text)")
    }

    func testWrongOldPasswordImportsNothing() throws {
        let vault = try ScratchVault(for: self)
        let onions = [
            Onion(objectId: "a1", title: "One", info: "1", iterations: 1_000, version: 1, updatedAt: "2016-01-01T00:00:00Z"),
            Onion(objectId: "a2", title: "Two", info: "2", iterations: 1_000, version: 2, updatedAt: "2016-01-02T00:00:00Z"),
        ]
        let result = try importApp(try export(onions, in: vault), into: vault, oldPassword: "not the old one")
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderrText.contains("wrong password? Nothing imported"), result.stderrText)
        XCTAssertEqual(try vault.onions(["list"]).stdoutText, "")
    }

    func testExportThatIsNotTheAppsFormatIsRefused() throws {
        let vault = try ScratchVault(for: self)
        let file = try vault.write("not-an-export.json", "{\"rows\": []}")
        let result = try importApp(file, into: vault)
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderrText.contains("no \"results\" list"), result.stderrText)
    }
}

/// A vault of its own for one test: a temporary folder holding the store, the state and
/// config folders and the password file, and a user already signed up (scrypt logN 10).
struct ScratchVault {
    static let user = "imp\u{f6}rter"
    static let password = "vault pass 🧅"
    let folder: URL
    /// The user of `onions(…)` unless one is named there.
    let user: String

    init(for test: XCTestCase, signUp: Bool = true, user: String = Self.user, password: String = Self.password) throws {
        folder = try Harness.temporaryDirectory(for: test)
        self.user = user
        _ = try write("password", password + "\n")
        if signUp {
            let result = try onions(["signup"])
            XCTAssertEqual(result.status, 0, "sign up failed: \(result.stderrText)")
        }
    }

    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    /// Writes a file in the folder and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path(name)))
        return path(name)
    }

    /// The environment every run gets: folders of this vault only, nothing from the user's.
    var environment: [String: String] {
        let base = ProcessInfo.processInfo.environment
        return ["PATH": base["PATH"] ?? "/usr/bin:/bin", "HOME": folder.path, "LANG": "C.UTF-8",
                "XDG_CONFIG_HOME": path("config"), "XDG_STATE_HOME": path("state"), "XDG_DATA_HOME": path("data")]
    }

    /// Runs onions on this vault's store as its user (`store` names another store file).
    func onions(_ arguments: [String], store: String = "vault.db", user: String? = nil,
                file: StaticString = #filePath, line: UInt = #line) throws -> ProcessResult {
        let global = ["--store", path(store), "--user", user ?? self.user, "--password-file", path("password"), "--kdf-cost", "15"]
        return try Harness.run(try Harness.onionsBinary(file: file, line: line), global + arguments,
                               environment: environment)
    }
}
