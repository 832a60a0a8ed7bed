import COpenSSL

/// Helpers shared by the OpenSSL-backed internals of this module.
enum OpenSSL {
    /// Clears OpenSSL's error queue and returns a failure naming `call`.
    static func failure(_ call: String) -> CryptoError {
        ERR_clear_error()
        return .failure("\(call) failed")
    }

    /// A C string with static lifetime, as OSSL_PARAM keys and names need.
    static func cString(_ text: StaticString) -> UnsafeMutablePointer<CChar> {
        UnsafeMutablePointer(mutating: UnsafeRawPointer(text.utf8Start).assumingMemoryBound(to: CChar.self))
    }

    /// Calls `body` with a pointer that is never nil, even for an empty buffer
    /// (some OpenSSL calls treat a nil pointer specially).
    static func nonNil<R>(_ buffer: UnsafeRawBufferPointer,
                          _ body: (UnsafeRawPointer, Int) throws -> R) rethrows -> R {
        if let base = buffer.baseAddress { return try body(base, buffer.count) }
        var zero: UInt8 = 0
        return try withUnsafeBytes(of: &zero) { try body($0.baseAddress!, 0) }
    }

    /// Wipes a plain array in place (for transient copies of secret bytes).
    static func cleanse(_ bytes: inout [UInt8]) {
        bytes.withUnsafeMutableBytes { raw in
            if let base = raw.baseAddress { OPENSSL_cleanse(base, raw.count) }
        }
    }
}
