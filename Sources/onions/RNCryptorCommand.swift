import Glibc
import OnionsCore
import OnionsCrypto

/// `onions rncryptor encrypt|decrypt`: RNCryptor v3 from standard input to standard output.
///
/// Decryption finishes (HMAC checked, whole plaintext in secret memory) before a single
/// byte is written, so a wrong password or damaged input leaves standard output empty.
/// Exit codes: 0 ok, 1 wrong password / damaged data / I/O error, 2 usage.
enum RNCryptorCommand {
    static let usage = """
    usage: onions rncryptor encrypt|decrypt [options] < INPUT > OUTPUT

    Encrypts or decrypts RNCryptor v3 data, standard input to standard output.
    Standard input carries the data, so the password comes from a file:

      --password-file FILE   password = the file's contents minus one trailing newline
      --enc-key-file FILE    key form instead: the 32-byte encryption key in hex ...
      --hmac-key-file FILE   ... and the 32-byte HMAC key in hex (both required)
      --enc-key HEX          the same keys on the command line, where every local user
      --hmac-key HEX         can read them: prefer the files
      --iterations N         PBKDF2 iterations for the password form (default 10000)
      --prf sha1|sha512      PBKDF2 PRF for the password form (default sha1;
                             the Onions app's version 1.0 used sha512)
      --base64               the encrypted side is base64 text: encrypt writes it,
                             decrypt reads it (line breaks allowed)
      -h, --help             show this help

    Exit status: 0 ok, 1 wrong password or damaged data, 2 usage error.
    """

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

    struct UsageError: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }

    static func run(_ args: [String]) -> Int32 {
        if args.contains(where: { $0 == "--help" || $0 == "-h" }) || args.first == "help" {
            print(usage)
            return 0
        }
        let options: Options
        do {
            options = try parse(args)
        } catch let error as UsageError {
            printError("onions rncryptor: \(error.message)")
            printError("see 'onions rncryptor --help'")
            return 2
        } catch {
            return 2
        }
        return execute(options)
    }

    static func parse(_ args: [String]) throws -> Options {
        guard let first = args.first else { throw UsageError(message: "say 'encrypt' or 'decrypt'") }
        var options: Options
        switch first {
        case "encrypt": options = Options(mode: .encrypt)
        case "decrypt": options = Options(mode: .decrypt)
        default: throw UsageError(message: "unknown action '\(first)' (say 'encrypt' or 'decrypt')")
        }
        var rest = args.dropFirst()
        func value(_ name: String, inline: String?) throws -> String {
            if let inline { return inline }
            guard let next = rest.popFirst() else { throw UsageError(message: "\(name) needs a value") }
            return next
        }
        while let arg = rest.popFirst() {
            var name = arg
            var inline: String? = nil
            if arg.hasPrefix("--"), let eq = arg.firstIndex(of: "=") {
                name = String(arg[..<eq])
                inline = String(arg[arg.index(after: eq)...])
            }
            switch name {
            case "--password-file":
                options.passwordFile = try value(name, inline: inline)
            case "--enc-key":
                options.encryptionKeyHex = try value(name, inline: inline)
            case "--hmac-key":
                options.hmacKeyHex = try value(name, inline: inline)
            case "--enc-key-file":
                options.encryptionKeyFile = try value(name, inline: inline)
            case "--hmac-key-file":
                options.hmacKeyFile = try value(name, inline: inline)
            case "--iterations":
                let text = try value(name, inline: inline)
                guard let n = Int(text), (1...Limits.maximumPBKDF2Iterations).contains(n) else {
                    throw UsageError(message: "--iterations wants a whole number from 1 to the limit of "
                                     + "\(Limits.maximumPBKDF2Iterations), not '\(text)'")
                }
                options.iterations = n
            case "--prf":
                switch try value(name, inline: inline) {
                case "sha1": options.prf = .sha1
                case "sha256": options.prf = .sha256
                case "sha512": options.prf = .sha512
                case let other: throw UsageError(message: "--prf wants sha1 or sha512, not '\(other)'")
                }
            case "--base64":
                guard inline == nil else { throw UsageError(message: "--base64 takes no value") }
                options.base64 = true
            default:
                throw UsageError(message: "unknown option '\(arg)'")
            }
        }
        let hasEncryptionKey = options.encryptionKeyHex != nil || options.encryptionKeyFile != nil
        let hasHMACKey = options.hmacKeyHex != nil || options.hmacKeyFile != nil
        if hasEncryptionKey || hasHMACKey {
            guard options.passwordFile == nil else {
                throw UsageError(message: "give either --password-file or the two keys, not both")
            }
            guard options.encryptionKeyHex == nil || options.encryptionKeyFile == nil,
                  options.hmacKeyHex == nil || options.hmacKeyFile == nil else {
                throw UsageError(message: "give each key once: --enc-key-file or --enc-key, --hmac-key-file or --hmac-key")
            }
            guard hasEncryptionKey, hasHMACKey else {
                throw UsageError(message: "the key form needs both keys (--enc-key-file and --hmac-key-file)")
            }
            guard options.iterations == nil, options.prf == nil else {
                throw UsageError(message: "--iterations and --prf apply only with --password-file")
            }
        } else if options.passwordFile == nil {
            throw UsageError(message: "give --password-file FILE (or --enc-key-file and --hmac-key-file); "
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
            throw UsageError(message: file.map { "\(option)-file \($0) does not hold 64 hex digits (32 bytes)" }
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
