import FuzzSupport
import TerminalUI

// What the terminal sends, as the key decoder sees it, into the editing widgets it drives.
//
// Input: 4-byte little-endian codes, as `get_wch` returns them. A code from 0xFFFF0000 up
// stands for a curses function key (arrows, Home, PageDown, F-keys…); 0xFFFE0000 and
// 0xFFFE0001 are the bracketed-paste markers: the codes between them are collected by `Paste`
// as the terminal backend collects them (control characters left out, CR LF folded) and typed
// into the area, then the field, as the interface types a paste; every other code goes
// through `Key(code:)`, any value at all. The keys are typed into a title field (30
// characters) and an info area (2,500) that is resized and drawn after each key: counts stay
// within the limits, the cursor inside the text, and nothing crashes.

/// The seed inputs: what the real encoders write, and edge cases.
func seeds() throws -> [(name: String, bytes: [UInt8])] {
    func codes(_ values: [UInt32]) -> [UInt8] {
        values.flatMap { value in (0..<4).map { UInt8((value >> (8 * UInt32($0))) & 0xff) } }
    }
    let text = "Hé 家👍🏽\u{301}\u{200d}\t\r".unicodeScalars.map(\.value)
    return [
        ("typing", codes(text)),
        ("editing", codes(text + [0xFFFF_0000, 0xFFFF_0002, 127, 8, 1, 5, 21, 27, 0, 26, 0x85, 0xD800, 0x11_0000])),
        ("moving", codes(Array(text.prefix(4)) + (0..<16).map { 0xFFFF_0000 + $0 })),
        ("paste", codes([0xFFFE_0000] + text + [13, 10, 27, 0x9B, 0xFFFE_0001] + Array(text.prefix(3)))),
    ]
}

/// One input.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = fuzzInput(data, count)
    var field = TextField(limit: 30)
    field.visibleWidth = 12
    var area = TextArea(limit: 2_500, width: 20, height: 5)
    var canvas = Canvas(width: 24, height: 8)
    var paste: Paste?
    for start in stride(from: 0, to: bytes.count - 3, by: 4) {
        let code = (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[start + $1]) << (8 * UInt32($1)) }
        if code == 0xFFFE_0000 {
            paste = Paste()
            continue
        }
        if var collecting = paste {
            if code == 0xFFFE_0001 {
                type(collecting, into: &field, &area)
                paste = nil
            } else if code >= 0xFFFF_0000 {
                collecting.leaveOut()
                paste = collecting
            } else if let scalar = Unicode.Scalar(code) {
                collecting.append(scalar)
                paste = collecting
            }
            continue
        }
        guard let key = code >= 0xFFFF_0000 ? functionKeys[Int(code & 0xffff) % functionKeys.count] : Key(code: code) else {
            continue
        }
        _ = field.handle(key)
        _ = area.handle(key)
        if case .function(let n) = key { area.resize(width: 1 + n % 23, height: 1 + n % 6) }
        precondition(field.count <= 30 && area.count <= 2_500, "a widget took more characters than its limit")
        precondition((0...field.count).contains(field.cursor) && (0...area.count).contains(area.cursor),
                     "a cursor left its text")
        field.render(in: Rect(x: 0, y: 0, width: 24, height: 1), on: &canvas)
        area.render(in: Rect(x: 2, y: 1, width: 20, height: 6), on: &canvas)
    }
    return 0
}

/// Types a finished paste as the interface does (one scalar at a time), checking what `Paste`
/// promises: no control character but line breaks, no more than its maximum.
private func type(_ paste: Paste, into field: inout TextField, _ area: inout TextArea) {
    precondition(paste.scalars.count <= Paste.maximumScalars, "a paste kept more than its maximum")
    for scalar in paste.scalars {
        precondition(scalar == "\n" || !(scalar.value < 0x20 || (0x7F..<0xA0).contains(scalar.value)),
                     "a paste kept a control character")
        _ = area.handle(.character(Character(scalar)))
        if scalar != "\n" { _ = field.handle(.character(Character(scalar))) }
    }
    precondition(field.count <= 30 && area.count <= 2_500, "a paste took more characters than a limit")
}

/// The keys curses decodes from escape sequences (`CursesKeys`), by index.
private let functionKeys: [Key] = [
    .up, .down, .left, .right, .home, .end, .pageUp, .pageDown, .delete, .insert, .backspace, .enter, .backTab,
    .function(1), .function(5), .function(12),
]
