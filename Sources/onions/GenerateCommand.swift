import OnionsCrypto

/// `onions generate [LENGTH] [--words N] [--no-symbols]`: one new password on standard output,
/// from the kernel's random source (`PasswordGenerator`). Opens no vault.
enum GenerateCommand {
    static let declaration = CommandDeclaration(
        "generate", summary: "print a new random password",
        details: """
          LENGTH characters (8 to 128, default 20) of letters, digits and the symbols !#%&*+,-./:;=?@^_~
          (80 choices: 6.32 bits a character, 126 bits for 20); with --no-symbols letters and digits only
          (62 choices: 5.95 bits a character, 119 bits for 20). --words N: N words (3 to 20) of the EFF
          large list, 7,776 words (the list of fingerprints too), joined by '-' (12.9 bits a word:
          77 bits for 6). Every choice is uniform, so these are the entropies.
        """,
        options: [OptionDeclaration("--words", .number(PasswordGenerator.wordCountRange), "N",
                                    help: "N words instead of characters (3 to 20)"),
                  OptionDeclaration("--no-symbols", help: "letters and digits only")],
        positionals: [PositionalDeclaration(name: "LENGTH", optional: true)],
        validate: { arguments, _ in
            if arguments.value("--words") != nil {
                guard arguments.positionals.isEmpty, !arguments.flag("--no-symbols") else {
                    throw UsageError("--words N goes without LENGTH and --no-symbols")
                }
            }
            if let word = arguments.positionals.first {
                guard let length = Int(word), PasswordGenerator.lengthRange.contains(length) else {
                    throw UsageError("LENGTH is a whole number from \(PasswordGenerator.lengthRange.lowerBound) "
                                     + "to \(PasswordGenerator.lengthRange.upperBound)")
                }
            }
        },
        action: .standalone { arguments in
            let password: SecretBytes
            if let words = arguments.number("--words"), PasswordGenerator.wordCountRange.contains(words) {
                password = PasswordGenerator.generate(words: words)
            } else {
                let length = arguments.positionals.first.flatMap { Int($0) } ?? PasswordGenerator.defaultLength
                guard PasswordGenerator.lengthRange.contains(length) else { throw UsageError("LENGTH out of range") }
                password = PasswordGenerator.generate(length: length, symbols: !arguments.flag("--no-symbols"))
            }
            defer { password.wipe() }
            writeText(password)
            return 0
        })
}
