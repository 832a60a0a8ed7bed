import Foundation
import XCTest

/// `onions rncryptor` against independent peers: Python's `rncryptor` package for the
/// standard password form, and `cryptography` + `hashlib` for the key form and the Onions
/// app's SHA-512 PRF.
final class RNCryptorInteropTests: XCTestCase {
    /// The peer, run as `python -c peer MODE DIR COUNT [ITERATIONS]`. Case i uses files in DIR:
    /// `pw<i>` (password + one "\n"), `pt<i>` (plaintext), `ct<i>` (message), `ek<i>`/`hk<i>`
    /// (raw keys), `out<i>` (what the peer decrypted).
    static let peer = #"""
    import sys, os, hmac, hashlib, rncryptor
    from cryptography.hazmat.primitives import padding
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    mode, d, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    def rd(name, i):
        with open(os.path.join(d, name + str(i)), 'rb') as f: return f.read()
    def wr(name, i, data):
        with open(os.path.join(d, name + str(i)), 'wb') as f: f.write(data)
    def pw(i):
        p = rd('pw', i)
        return p[:-1] if p.endswith(b'\n') else p
    def seal(header, iv, pt, ek, hk):
        p = padding.PKCS7(128).padder(); data = p.update(pt) + p.finalize()
        e = Cipher(algorithms.AES(ek), modes.CBC(iv)).encryptor()
        msg = header + iv + e.update(data) + e.finalize()
        return msg + hmac.new(hk, msg, hashlib.sha256).digest()
    def unseal(msg, header_len, ek, hk):
        body, mac = msg[:-32], msg[-32:]
        if not hmac.compare_digest(hmac.new(hk, body, hashlib.sha256).digest(), mac): raise ValueError('hmac')
        iv = body[header_len - 16:header_len]
        dec = Cipher(algorithms.AES(ek), modes.CBC(iv)).decryptor()
        u = padding.PKCS7(128).unpadder()
        return u.update(dec.update(body[header_len:]) + dec.finalize()) + u.finalize()
    for i in range(n):
        if mode == 'encrypt':
            wr('ct', i, rncryptor.encrypt(rd('pt', i), pw(i)))
        elif mode == 'decrypt':
            wr('out', i, rncryptor.decrypt(rd('ct', i), pw(i)).encode('utf-8'))
        elif mode == 'key-encrypt':
            iv = os.urandom(16)
            wr('ct', i, seal(b'\x03\x00', iv, rd('pt', i), rd('ek', i), rd('hk', i)))
        elif mode == 'key-decrypt':
            m = rd('ct', i)
            assert m[0] == 3 and m[1] == 0, 'not the key form'
            wr('out', i, unseal(m, 18, rd('ek', i), rd('hk', i)))
        elif mode == 'sha512-encrypt':
            it = int(sys.argv[4]); es, hs, iv = os.urandom(8), os.urandom(8), os.urandom(16)
            ek = hashlib.pbkdf2_hmac('sha512', pw(i), es, it, 32)
            hk = hashlib.pbkdf2_hmac('sha512', pw(i), hs, it, 32)
            wr('ct', i, seal(b'\x03\x01' + es + hs, iv, rd('pt', i), ek, hk))
        else:
            sys.exit('unknown mode ' + mode)
    """#

    /// Pieces random texts and passwords are made of: ASCII, accents, combining marks, CJK, emoji.
    static let pieces = ["a", "Z", "7", " ", "!", "é", "ß", "e\u{301}", "中", "文", "密码", "👍🏽", "🧅", "Ω", "\t", "\n", "\""]

    func randomText(maxPieces: Int, allowNewline: Bool = true) -> String {
        let pool = allowNewline ? Self.pieces : Self.pieces.filter { $0 != "\n" }
        return (0..<Int.random(in: 0...maxPieces)).map { _ in pool.randomElement()! }.joined()
    }

    func randomPassword() -> String {
        var password = ""
        while password.isEmpty { password = randomText(maxPieces: 12, allowNewline: false) }
        return password
    }

    /// Writes `pw<i>` and `pt<i>` for `count` random cases (case 0 is an empty text).
    func makeCases(_ dir: URL, count: Int) throws -> [(password: String, text: String)] {
        var cases: [(String, String)] = []
        for i in 0..<count {
            let text = i == 0 ? "" : randomText(maxPieces: 80)
            let password = randomPassword()
            try Data((password + "\n").utf8).write(to: dir.appendingPathComponent("pw\(i)"))
            try Data(text.utf8).write(to: dir.appendingPathComponent("pt\(i)"))
            cases.append((password, text))
        }
        return cases
    }

    func runPeer(_ mode: String, _ dir: URL, _ count: Int, _ extra: [String] = [],
                 file: StaticString = #filePath, line: UInt = #line) throws {
        let result = try Harness.python(Self.peer, [mode, dir.path, String(count)] + extra, file: file, line: line)
        XCTAssertEqual(result.status, 0, "peer \(mode) failed: \(result.stderrText)", file: file, line: line)
    }

    func read(_ dir: URL, _ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: dir.appendingPathComponent(name)))
    }

    func passwordFile(_ dir: URL, _ i: Int) -> String { dir.appendingPathComponent("pw\(i)").path }

    // MARK: Password form against Python's rncryptor

    func testOnionsOpensTwentyMessagesMadeByPythonRNCryptor() throws {
        let dir = try Harness.temporaryDirectory(for: self)
        let cases = try makeCases(dir, count: 20)
        try runPeer("encrypt", dir, cases.count)
        for (i, c) in cases.enumerated() {
            let result = try Harness.onions(["rncryptor", "decrypt", "--password-file", passwordFile(dir, i)],
                                            stdin: read(dir, "ct\(i)"))
            XCTAssertEqual(result.status, 0, "case \(i): \(result.stderrText)")
            XCTAssertEqual(result.stdout, Array(c.text.utf8), "case \(i)")
        }
    }

    func testPythonRNCryptorOpensTwentyMessagesMadeByOnions() throws {
        let dir = try Harness.temporaryDirectory(for: self)
        let cases = try makeCases(dir, count: 20)
        for (i, c) in cases.enumerated() {
            let result = try Harness.onions(["rncryptor", "encrypt", "--password-file", passwordFile(dir, i)],
                                            stdin: Array(c.text.utf8))
            XCTAssertEqual(result.status, 0, "case \(i): \(result.stderrText)")
            XCTAssertEqual(result.stdout.count, 34 + (c.text.utf8.count / 16 + 1) * 16 + 32, "case \(i)")
            try Data(result.stdout).write(to: dir.appendingPathComponent("ct\(i)"))
        }
        try runPeer("decrypt", dir, cases.count)
        for (i, c) in cases.enumerated() {
            XCTAssertEqual(try read(dir, "out\(i)"), Array(c.text.utf8), "case \(i)")
        }
    }

    func testBase64ModeInteroperatesBothWaysWithLineBreaks() throws {
        let dir = try Harness.temporaryDirectory(for: self)
        let cases = try makeCases(dir, count: 4)
        // Onions writes base64; the peer reads the decoded bytes.
        for (i, c) in cases.enumerated() {
            let result = try Harness.onions(["rncryptor", "encrypt", "--base64", "--password-file", passwordFile(dir, i)],
                                            stdin: Array(c.text.utf8))
            XCTAssertEqual(result.status, 0, result.stderrText)
            XCTAssertTrue(result.stdoutText.hasSuffix("\n"))
            let decoded = try XCTUnwrap(Data(base64Encoded: result.stdoutText.trimmingCharacters(in: .newlines)))
            try decoded.write(to: dir.appendingPathComponent("ct\(i)"))
        }
        try runPeer("decrypt", dir, cases.count)
        for (i, c) in cases.enumerated() { XCTAssertEqual(try read(dir, "out\(i)"), Array(c.text.utf8)) }
        // The peer's bytes go in as base64 broken into 64-character CR LF lines (the Onions app's layout).
        try runPeer("encrypt", dir, cases.count)
        for (i, c) in cases.enumerated() {
            let text = Data(try read(dir, "ct\(i)")).base64EncodedString(options: [.lineLength64Characters])
            XCTAssertTrue(text.contains("\r\n"))
            let result = try Harness.onions(["rncryptor", "decrypt", "--base64", "--password-file", passwordFile(dir, i)],
                                            stdin: Array(text.utf8))
            XCTAssertEqual(result.status, 0, result.stderrText)
            XCTAssertEqual(result.stdout, Array(c.text.utf8))
        }
    }

    // MARK: Damage

    func testEverySingleByteFlipExitsOneWithNothingOnStandardOutput() throws {
        let dir = try Harness.temporaryDirectory(for: self)
        try Data("pw\n".utf8).write(to: dir.appendingPathComponent("pw0"))
        try Data("a short secret text".utf8).write(to: dir.appendingPathComponent("pt0"))
        try runPeer("encrypt", dir, 1)
        let message = try read(dir, "ct0")
        let intact = try Harness.onions(["rncryptor", "decrypt", "--password-file", passwordFile(dir, 0)], stdin: message)
        XCTAssertEqual(intact.stdoutText, "a short secret text")
        for i in message.indices {
            var damaged = message
            damaged[i] ^= 0x10
            let result = try Harness.onions(["rncryptor", "decrypt", "--password-file", passwordFile(dir, 0)], stdin: damaged)
            XCTAssertEqual(result.status, 1, "byte \(i)")
            XCTAssertEqual(result.stdout, [], "byte \(i)")
            XCTAssertTrue(result.stderrText.hasPrefix("onions: "), "byte \(i): \(result.stderrText)")
        }
    }

    func testWrongPasswordSaysSoOnOneLine() throws {
        let dir = try Harness.temporaryDirectory(for: self)
        try Data("right\n".utf8).write(to: dir.appendingPathComponent("pw0"))
        try Data("text".utf8).write(to: dir.appendingPathComponent("pt0"))
        try runPeer("encrypt", dir, 1)
        try Data("wrong\n".utf8).write(to: dir.appendingPathComponent("pw0"))
        let result = try Harness.onions(["rncryptor", "decrypt", "--password-file", passwordFile(dir, 0)],
                                        stdin: read(dir, "ct0"))
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.stdout, [])
        XCTAssertEqual(result.stderrText, "onions: wrong password or damaged data\n")
    }

    func testEmptyAndEveryTruncatedInputExitOneWithNothingOnStandardOutput() throws {
        let dir = try Harness.temporaryDirectory(for: self)
        try Data("pw\n".utf8).write(to: dir.appendingPathComponent("pw0"))
        try Data("truncate me".utf8).write(to: dir.appendingPathComponent("pt0"))
        try runPeer("encrypt", dir, 1)
        let message = try read(dir, "ct0")
        for count in 0..<message.count {
            let result = try Harness.onions(["rncryptor", "decrypt", "--password-file", passwordFile(dir, 0)],
                                            stdin: Array(message.prefix(count)))
            XCTAssertEqual(result.status, 1, "\(count) bytes")
            XCTAssertEqual(result.stdout, [], "\(count) bytes")
        }
    }

    // MARK: Key form and the Onions app's SHA-512 PRF, against cryptography + hashlib

    func testKeyFormInteroperatesBothWays() throws {
        let dir = try Harness.temporaryDirectory(for: self)
        let cases = try makeCases(dir, count: 5)
        var keyArguments: [[String]] = []
        for i in cases.indices {
            let ek = (0..<32).map { _ in UInt8.random(in: 0...255) }, hk = (0..<32).map { _ in UInt8.random(in: 0...255) }
            try Data(ek).write(to: dir.appendingPathComponent("ek\(i)"))
            try Data(hk).write(to: dir.appendingPathComponent("hk\(i)"))
            keyArguments.append(["--enc-key", hex(ek), "--hmac-key", hex(hk)])
        }
        try runPeer("key-encrypt", dir, cases.count)
        for (i, c) in cases.enumerated() {
            let result = try Harness.onions(["rncryptor", "decrypt"] + keyArguments[i], stdin: read(dir, "ct\(i)"))
            XCTAssertEqual(result.status, 0, result.stderrText)
            XCTAssertEqual(result.stdout, Array(c.text.utf8))
            let made = try Harness.onions(["rncryptor", "encrypt"] + keyArguments[i], stdin: Array(c.text.utf8))
            XCTAssertEqual(made.status, 0, made.stderrText)
            try Data(made.stdout).write(to: dir.appendingPathComponent("ct\(i)"))
        }
        try runPeer("key-decrypt", dir, cases.count)
        for (i, c) in cases.enumerated() { XCTAssertEqual(try read(dir, "out\(i)"), Array(c.text.utf8)) }
    }

    func testSHA512PRFWithStoredIterationsOpensAndWrongSettingsDoNot() throws {
        let dir = try Harness.temporaryDirectory(for: self)
        let cases = try makeCases(dir, count: 3)
        try runPeer("sha512-encrypt", dir, cases.count, ["2500"])
        for (i, c) in cases.enumerated() {
            let base = ["rncryptor", "decrypt", "--password-file", passwordFile(dir, i)]
            let ok = try Harness.onions(base + ["--prf", "sha512", "--iterations", "2500"], stdin: read(dir, "ct\(i)"))
            XCTAssertEqual(ok.status, 0, ok.stderrText)
            XCTAssertEqual(ok.stdout, Array(c.text.utf8))
            let standard = try Harness.onions(base, stdin: read(dir, "ct\(i)"))
            XCTAssertEqual(standard.status, 1)
            XCTAssertEqual(standard.stdout, [])
        }
    }

    func testPasswordFileLosesExactlyOneTrailingNewline() throws {
        let dir = try Harness.temporaryDirectory(for: self)
        let withNewline = dir.appendingPathComponent("one"), bare = dir.appendingPathComponent("bare")
        let twoNewlines = dir.appendingPathComponent("two")
        try Data("pw\n".utf8).write(to: withNewline)
        try Data("pw".utf8).write(to: bare)
        try Data("pw\n\n".utf8).write(to: twoNewlines)
        let made = try Harness.onions(["rncryptor", "encrypt", "--password-file", withNewline.path], stdin: Array("x".utf8))
        XCTAssertEqual(made.status, 0, made.stderrText)
        let same = try Harness.onions(["rncryptor", "decrypt", "--password-file", bare.path], stdin: made.stdout)
        XCTAssertEqual(same.status, 0, same.stderrText)
        XCTAssertEqual(same.stdoutText, "x")
        let other = try Harness.onions(["rncryptor", "decrypt", "--password-file", twoNewlines.path], stdin: made.stdout)
        XCTAssertEqual(other.status, 1)
        let missing = try Harness.onions(["rncryptor", "decrypt", "--password-file", dir.appendingPathComponent("none").path],
                                         stdin: made.stdout)
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderrText.contains("cannot open password file"), missing.stderrText)
    }

    // MARK: Usage

    func testUsageErrorsExitTwoAndHelpExitsZero() throws {
        let help = try Harness.onions(["rncryptor", "--help"])
        XCTAssertEqual(help.status, 0)
        XCTAssertTrue(help.stdoutText.contains("--password-file"))
        for arguments in [["rncryptor"], ["rncryptor", "scramble"], ["rncryptor", "decrypt"],
                          ["rncryptor", "decrypt", "--enc-key", "00"], ["rncryptor", "encrypt", "--bogus"],
                          ["rncryptor", "decrypt", "--password-file", "/dev/null", "--prf", "md5"],
                          ["rncryptor", "decrypt", "--enc-key", "00", "--hmac-key", "11"]] {
            let result = try Harness.onions(arguments)
            XCTAssertEqual(result.status, 2, "\(arguments)")
            XCTAssertFalse(result.stderrText.isEmpty, "\(arguments)")
            XCTAssertEqual(result.stdout, [], "\(arguments)")
        }
    }

    func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }
}
