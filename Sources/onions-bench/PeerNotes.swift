import Glibc

/// The notes of the 1,000-onion bench vault, written out for the peers compared with
/// `onions grep`: the same titles and infos, in the same order (SampleText, same seed).
struct PeerNotes {
    let notes: [(title: String, info: String)]

    init(onions: Int, infoLength: Int) {
        var text = SampleText(seed: UInt64(onions) &* 31 &+ UInt64(infoLength))  // as VaultFixture.build
        notes = (0..<onions).map { i in
            let title = String(decoding: text.title(i), as: UTF8.self)
            return (title, String(decoding: text.info(length: infoLength, index: i), as: UTF8.self))
        }
    }

    /// A plain jrnl journal: one entry per note, a day apart, the title as its first line.
    var journal: String {
        notes.enumerated().map { i, note in
            let day = 1 + i % 28, month = 1 + (i / 28) % 12, year = 2000 + i / 336
            let date = "\(year)-" + (month < 10 ? "0" : "") + "\(month)-" + (day < 10 ? "0" : "") + "\(day) 09:00"
            return "[\(date)] \(note.title)\n\(note.info)\n"
        }.joined(separator: "\n")
    }

    static func write(_ text: String, to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw BenchFailure("cannot create \(path)") }
        defer { close(fd) }
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            guard n > 0 else { throw BenchFailure("cannot write \(path)") }
            offset += n
        }
    }
}
