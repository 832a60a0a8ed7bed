import OnionsCore
import OnionsCrypto

/// `onions grep`: each onion whose title or info contains a word (case and accents folded, see
/// `TextSearch`), with the info's matching lines; then the tasks and the cards' recipients.
enum OnionSearch {
    /// The longest search word, in bytes.
    static let maximumWordBytes = 1_024

    /// Prints each onion whose title or info contains `word` (a `SecretArgument`), with the
    /// info's matching lines indented below it; 1 when nothing matched or an info did not open.
    static func run(_ session: Session, word argument: String, json: Bool) throws -> Int32 {
        let word = try SecretArgument.read(argument, what: "search word", maximumBytes: maximumWordBytes)
        defer { word.wipe() }
        guard word.count > 0 else { throw UsageError("the search word may not be empty") }
        let out = json ? JSONOutput() : nil
        try out?.raw("{")
        try out?.key("matches")
        try out?.raw("[")
        var needle = word.withUnsafeBytes { TextSearch.foldQuery(Array($0)) }
        defer { for i in needle.indices { needle[i] = 0 } }
        var status: Int32 = 0
        var matched = false
        // Only the infos that can match are opened (the search index answers for the rest; an
        // agent keeps it between commands).
        let candidates = session.onionsWhoseInfoMayHold(needle)
        for onion in session.orderedOnions {
            let titleMatches = session.texts.withBytes(onion.title) { TextSearch.contains($0, needle) }
            guard titleMatches || candidates.contains(onion.id) else { continue }
            let info: SecretBytes
            do { info = try session.info(of: onion.id) } catch {
                printError("onions: \(error)")
                status = 1
                continue
            }
            defer { info.wipe() }
            let lines = info.withUnsafeBytes { matchingLines($0, needle) }
            guard titleMatches || !lines.isEmpty else { continue }
            if let out {
                try out.raw(matched ? ",{" : "{")
                try out.key("title")
                try out.string(session.texts, onion.title)
                try out.raw(",")
                try out.key("lines")
                try info.withUnsafeBytes { all in
                    try out.array(lines) { try out.string(UnsafeRawBufferPointer(rebasing: all[$0])) }
                }
                try out.raw("}")
                matched = true
                continue
            }
            matched = true
            printLine(session.texts, onion.title)
            info.withUnsafeBytes { all in
                for range in lines {
                    writeStdout("  ")
                    writeStdout(UnsafeRawBufferPointer(rebasing: all[range]))
                    writeStdout("\n")
                }
            }
        }
        try out?.raw("]")
        if try searchTasksAndCards(session, needle, json: out) { matched = true }
        if let out {
            try out.raw("}\n")
            try out.out.flush()
        }
        return matched ? status : 1
    }

    /// Byte ranges of the lines of `text` that contain `needle`.
    static func matchingLines(_ text: UnsafeRawBufferPointer, _ needle: [UInt8]) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var start = 0
        for i in 0...text.count where i == text.count || text[i] == 0x0a {
            let line = UnsafeRawBufferPointer(rebasing: text[start..<i])
            if TextSearch.contains(line, needle) { result.append(start..<i) }
            start = i + 1
        }
        return result
    }
}
