import OnionsCrypto

extension SecretBytes {
    /// The held bytes as an array, for assertions only.
    var testArray: [UInt8] { withUnsafeBytes { Array($0) } }
}

/// Runs `body` with the UTF-8 bytes of `text`.
func withUTF8<R>(_ text: String, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
    try Array(text.utf8).withUnsafeBytes(body)
}
