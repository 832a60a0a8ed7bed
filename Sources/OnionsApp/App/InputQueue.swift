import OnionsCrypto
import TerminalUI

/// Keys, pastes and mouse reports that arrived while work they may depend on was in flight
/// (`AppState.busy`), oldest first. `App.update` hands them on in that order once the answer
/// has come, as if they had been typed slowly; a lock sets them aside (wiped) instead.
///
/// Typed characters and pasted text are held as UTF-8 in secret memory, so that
/// `wipe()` leaves nothing typed behind. The queue is bounded: past `limit` items a key is
/// refused with a notice (a person does not type that far ahead of a save).
public struct InputQueue {
    /// Items held at most.
    public static let limit = 4096

    enum Item {
        /// A character key, its UTF-8 in secret memory.
        case character(SecretBytes, now: Double)
        /// Any other key (no typed text in it).
        case key(Key, now: Double)
        /// A paste, its text as UTF-8 in secret memory (see `message`).
        case paste(SecretBytes, leftOut: Int, overflowed: Bool, now: Double)
        case mouse(MouseEvent, now: Double)
    }

    private(set) var items: [Item] = []

    public init() {}

    public var count: Int { items.count }
    public var isEmpty: Bool { items.isEmpty }

    /// Queues a key, paste or mouse report behind the others; false (and nothing kept) for any
    /// other message or when the queue is full. A paste's own copy is wiped once taken.
    mutating func append(_ message: AppMessage) -> Bool {
        guard items.count < Self.limit else {
            if case .paste(var paste, _) = message { paste.wipe() }
            return false
        }
        switch message {
        case .key(.character(let c), let now):
            let bytes = SecretBytes(count: 0, capacity: max(c.utf8.count, 1))
            for byte in c.utf8 { bytes.append(byte: byte) }
            items.append(.character(bytes, now: now))
        case .key(let key, let now): items.append(.key(key, now: now))
        case .paste(var paste, let now):
            var size = 0
            for s in paste.scalars { size += UTF8.width(s) }
            let bytes = SecretBytes(count: 0, capacity: max(size, 1))
            for s in paste.scalars { for byte in s.utf8 { bytes.append(byte: byte) } }
            items.append(.paste(bytes, leftOut: paste.leftOut, overflowed: paste.overflowed, now: now))
            paste.wipe()
        case .mouse(let mouse, let now): items.append(.mouse(mouse, now: now))
        default: return false
        }
        return true
    }

    /// The oldest item as the message it came as (its secret copy wiped), or nil.
    mutating func takeFirst() -> AppMessage? {
        guard !items.isEmpty else { return nil }
        return Self.message(items.removeFirst())
    }

    /// The oldest item, left in the queue.
    var first: Item? { items.first }

    static func message(_ item: Item) -> AppMessage {
        switch item {
        case .character(let bytes, let now):
            defer { bytes.wipe() }
            let c = bytes.withUnsafeBytes { Character(String(decoding: $0, as: UTF8.self)) }
            return .key(.character(c), now: now)
        case .key(let key, let now): return .key(key, now: now)
        case .paste(let bytes, let leftOut, let overflowed, let now):
            defer { bytes.wipe() }
            var paste = Paste()
            bytes.withUnsafeBytes { raw in
                var input = raw.makeIterator()
                var decoder = UTF8()
                while case .scalarValue(let scalar) = decoder.decode(&input) { paste.append(scalar) }
            }
            for _ in 0..<leftOut { paste.leaveOut() }
            if overflowed { paste.append("x") }
            return .paste(paste, now: now)
        case .mouse(let mouse, let now): return .mouse(mouse, now: now)
        }
    }

    /// Wipes and drops every item; returns how many there were.
    @discardableResult
    mutating func wipe() -> Int {
        let dropped = items.count
        for item in items {
            switch item {
            case .character(let bytes, _): bytes.wipe()
            case .paste(let bytes, _, _, _): bytes.wipe()
            case .key, .mouse: break
            }
        }
        items.removeAll()
        return dropped
    }
}
