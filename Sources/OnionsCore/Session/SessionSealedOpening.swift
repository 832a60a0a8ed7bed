import OnionsCrypto

extension Session {
    /// The capacity a scratch buffer needs for `openSealed`.
    public static var sealedScratchCapacity: Int { RecordSealer.scratchCapacity }

    /// Opens one sealed record of this vault, given as the store holds it, into `scratch` and
    /// returns the payload's length; nothing is parsed or kept.
    ///
    /// For measuring the floor of a log in (onions-bench): AES-GCM with the record key and the
    /// record's associated data, as log in opens each title. `scratch` needs a capacity of
    /// `sealedScratchCapacity`; the caller wipes it. Throws `VaultError.malformed` for a blob that
    /// does not open.
    public func openSealed(name: RecordName, version: UInt64, blob: UnsafeRawBufferPointer,
                           into scratch: SecretBytes) throws -> Int {
        try checkUnlocked()
        return try sealer.open(name: name, version: version, blob: blob, into: scratch).remaining
    }
}
