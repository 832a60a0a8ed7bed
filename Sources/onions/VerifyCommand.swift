import Glibc
import OnionsCore

/// `onions verify [--at N]`: six words of this machine's head commit, to compare with another
/// machine's (like a safety number), then the head's count and time.
enum VerifyCommand {
    static let declaration = CommandDeclaration(
        "verify", summary: "six words of the vault's latest save, to compare between machines",
        details: """
          First line: six words derived from the hash of this machine's head commit (its latest
          save or join); then the save's count and time. Two machines synced to the same head show
          the same words, and any save changes them: read them to each other, and when they
          differ although both synced just now, the server showed the two machines two
          histories. --at N: the words of save N on this machine's line, to compare a save both
          machines hold. Exit 1 when the vault has no save yet (or none numbered N).
        """,
        options: [OptionDeclaration("--at", .number(1...Int.max), "N", help: "the save numbered N instead of the latest")],
        action: .vault(VaultAction(readsOnly: true) { arguments, session, _ in
            let at = arguments.number("--at").map { UInt64($0) }
            guard let found = try session.fingerprint(at: at) else {
                throw CommandFailure(at.map { "this machine's line of saves has no save \($0)" }
                                     ?? "the vault has no save yet (the first save makes one)")
            }
            writeStdout("\(found.words)\nsave \(found.count), \(Self.time(found.time))\n")
            return 0
        }))

    /// "2026-11-26 13:40 UTC": the writer's clock, shown, never used as proof.
    static func time(_ milliseconds: UInt64) -> String {
        var seconds = time_t(milliseconds / 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday)) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)) UTC"
    }
}
