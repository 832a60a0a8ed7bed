import Glibc
import OnionsCore
import OnionsCrypto

/// `onions rncryptor encrypt|decrypt`: RNCryptor v3 from standard input to standard output.
///
/// Decryption finishes (HMAC checked, whole plaintext in secret memory) before a single
/// byte is written, so a wrong password or damaged input leaves standard output empty.
/// Exit codes: 0 ok, 1 wrong password / damaged data / I/O error, 2 usage.
enum RNCryptorCommand {
    static let options = [
        OptionDeclaration("--password-file", .file, "FILE", help: "password = the file's contents minus one trailing newline"),
        OptionDeclaration("--enc-key-file", .file, "FILE", help: "key form instead: the 32-byte encryption key in hex ..."),
        OptionDeclaration("--hmac-key-file", .file, "FILE", help: "... and the 32-byte HMAC key in hex (both required)"),
        OptionDeclaration("--enc-key", .word, "HEX", help: "the same keys on the command line, where every local user"),
        OptionDeclaration("--hmac-key", .word, "HEX", help: "can read them: prefer the files"),
        OptionDeclaration("--iterations", .number(1...Limits.maximumPBKDF2Iterations), "N",
                          help: "PBKDF2 iterations for the password form (default 10000)"),
        OptionDeclaration("--prf", .oneOf(["sha1", "sha256", "sha512"]),
                          help: "PBKDF2 PRF for the password form (default sha1;\n"
                              + "the Onions app's version 1.0 used sha512)"),
        OptionDeclaration("--base64", help: "the encrypted side is base64 text: encrypt writes it,\n"
                              + "decrypt reads it (line breaks allowed)"),
    ]

    static let group = CommandDeclaration.group(
        "rncryptor", summary: "RNCryptor v3 files, standard input to standard output",
        details: """
        Standard input carries the data, so the password comes from a file. Decryption finishes
        (HMAC checked) before a byte is written: a wrong password leaves standard output empty.
        Exit status: 0 ok, 1 wrong password or damaged data, 2 usage error.
        """,
        [action("encrypt", .encrypt, "encrypt standard input"), action("decrypt", .decrypt, "decrypt standard input")])

    private static func action(_ name: String, _ mode: Mode, _ summary: String) -> CommandDeclaration {
        CommandDeclaration(name, summary: summary, options: options,
                           validate: { arguments, _ in _ = try parse(mode, arguments) },
                           action: .standalone { arguments in execute(try parse(mode, arguments)) })
    }

    enum Mode { case encrypt, decrypt }

    struct Options {
        var mode: Mode
        var passwordFile: String?
        var encryptionKeyHex: String?
        var hmacKeyHex: String?
        var encryptionKeyFile: String?
        var hmacKeyFile: String?
        var iterations: Int?
        var prf: PBKDF2.PRF?
        var base64 = false
    }

    /// The options of a parsed line, checked together.
    static func parse(_ mode: Mode, _ arguments: Arguments) throws -> Options {
        var options = Options(mode: mode)
        options.passwordFile = arguments.value("--password-file")
        options.encryptionKeyHex = arguments.value("--enc-key")
        options.hmacKeyHex = arguments.value("--hmac-key")
        options.encryptionKeyFile = arguments.value("--enc-key-file")
        options.hmacKeyFile = arguments.value("--hmac-key-file")
        options.iterations = arguments.number("--iterations")
        options.prf = arguments.value("--prf").map { $0 == "sha512" ? .sha512 : $0 == "sha256" ? .sha256 : .sha1 }
        options.base64 = arguments.flag("--base64")
        let hasEncryptionKey = options.encryptionKeyHex != nil || options.encryptionKeyFile != nil
        let hasHMACKey = options.hmacKeyHex != nil || options.hmacKeyFile != nil
        if hasEncryptionKey || hasHMACKey {
            guard options.passwordFile == nil else {
                throw UsageError("give either --password-file or the two keys, not both")
            }
            guard options.encryptionKeyHex == nil || options.encryptionKeyFile == nil,
                  options.hmacKeyHex == nil || options.hmacKeyFile == nil else {
                throw UsageError("give each key once: --enc-key-file or --enc-key, --hmac-key-file or --hmac-key")
            }
            guard hasEncryptionKey, hasHMACKey else {
                throw UsageError("the key form needs both keys (--enc-key-file and --hmac-key-file)")
            }
            guard options.iterations == nil, options.prf == nil else {
                throw UsageError("--iterations and --prf apply only with --password-file")
            }
        } else if options.passwordFile == nil {
            throw UsageError("give --password-file FILE (or --enc-key-file and --hmac-key-file); "
                             + "standard input carries the data, so the password cannot come from it")
        }
        return options
    }

    /// The keys of the key form, from their files or the command line, checked to be 32 bytes
    /// of hex each.
    static func keys(_ options: Options) throws -> (SecretBytes, SecretBytes) {
        let enc = try key(file: options.encryptionKeyFile, text: options.encryptionKeyHex, option: "--enc-key")
        do {
            return (enc, try key(file: options.hmacKeyFile, text: options.hmacKeyHex, option: "--hmac-key"))
        } catch {
            enc.wipe()
            throw error
        }
    }

    /// One key of the key form: 64 hex digits in `file` (blanks and line breaks allowed) or `text`.
    private static func key(file: String?, text: String?, option: String) throws -> SecretBytes {
        let decoded: SecretBytes?
        if let file {
            let contents = try readPasswordFile(file)
            defer { contents.wipe() }
            decoded = Hex.decodeSecret(contents)
        } else {
            decoded = Hex.decodeSecret(text ?? "")
        }
        guard let decoded, decoded.count == 32 else {
            decoded?.wipe()
            throw UsageError(file.map { "\(option)-file \($0) does not hold 64 hex digits (32 bytes)" }
                             ?? "\(option) wants 64 hex digits (32 bytes)")
        }
        return decoded
    }

    static func execute(_ options: Options) -> Int32 {
        // Everything that can be a usage error comes before reading standard input.
        var password: SecretBytes? = nil
        var keyPair: (SecretBytes, SecretBytes)? = nil
        do {
            if let path = options.passwordFile {
                password = try readPasswordFile(path)
            } else {
                keyPair = try keys(options)
            }
        } catch let error as UsageError {
            printError("onions rncryptor: \(error.message)")
            return 2
        } catch {
            printError("onions: \(error)")
            return 1
        }
        let settings = RNCryptor.KeySettings(iterations: options.iterations ?? RNCryptor.KeySettings.standard.iterations,
                                             prf: options.prf ?? RNCryptor.KeySettings.standard.prf)
        let input: SecretBytes
        do {
            input = try readStandardInput()
        } catch {
            printError("onions: \(error)")
            return 1
        }
        do {
            switch options.mode {
            case .encrypt:
                let message: [UInt8] = try input.withUnsafeBytes { plaintext in
                    if let password {
                        return try password.withUnsafeBytes { try RNCryptor.encrypt(plaintext, password: $0, settings: settings) }
                    }
                    let (enc, mac) = keyPair!
                    return try RNCryptor.encrypt(plaintext, encryptionKey: enc, hmacKey: mac)
                }
                input.wipe()
                if options.base64 {
                    Array((Base64.encode(message) + "\n").utf8).withUnsafeBytes { writeRawStdout($0) }
                } else {
                    message.withUnsafeBytes { writeRawStdout($0) }
                }
            case .decrypt:
                var message = input.withUnsafeBytes { Array($0) }
                if options.base64 {
                    guard let decoded = Base64.decode(String(decoding: message, as: UTF8.self)) else {
                        printError("onions: the input is not valid base64")
                        return 1
                    }
                    message = decoded
                }
                let plaintext: SecretBytes
                if let password {
                    plaintext = try password.withUnsafeBytes { try RNCryptor.decrypt(message, password: $0, settings: settings) }
                } else {
                    let (enc, mac) = keyPair!
                    plaintext = try RNCryptor.decrypt(message, encryptionKey: enc, hmacKey: mac)
                }
                plaintext.withUnsafeBytes { writeRawStdout($0) }
                plaintext.wipe()
            }
        } catch let error as CryptoError {
            printError(describe(error, keyForm: keyPair != nil))
            return 1
        } catch {
            printError("onions: \(error)")
            return 1
        }
        return 0
    }

    /// One line for stderr that tells the user what to do, and nothing about the data.
    static func describe(_ error: CryptoError, keyForm: Bool) -> String {
        switch error {
        case .authenticationFailed:
            return keyForm ? "onions: wrong keys or damaged data" : "onions: wrong password or damaged data"
        case .truncated:
            return "onions: damaged data: too short or cut off for an RNCryptor v3 message"
        case .unknownVersion(let v):
            return "onions: not RNCryptor v3 data (version byte \(v))"
        case .unknownOptions(0) where !keyForm:
            return "onions: this data was encrypted with keys, not a password (use --enc-key and --hmac-key)"
        case .unknownOptions(1) where keyForm:
            return "onions: this data was encrypted with a password, not keys (use --password-file)"
        case .unknownOptions(let o):
            return "onions: damaged data (unknown RNCryptor options byte \(o))"
        case .badPadding:
            return "onions: damaged data (bad padding behind a good HMAC)"
        case .invalidLength(let what):
            return "onions: wrong size of \(what)"
        case .failure(let what):
            return "onions: cryptography failed: \(what)"
        }
    }

    /// Reads all of standard input into secret memory, through a secret chunk buffer and
    /// growing by doubling (each outgrown buffer is wiped when released).
    static func readStandardInput() throws -> SecretBytes {
        let chunk = SecretBytes(count: 64 * 1024)
        var buffer = SecretBytes(count: 0, capacity: 64 * 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(0, $0.baseAddress!, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                let code = errno
                buffer.wipe()
                throw PasswordInputError(description: "cannot read standard input: \(String(cString: strerror(code)))")
            }
            if n == 0 { return buffer }
            if buffer.capacity - buffer.count < n {
                let bigger = SecretBytes(count: 0, capacity: max(buffer.capacity * 2, buffer.count + n))
                bigger.append(buffer)
                buffer = bigger
            }
            _ = chunk.withUnsafeBytes { buffer.append(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
        }
    }
}
