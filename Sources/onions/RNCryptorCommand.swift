/// `onions rncryptor encrypt|decrypt` (filled in by the crypto work).
enum RNCryptorCommand {
    static func run(_ args: [String]) -> Int32 { 2 }
}
