import FuzzSupport
@testable import OnionsCrypto

// RNCryptor v3 messages in both forms, as files and the Onions app's export hold them.
//
// Input: `form(1) | message`. Bit 0 of the first byte picks the key form or the password form
// (one PBKDF2 iteration, with the SHA-1 or SHA-512 PRF by bit 1, so that inputs run fast; the
// count does not change the parsing). The message is decrypted as it is (shape checks; random
// bytes never pass the HMAC), then again with its last 32 bytes replaced by the right HMAC, so
// that the CBC decryption and the padding check see fuzzed bytes. A message that decrypts must
// be what encrypting its plaintext with the same salts and IV gives: padding is accepted only
// in its one valid form.

/// The seed inputs: what the real encoders write, and edge cases.
func seeds() throws -> [(name: String, bytes: [UInt8])] {
    let iv = [UInt8](repeating: 0x11, count: 16)
    var seeds: [(name: String, bytes: [UInt8])] = []
    for (name, text) in [("empty", ""), ("short", "Hello"), ("two-blocks", "Thirty-two bytes of plain text!!")] {
        try Array(text.utf8).withUnsafeBytes { plain in
            seeds.append(("key-\(name)", [0] + (try RNCryptor.encrypt(plain, encryptionKey: encryptionKey, hmacKey: hmacKey, iv: iv))))
            try password.withUnsafeBytes { password in
                seeds.append(("password-sha1-\(name)", [1] + (try RNCryptor.encrypt(
                    plain, password: password, settings: settings(1), encryptionSalt: [UInt8](repeating: 1, count: 8),
                    hmacSalt: [UInt8](repeating: 2, count: 8), iv: iv))))
                seeds.append(("password-sha512-\(name)", [3] + (try RNCryptor.encrypt(
                    plain, password: password, settings: settings(3), encryptionSalt: [UInt8](repeating: 3, count: 8),
                    hmacSalt: [UInt8](repeating: 4, count: 8), iv: iv))))
            }
        }
    }
    return seeds
}

/// One input.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = fuzzInput(data, count)
    guard let form = bytes.first else { return 0 }
    let message = Array(bytes.dropFirst())
    if form & 1 == 0 {
        let decrypt = { (m: [UInt8]) in try RNCryptor.decrypt(m, encryptionKey: encryptionKey, hmacKey: hmacKey) }
        let encrypt = { (plain: UnsafeRawBufferPointer, m: [UInt8]) in
            try RNCryptor.encrypt(plain, encryptionKey: encryptionKey, hmacKey: hmacKey, iv: Array(m[2..<18]))
        }
        check(message, decrypt, encrypt)
        check(withRightHMAC(message, key: hmacKey), decrypt, encrypt)
        return 0
    }
    let settings = settings(form)
    password.withUnsafeBytes { password in
        let decrypt = { (m: [UInt8]) in try RNCryptor.decrypt(m, password: password, settings: settings) }
        let encrypt = { (plain: UnsafeRawBufferPointer, m: [UInt8]) in
            try RNCryptor.encrypt(plain, password: password, settings: settings, encryptionSalt: Array(m[2..<10]),
                                  hmacSalt: Array(m[10..<18]), iv: Array(m[18..<34]))
        }
        check(message, decrypt, encrypt)
        guard message.count >= RNCryptor.passwordHeaderCount,
              let key = try? RNCryptor.deriveKey(password, salt: Array(message[10..<18]), settings: settings) else { return }
        defer { key.wipe() }
        check(withRightHMAC(message, key: key), decrypt, encrypt)
    }
    return 0
}

/// Decrypts `message`; when that works, encrypts the plaintext again with the message's own
/// salts and IV (`encrypt`) and requires the same bytes.
private func check(_ message: [UInt8], _ decrypt: ([UInt8]) throws -> SecretBytes,
                   _ encrypt: (UnsafeRawBufferPointer, [UInt8]) throws -> [UInt8]) {
    guard let plain = try? decrypt(message) else { return }
    defer { plain.wipe() }
    let again = plain.withUnsafeBytes { try? encrypt($0, message) }
    precondition(again == message, "a message decrypted that its plaintext does not encrypt to")
}

/// `message` with its last 32 bytes replaced by the HMAC of the rest under `key`.
private func withRightHMAC(_ message: [UInt8], key: SecretBytes) -> [UInt8] {
    guard message.count >= RNCryptor.hmacCount else { return message }
    let body = Array(message.dropLast(RNCryptor.hmacCount))
    return body + HMAC.sha256(key: key, message: body)
}

/// One iteration, with the PRF that bit 1 of `form` names.
private func settings(_ form: UInt8) -> RNCryptor.KeySettings {
    RNCryptor.KeySettings(iterations: 1, prf: form & 2 == 0 ? .sha1 : .sha512)
}

private let password = SecretBytes(copying: Array("fuzz password".utf8))
private let encryptionKey = SecretBytes(copying: [UInt8](repeating: 0x0e, count: 32))
private let hmacKey = SecretBytes(copying: [UInt8](repeating: 0x4d, count: 32))
