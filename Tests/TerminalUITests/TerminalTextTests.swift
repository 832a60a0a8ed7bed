import XCTest
@testable import TerminalUI

/// The terminal gate: nothing that can steer a terminal passes, whatever the bytes.
final class TerminalTextTests: XCTestCase {
    /// Every scalar, alone and between letters: the result holds no refused scalar, and the
    /// refused ones are exactly C0 (not TAB, LF), DEL, C1 and the bidi overrides and isolates.
    func testNoScalarThatSteersATerminalPasses() {
        var refused = 0
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let text = "a" + String(Character(scalar)) + "b"
            let out = TerminalText.sanitized(text)
            XCTAssertFalse(out.unicodeScalars.contains(where: Self.steers), "U+\(String(value, radix: 16)) passed")
            if TerminalText.isRefused(scalar) {
                refused += 1
                XCTAssertNotEqual(out, text)
            } else {
                XCTAssertEqual(out, text)
            }
        }
        XCTAssertEqual(refused, 30 + 1 + 32 + 5 + 4)
    }

    func testVisibleForms() {
        XCTAssertEqual(TerminalText.sanitized("\u{1B}]52;c;ZWNobyBoaQ==\u{07}x"), "\\e]52;c;ZWNobyBoaQ==\\x07x")
        XCTAssertEqual(TerminalText.sanitized("a\u{9B}8mb\u{202E}c\r"), "aU+009B8mbU+202Ec\\r")
        XCTAssertEqual(TerminalText.sanitized("tab\tline\n"), "tab\tline\n")
        XCTAssertEqual(TerminalText.sanitized("\u{7F}\u{0}"), "\\x7F\\x00")
    }

    /// Random bytes (invalid UTF-8, overlong forms, surrogates, raw C1 bytes): what comes out
    /// is valid UTF-8 with no refused scalar, and the safe runs are the input's own bytes.
    func testRandomBytesComeOutValidAndSafe() {
        var generator = SystemRandomNumberGenerator()
        let alphabet: [UInt8] = [0x1B, 0x9B, 0x07, 0x0A, 0x09, 0x41, 0x5B, 0xC2, 0xE2, 0x80, 0x81, 0xAA, 0xAE,
                                 0xA6, 0xED, 0xA0, 0xC0, 0xF4, 0x90, 0xFF, 0xE0, 0x9F, 0xF0]
        for _ in 0..<20_000 {
            let count = Int.random(in: 0...24, using: &generator)
            let bytes = (0..<count).map { _ in
                Bool.random(using: &generator) ? alphabet.randomElement(using: &generator)!
                    : UInt8.random(in: 0...255, using: &generator)
            }
            var out: [UInt8] = []
            bytes.withUnsafeBytes { TerminalText.write($0) { out.append(contentsOf: $0) } }
            var decoded = String()
            XCTAssertFalse(transcode(out.makeIterator(), from: UTF8.self, to: UTF32.self, stoppingOnError: true) {
                decoded.unicodeScalars.append(Unicode.Scalar($0)!)
            }, "invalid UTF-8 out of \(bytes)")
            XCTAssertFalse(decoded.unicodeScalars.contains(where: Self.steers), "\(bytes) -> \(out)")
            if String(validating: bytes, as: UTF8.self).map({ !$0.unicodeScalars.contains(where: Self.steers) }) == true {
                XCTAssertEqual(out, bytes)
            }
        }
    }

    /// Raw C1 bytes and ESC never appear in the output bytes either.
    func testNoControlBytesInOutput() {
        let bytes: [UInt8] = [0x9B, 0x33, 0x31, 0x6D, 0x1B, 0x5B, 0x38, 0x6D, 0xC2, 0x9B, 0x8D, 0xE2, 0x81, 0xA7]
        var out: [UInt8] = []
        bytes.withUnsafeBytes { TerminalText.write($0) { out.append(contentsOf: $0) } }
        XCTAssertTrue(out.allSatisfy { $0 >= 0x20 && $0 < 0x7F })
        XCTAssertEqual(String(decoding: out, as: UTF8.self), "\\x9B31m\\e[8mU+009B\\x8DU+2067")
    }

    /// The interface decides with the same gate: refused graphemes, TAB and LF are drawn as
    /// U+FFFD in one cell, never stored as themselves.
    func testCanvasDrawsNoRefusedGrapheme() {
        var canvas = Canvas(width: 20, height: 1)
        let text = "a\u{202E}b\u{1B}c\u{9B}d\te\u{2066}"
        let used = canvas.put(text, x: 0, y: 0)
        XCTAssertEqual(used, 10)
        let drawn = (0..<used).map { canvas[x: $0, y: 0].character }
        XCTAssertEqual(String(drawn), "a\u{FFFD}b\u{FFFD}c\u{FFFD}d\u{FFFD}e\u{FFFD}")
    }

    /// The program's own control sequences are rendered by the gate, the only path by which
    /// an ESC reaches a terminal as itself; the text around them still goes through the gate.
    func testOurOwnControlSequencesAreRenderedByTheGate() {
        var erase: [UInt8] = []
        TerminalText.write(.eraseLine) { erase.append(contentsOf: $0) }
        XCTAssertEqual(erase, [0x0D, 0x1B, 0x5B, 0x4B])
        var clear: [UInt8] = []
        TerminalText.write(.clearClipboard) { clear.append(contentsOf: $0) }
        XCTAssertEqual(clear, Array("\u{1B}]52;c;IA==\u{07}".utf8))

        let payload = Array("pa\u{1B}ss\n".utf8)
        var buffer = [UInt8](repeating: 0, count: OSC52.sequenceLength(payloadCount: payload.count))
        var set: [UInt8] = []
        let done = payload.withUnsafeBytes { p in
            buffer.withUnsafeMutableBytes { TerminalText.writeClipboard(p, using: $0) { set.append(contentsOf: $0) } }
        }
        XCTAssertTrue(done)
        XCTAssertEqual(String(decoding: set, as: UTF8.self), "\u{1B}]52;c;cGEbc3MK\u{07}")
        // Nothing of the text but its base64: one ESC (the sequence's own) and one BEL.
        XCTAssertEqual(set.filter { $0 < 0x20 }, [0x1B, 0x07])

        var short = [UInt8](repeating: 0, count: 4)
        var none: [UInt8] = []
        XCTAssertFalse(payload.withUnsafeBytes { p in
            short.withUnsafeMutableBytes { TerminalText.writeClipboard(p, using: $0) { none.append(contentsOf: $0) } }
        })
        XCTAssertEqual(none, [])
    }

    private static func steers(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return (v < 0x20 && v != 9 && v != 10) || (0x7F...0x9F).contains(v) || (0x202A...0x202E).contains(v)
            || (0x2066...0x2069).contains(v)
    }
}
