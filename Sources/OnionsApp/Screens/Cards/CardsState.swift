import OnionsCore
import OnionsCrypto
import TerminalUI

/// The card grid: selection, recipient filter, the one open card, the flip, the card form.
public struct CardsState {
    /// The cards shown (all, or those whose recipient matches the filter).
    public var visible: [CardSummary] = []
    public var selection = 0
    /// First grid row shown.
    public var scrollRow = 0
    public var filter = TextField(limit: 30)
    public var filtering = false
    /// Set while the selected card's password is being typed.
    public var passwordPrompt: SecretField?
    /// The password typed opens the card's versions (`H`), not the card.
    public var promptForHistory = false
    /// The card that is face up: its description and the password that opened it.
    public var open: OpenCard?
    public var animation: CardAnimation?
    /// The new-card or edit-card form.
    public var form: CardForm?
    public init() {}

    public var selectedID: ItemID? { visible.indices.contains(selection) ? visible[selection].id : nil }

    /// True while a key goes into a text (filter, password prompt, form).
    public var isTyping: Bool { filtering || passwordPrompt != nil || form != nil }

    /// True while a flip or shake runs (the loop ticks faster then).
    public var isAnimating: Bool { animation != nil }

    /// Closes the open card and forgets every secret typed here.
    public mutating func wipe() {
        passwordPrompt?.wipe()
        passwordPrompt = nil
        promptForHistory = false
        open?.wipe()
        open = nil
        animation = nil
        form?.wipe()
        form = nil
        filter.wipe()
    }

    public mutating func closeCard() {
        open?.wipe()
        open = nil
        if animation?.kind == .flip { animation = nil }
    }
}

/// A card that was opened with its password.
public struct OpenCard {
    public let id: ItemID
    public var description: SecretBytes
    public var password: SecretBytes
    /// The version opened (what an edit's save compares with).
    public var base: CardBase?
    public var scroll = 0

    public func wipe() {
        description.wipe()
        password.wipe()
    }
}

/// A flip (after the right password) or a shake (after a wrong one), one frame per tick.
public struct CardAnimation: Equatable {
    public enum Kind: Equatable { case flip, shake }
    public let kind: Kind
    public let id: ItemID
    public var frame = 0
    public init(kind: Kind, id: ItemID) {
        self.kind = kind
        self.id = id
    }

    public var frameCount: Int { kind == .flip ? CardArt.flipFrames.count : CardArt.shakeOffsets.count }
}

/// The form for a new card or for editing an open one.
public struct CardForm {
    public enum Focus: Equatable, CaseIterable { case recipient, description, password, repeatPassword }
    /// The card edited; nil for a new one.
    public var target: ItemID?
    public var recipient = TextField(limit: FieldLimit.cardRecipient.maxCharacters,
                                     byteLimit: FieldLimit.cardRecipient.maxBytes)
    public var description = TextArea(limit: FieldLimit.cardDescription.maxCharacters,
                                      byteLimit: FieldLimit.cardDescription.maxBytes, width: 40, height: 6)
    public var password = SecretField()
    public var repeatPassword = SecretField()
    /// The edited card's own password (a copy in secret memory), for a save that leaves the
    /// password fields empty: it outlives the card closing meanwhile (another program deleted
    /// it, and the save brings it back).
    public var keptPassword: SecretBytes?
    /// The version of the card edited, as it was opened (nil for a new card).
    public var base: CardBase?
    /// The card password's strength as it is typed.
    public var gate = NewPasswordGate()
    public var focus: Focus = .recipient
    /// True once anything was typed (Esc asks before discarding; a lock seals it as a draft).
    public var dirty = false
    public init(target: ItemID?) { self.target = target }

    public mutating func wipe() {
        recipient.wipe()
        description.wipe()
        password.wipe()
        repeatPassword.wipe()
        keptPassword?.wipe()
        keptPassword = nil
        gate.wipe()
    }
}
