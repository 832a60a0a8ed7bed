/// How the onion list and the card grid are ordered; pinned items come first in any order.
public enum ListOrder: UInt8, Sendable, CaseIterable {
    /// The most recently changed first (the default).
    case newestChange = 0
    /// By title (an onion's) or recipient (a card's), A to Z, letter case ignored.
    case title = 1
    /// The most recently created first.
    case created = 2

    /// The next order in the cycle the `s` key walks through.
    public var next: ListOrder {
        ListOrder(rawValue: (rawValue + 1) % UInt8(ListOrder.allCases.count)) ?? .newestChange
    }

    /// How the order reads to a person ("newest change").
    public var name: String {
        switch self {
        case .newestChange: return "newest change"
        case .title: return "title"
        case .created: return "created"
        }
    }

    /// `items` in this order with the pinned ones first. `text` is each item's title in
    /// `texts`; titles compare by their UTF-8 bytes with ASCII letters folded to lower case.
    /// Ties keep the newest change first, then the id, so that every machine shows the same list.
    public func sorted<Item>(_ items: [Item], pinned: Set<ItemID>, texts: SecretTable, id: (Item) -> ItemID,
                             text: (Item) -> Int, created: (Item) -> UInt64, modified: (Item) -> UInt64) -> [Item] {
        texts.withAllBytes { all in
            items.sorted { a, b in
                let pa = pinned.contains(id(a)), pb = pinned.contains(id(b))
                if pa != pb { return pa }
                switch self {
                case .newestChange:
                    break
                case .title:
                    let c = Self.compareFolded(all[text(a)], all[text(b)])
                    if c != 0 { return c < 0 }
                case .created:
                    if created(a) != created(b) { return created(a) > created(b) }
                }
                if modified(a) != modified(b) { return modified(a) > modified(b) }
                if created(a) != created(b) { return created(a) > created(b) }
                return id(a).bytes.lexicographicallyPrecedes(id(b).bytes)
            }
        }
    }

    /// -1, 0 or 1 as `a` sorts before, with or after `b` (bytes, ASCII case folded).
    static func compareFolded(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
        let n = min(a.count, b.count)
        var i = 0
        while i < n {
            let x = TextSearch.asciiLower(a[i]), y = TextSearch.asciiLower(b[i])
            if x != y { return x < y ? -1 : 1 }
            i += 1
        }
        return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
    }
}

extension ListOrder {
    /// Onions in this order, pinned first.
    public func sorted(_ onions: [OnionSummary], pinned: Set<ItemID>, texts: SecretTable) -> [OnionSummary] {
        sorted(onions, pinned: pinned, texts: texts, id: \.id, text: \.title, created: \.created, modified: \.modified)
    }

    /// Cards in this order (by recipient for `.title`), pinned first.
    public func sorted(_ cards: [CardSummary], pinned: Set<ItemID>, texts: SecretTable) -> [CardSummary] {
        sorted(cards, pinned: pinned, texts: texts, id: \.id, text: \.recipient, created: \.created, modified: \.modified)
    }
}
