import Glibc
import OnionsCore
import OnionsCrypto

/// `onions card add|list|open|rm`: cards whose description is sealed under their own password.
enum CardCommands {
    static let usage = """
    usage: onions --user NAME card add --to RECIPIENT|- [--description-file F|-] [--card-password-file F] [--weak-ok]
           onions --user NAME card list [--json]   --json: {"cards": [{"recipient": ...}]}
           onions --user NAME card open RECIPIENT|- [--card-password-file F]
           onions --user NAME card rm RECIPIENT|-
      Without --card-password-file the card's password is asked on the terminal. A new card password
      needs 8 characters or more; one zxcvbn calls weak needs --weak-ok (or yes on the terminal).
    """ + "\n" + secretArgumentHint

    static func run(_ session: Session, _ list: inout ArgumentList) throws -> Int32 {
        let (sub, arguments) = try list.subcommand(usage: usage)
        var own = arguments
        switch sub {
        case "add":
            guard let to = try own.value("--to") else { throw UsageError("card add needs --to RECIPIENT") }
            let descriptionFile = try own.value("--description-file")
            let passwordFile = try own.value("--card-password-file")
            let weakOK = own.flag("--weak-ok")
            guard try own.positionals().isEmpty else { throw UsageError(usage) }
            let recipient = try SecretArgument.read(to, FieldLimit.cardRecipient)
            defer { recipient.wipe() }
            let description = try descriptionFile.map { try readSecretFile($0, limit: FieldLimit.cardDescription) }
                ?? SecretBytes(count: 0)
            defer { description.wipe() }
            let password = try cardPassword(passwordFile, repeat: true)
            defer { password.wipe() }
            try NewPasswordCheck.accept(password, weakOK: weakOK, askOnTerminal: passwordFile == nil)
            if try session.isVaultPassword(password) {
                throw CommandFailure("the card's password is the vault's password; choose another one")
            }
            try session.afterPeers {
                try session.saveCard(id: nil, recipient: recipient, description: description, cardPassword: password)
            }
            return 0
        case "list":
            let json = own.flag("--json")
            guard try own.positionals().isEmpty else { throw UsageError(usage) }
            if json {
                try JSONOutput.write { out in
                    try out.raw("{")
                    try out.key("cards")
                    try out.array(session.cards) { card in
                        try out.raw("{")
                        try out.key("recipient")
                        try out.string(session.texts, card.recipient)
                        try out.raw("}")
                    }
                    try out.raw("}")
                }
                return 0
            }
            for card in session.cards { printLine(session.texts, card.recipient) }
            return 0
        case "open":
            let passwordFile = try own.value("--card-password-file")
            let rest = try own.positionals()
            guard rest.count == 1 else { throw UsageError(usage) }
            let card = try find(session, recipient: rest[0])
            let password = try cardPassword(passwordFile, repeat: false)
            defer { password.wipe() }
            let description = try session.openCard(card.id, password: password)
            defer { description.wipe() }
            writeText(description)
            return 0
        case "rm":
            let rest = try own.positionals()
            guard rest.count == 1 else { throw UsageError(usage) }
            let id = try find(session, recipient: rest[0]).id
            try session.afterPeers { try session.deleteCard(id) }
            return 0
        default:
            throw UsageError("unknown card command '\(sub)'\n\(usage)")
        }
    }

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
