/// What went wrong in a cryptographic operation, named for the caller; never carries a secret.
public enum CryptoError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Wrong password or key, or the data was changed: an HMAC or GCM tag did not match.
    case authenticationFailed
    /// The input is shorter than (or not shaped as) the format allows.
    case truncated
    /// An RNCryptor version byte other than 3.
    case unknownVersion(UInt8)
    /// An RNCryptor options byte other than 0 or 1, or not the form that was asked for.
    case unknownOptions(UInt8)
    /// A key, salt, nonce or parameter of the wrong size; the message names which one.
    case invalidLength(String)
    /// CBC padding was invalid (for RNCryptor only reachable after a good HMAC).
    case badPadding
    /// OpenSSL refused the operation; the message names the call, never data.
    case failure(String)

    public var description: String {
        switch self {
        case .authenticationFailed: return "the password or key is wrong, or the data was changed"
        case .truncated: return "the data is cut short or not in the expected format"
        case .unknownVersion(let version): return "the data has format version \(version); only version 3 is known"
        case .unknownOptions(let options): return "the data has options byte \(options), which this form does not allow"
        case .invalidLength(let what): return "the \(what) has the wrong length"
        case .badPadding: return "the decrypted data has invalid padding"
        case .failure(let call): return "the cryptographic library refused an operation (\(call))"
        }
    }
}
