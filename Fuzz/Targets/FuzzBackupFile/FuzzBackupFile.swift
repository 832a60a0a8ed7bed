import FuzzSupport
import OnionsCore
import OnionsCrypto

// A backup file given to `onions import`: any bytes. A file that reads must write back to a
// file that reads the same, its writes must restore every record, and its header parameters go
// through the same reader a store's header does.

/// The seed inputs: what the real encoders write, and edge cases.
func seeds() throws -> [(name: String, bytes: [UInt8])] {
    let vault = [UInt8]("onions".utf8).withUnsafeBytes { VaultID(CredentialStretching.stretch($0)) }
    let parameters = VaultParameters(kdf: ScryptParameters(logN: 17, r: 8, p: 1), salt: [UInt8](repeating: 1, count: 16),
                                     vaultUUID: [UInt8](repeating: 2, count: 16))
    let header = VaultHeaderBlob(parameters: parameters.encoded, wrappedKey: [UInt8](repeating: 3, count: 60),
                                 verifier: [UInt8](repeating: 4, count: 32))
    let records = [
        StoredRecord(name: RecordName([UInt8](repeating: 0xab, count: 32)), version: 3,
                     blob: [UInt8](repeating: 5, count: 90), deleted: false, sequence: 0),
        StoredRecord(name: RecordName([UInt8](repeating: 0xcd, count: 32)), version: 2, blob: [], deleted: true, sequence: 0),
    ]
    return [
        ("two-records", BackupFile(vault: vault, header: header, records: records).encoded()),
        ("empty-vault", BackupFile(vault: vault, header: header, records: []).encoded()),
    ]
}

/// One input.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let backup = try? BackupFile(decoding: fuzzInput(data, count)) else { return 0 }
    precondition((try? BackupFile(decoding: backup.encoded())) == backup, "a backup does not read back as it was written")
    _ = try? VaultParameters(decoding: backup.header.parameters)
    // `onions import` refuses a backup that needs more writes than this before building them.
    if backup.restoringWriteCount <= 10_000 {
        precondition(backup.restoringWrites().count == Int(backup.restoringWriteCount),
                     "the restoring writes are not as many as counted")
    }
    return 0
}
