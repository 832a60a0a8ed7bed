import Glibc
import OnionsCore
import OnionsCrypto

/// `onions card add|list|open|rm`: cards whose description is sealed under their own password.
enum CardCommands {
    static let recipient = PositionalDeclaration(name: "RECIPIENT|-")
    static let passwordFile = OptionDeclaration("--card-password-file", .file, "F",
                                                help: "the card's password from a file (else asked on the terminal)")
    /// The agent runs a card command that asks nothing on the terminal.
    static let passwordFromFile: @Sendable (Arguments) -> Bool = { $0.value("--card-password-file") != nil }

    static let group = CommandDeclaration.group(
        "card", summary: "cards sealed under their own password",
        details: """
          Without --card-password-file the card's password is asked on the terminal. A new card password
          needs 8 characters or more; one zxcvbn calls weak needs --weak-ok (or yes on the terminal).
        """ + "\n" + secretArgumentHint,
        [add, list, open, remove])

    static let add = CommandDeclaration(
        "add", summary: "a new card",
        options: [OptionDeclaration("--to", .word, "RECIPIENT|-", required: true, help: "whom the card is for"),
                  OptionDeclaration("--description-file", .file, "F|-", help: "the description, sealed under the card's password"),
                  passwordFile, AccountCommands.weakOK],
        action: .vault(VaultAction(agentRuns: passwordFromFile) { arguments, session, _ in
            let recipient = try SecretArgument.read(arguments.value("--to")!, FieldLimit.cardRecipient)
            defer { recipient.wipe() }
            let description = try arguments.value("--description-file").map {
                try readSecretFile($0, limit: FieldLimit.cardDescription)
            } ?? SecretBytes(count: 0)
            defer { description.wipe() }
            let file = arguments.value("--card-password-file")
            let password = try cardPassword(file, repeat: true)
            defer { password.wipe() }
            try NewPasswordCheck.accept(password, weakOK: arguments.flag("--weak-ok"), askOnTerminal: file == nil)
            if try session.isVaultPassword(password) {
                throw CommandFailure("the card's password is the vault's password; choose another one")
            }
            try session.afterPeers {
                try session.saveCard(id: nil, recipient: recipient, description: description, cardPassword: password)
            }
            return 0
        }))

    static let list = CommandDeclaration(
        "list", summary: "the recipients, one per line, in the interface's order",
        details: "  --json: {\"cards\": [{\"id\": ID, \"recipient\": ..., \"pinned\": B, \"created\": MS, \"changed\": MS}]}",
        options: [OnionCommands.json],
        action: .vault(VaultAction(readsOnly: true, agentRuns: { _ in true }) { arguments, session, _ in
            let cards = session.orderedCards
            guard arguments.flag("--json") else {
                return try OnionCommands.printNames(cards.map(\.recipient), of: session, json: nil)
            }
            try JSONOutput.writeList("cards", cards) { out, card in
                try out.raw("\"id\":\"\(card.id)\",")
                try out.key("recipient")
                try out.string(session.texts, card.recipient)
                try out.raw(",\"pinned\":\(session.settings.pinned.contains(card.id)),")
                try out.raw("\"created\":\(card.created),\"changed\":\(card.modified)")
            }
            return 0
        }))

    static let open = CommandDeclaration(
        "open", summary: "print a card's description", options: [passwordFile], positionals: [recipient],
        action: .vault(VaultAction(readsOnly: true, agentRuns: passwordFromFile) { arguments, session, _ in
            let card = try find(session, recipient: arguments.positionals[0])
            let password = try cardPassword(arguments.value("--card-password-file"), repeat: false)
            defer { password.wipe() }
            let description = try session.openCard(card.id, password: password)
            defer { description.wipe() }
            writeText(description)
            return 0
        }))

    static let remove = CommandDeclaration(
        "rm", summary: "delete a card", positionals: [recipient],
        action: .vault(VaultAction(agentRuns: { _ in true }) { arguments, session, _ in
            let id = try find(session, recipient: arguments.positionals[0]).id
            try session.afterPeers { try session.deleteCard(id) }
            return 0
        }))

    static func cardPassword(_ file: String?, repeat: Bool) throws -> SecretBytes {
        if let file { return try readPasswordFile(file) }
        let first = try readPasswordFromTerminal(prompt: "Card password: ")
        if `repeat` {
            let again = try readPasswordFromTerminal(prompt: "Repeat the card password: ")
            defer { again.wipe() }
            guard first.constantTimeEquals(again) else {
                first.wipe()
                throw CommandFailure("the passwords differ; nothing saved")
            }
        }
        return first
    }

    /// The card `recipient` (a `SecretArgument`) names (see `NamePick`): fails listing the
    /// candidates when it is ambiguous.
    static func find(_ session: Session, recipient: String) throws -> CardSummary {
        let wanted = try SecretArgument.read(recipient, FieldLimit.cardRecipient)
        defer { wanted.wipe() }
        return try NamePick.pick(wanted, among: session.cards, texts: session.texts, name: \.recipient,
                                 modified: \.modified, kind: "card", listing: "onions card list")
    }
}
