import Glibc
import OnionsCore
import OnionsCrypto

/// `onions otp TITLE`: the current one-time code of the onion's `otpauth://totp/` line.
///
/// The code alone goes to standard output (so `onions otp x | xclip` takes just the code); the
/// seconds it stays valid go to standard error ("valid for 17 more seconds").
enum OTPCommand {
    static let declaration = CommandDeclaration(
        "otp", summary: "print the current one-time code of an onion's otpauth:// line",
        details: """
          The first line of the info starting with otpauth://totp/ gives the code (RFC 6238: SHA-1,
          SHA-256 or SHA-512, 6 to 8 digits, its period). The code goes to standard output, the
          seconds it stays valid to standard error.
        """ + "\n" + secretArgumentHint,
        positionals: [OnionCommands.title],
        action: .vault(VaultAction(readsOnly: true, agentRuns: { _ in true }) { arguments, session, _ in
            let onion = try OnionCommands.find(session, title: arguments.positionals[0])
            let info = try session.info(of: onion.id)
            defer { info.wipe() }
            guard let totp = firstTOTP(in: info) else {
                throw CommandFailure("the onion's info has no otpauth://totp/ line with a valid secret")
            }
            let now = Int64(time(nil))
            let code = totp.code(at: now)
            defer { code.wipe() }
            writeText(code)
            printError("valid for \(totp.secondsLeft(at: now)) more seconds")
            return 0
        }))

    /// The generator of the first line of `info` that is a valid `otpauth://totp/` URI.
    static func firstTOTP(in info: SecretBytes) -> TOTP? {
        info.withUnsafeBytes { raw -> TOTP? in
            var start = 0
            while start < raw.count {
                var end = raw[start...].firstIndex(of: 0x0A) ?? raw.count
                let next = end + 1
                if end > start, raw[end - 1] == 0x0D { end -= 1 }
                if let totp = try? TOTP(uri: UnsafeRawBufferPointer(rebasing: raw[start..<end])) { return totp }
                start = next
            }
            return nil
        }
    }
}
