import Glibc
import OnionsCore
import OnionsCrypto

/// Which item a title (or a card's recipient) typed on the command line names.
///
/// Titles need not be unique, in the interface or here. A name is matched exactly, else without
/// regard to ASCII case; `#N` names the N-th line of the listing (`onions list`, `onions card
/// list`) unless an item is titled exactly that. When several items match, the command fails
/// and names the candidates by their `#N` and when they were last changed, never by their text
/// (error messages carry no plaintext).
enum NamePick {
    /// The one item of `items` (in listing order) that `wanted` (the typed name, in secret memory) names. `kind` is "onion" or
    /// "card"; `listing` the command whose lines `#N` counts.
    static func pick<Item>(_ wanted: SecretBytes, among items: [Item], texts: SecretTable, name: (Item) -> Int,
                           modified: (Item) -> UInt64, kind: String, listing: String) throws -> Item {
        let exact = items.indices.filter { equals(texts, name(items[$0]), wanted) }
        if exact.count == 1 { return items[exact[0]] }
        if exact.isEmpty, let number = wanted.withUnsafeBytes({ place(Array($0)) }) {
            guard items.indices.contains(number - 1) else {
                throw CommandFailure("there is no \(kind) #\(number); '\(listing)' lists \(items.count)")
            }
            return items[number - 1]
        }
        var matches = exact
        if matches.isEmpty {
            var folded = wanted.withUnsafeBytes { $0.map(TextSearch.asciiLower) }
            defer { for i in folded.indices { folded[i] = 0 } }
            matches = items.indices.filter { i in
                texts.withBytes(name(items[i])) { $0.count == folded.count && TextSearch.contains($0, folded) }
            }
            if matches.count == 1 { return items[matches[0]] }
        }
        if matches.isEmpty { throw CommandFailure("no \(kind) is named like that") }
        let candidates = matches.map { "#\($0 + 1) (changed \(timestamp(modified(items[$0]))))" }
        throw CommandFailure("\(matches.count) \(kind)s are named like that: "
            + candidates.joined(separator: ", ") + "; give one of these instead of the name (the lines of '\(listing)')")
    }

    /// N for a typed `#N` (N from 1), nil for anything else.
    private static func place(_ typed: [UInt8]) -> Int? {
        guard typed.first == UInt8(ascii: "#"), typed.count > 1, typed.count <= 10 else { return nil }
        let digits = typed.dropFirst()
        guard digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
              let n = Int(String(decoding: digits, as: UTF8.self)), n >= 1 else { return nil }
        return n
    }

    /// "2026-11-24 14:05:09" in local time, from milliseconds since 1970.
    private static func timestamp(_ milliseconds: UInt64) -> String {
        var seconds = time_t(milliseconds / 1000)
        var parts = tm()
        guard localtime_r(&seconds, &parts) != nil else { return "at an unknown time" }
        var buffer = [CChar](repeating: 0, count: 32)
        let length = strftime(&buffer, buffer.count, "%Y-%m-%d %H:%M:%S", &parts)
        return String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
