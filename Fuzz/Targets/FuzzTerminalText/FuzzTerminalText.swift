import FuzzSupport
import TerminalUI

// The terminal gate (`TerminalText`) over any bytes: what comes out is valid UTF-8 holding no
// scalar that steers a terminal, and text that holds none comes out unchanged.

/// The seed inputs: escape sequences of every kind, C1 controls raw and encoded, bidi
/// overrides, broken UTF-8.
func seeds() throws -> [(name: String, bytes: [UInt8])] {
    [
        ("osc52", Array("\u{1B}]52;c;ZWNobyBwd25lZA==\u{07}\u{1B}]2;title\u{1B}\\".utf8)),
        ("sgr-conceal", Array("before \u{1B}[8mhidden\u{1B}[0m after\ttab\n".utf8)),
        ("c1", [0x9B, 0x33, 0x31, 0x6D, 0xC2, 0x9B, 0x33, 0x31, 0x6D, 0xC2, 0x9D, 0x30, 0x3B]),
        ("bidi", Array("abc\u{202E}fed\u{2066}x\u{2069}\u{202A}".utf8)),
        ("broken", [0xE2, 0x80, 0xC0, 0xAF, 0xED, 0xA0, 0x80, 0xF4, 0x90, 0x80, 0x80, 0xFF, 0xE2, 0x81]),
        ("plain", Array("Groceries: milk, 家, é, 👨‍👩‍👧\n".utf8)),
    ]
}

private func steers(_ scalar: Unicode.Scalar) -> Bool {
    let v = scalar.value
    return (v < 0x20 && v != 9 && v != 10) || (0x7F...0x9F).contains(v) || (0x202A...0x202E).contains(v)
        || (0x2066...0x2069).contains(v)
}

/// One input.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let input = fuzzInput(data, count)
    var out: [UInt8] = []
    input.withUnsafeBytes { TerminalText.write($0) { out.append(contentsOf: $0) } }
    guard let text = String(validating: out, as: UTF8.self) else { preconditionFailure("the output is not UTF-8") }
    precondition(!text.unicodeScalars.contains(where: steers), "a steering scalar passed")
    if let original = String(validating: input, as: UTF8.self), !original.unicodeScalars.contains(where: steers) {
        precondition(out == input, "safe text was changed")
        precondition(TerminalText.sanitized(original) == original, "safe text was changed")
    }
    return 0
}
