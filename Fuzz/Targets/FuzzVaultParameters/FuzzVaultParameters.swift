import FuzzSupport
@testable import OnionsCore
import OnionsCrypto

// A vault header as a store hands it over. The whole input is read as the public parameters,
// which must encode back to the same bytes and lie inside the limits when they decode; then the
// bytes after the first 43 as the wrapped data key (bound to those 43), opened with keys
// derived once at the cheapest cost.

/// The seed inputs: what the real encoders write, and edge cases.
func seeds() throws -> [(name: String, bytes: [UInt8])] {
    let salt = [UInt8](repeating: 0x5a, count: 16), uuid = [UInt8](repeating: 0xa5, count: 16)
    return [
        ("default", VaultParameters(kdf: ScryptParameters(logN: 17, r: 8, p: 1), salt: salt, vaultUUID: uuid).encoded),
        ("lowest", VaultParameters(kdf: ScryptParameters(logN: 10, r: 1, p: 1), salt: salt, vaultUUID: uuid).encoded),
        ("highest", VaultParameters(kdf: ScryptParameters(logN: 22, r: 32, p: 16), salt: salt, vaultUUID: uuid).encoded),
        ("short", [1, 1, 17]),
    ]
}

/// One input.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = fuzzInput(data, count)
    if let parameters = try? VaultParameters(decoding: bytes) {
        precondition(parameters.encoded == bytes, "parameters do not encode to the bytes they came from")
        precondition((VaultParameters.minimumLogN...VaultParameters.maximumLogN).contains(parameters.kdf.logN))
    }
    let split = min(bytes.count, 43)
    if let key = try? keys.unwrap(Array(bytes[split...]), vault: VaultID("fuzz"), parameters: Array(bytes[..<split])) {
        key.wipe()
    }
    return 0
}

private let keys: PasswordKeys = {
    let cheapest = VaultParameters(kdf: ScryptParameters(logN: VaultParameters.minimumLogN, r: 8, p: 1),
                                   salt: [UInt8](repeating: 1, count: 16), vaultUUID: [UInt8](repeating: 2, count: 16))
    return try! PasswordKeys(password: SecretBytes(copying: Array("fuzz".utf8)), parameters: cheapest)
}()
