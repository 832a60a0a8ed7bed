internal import CZlib

/// Inflates a gzip stream (RFC 1952, one member) from secret memory into secret memory,
/// through zlib, for formats that compress what they encrypt (KeePass KDBX payloads).
public enum GzipInflate {
    /// Why a stream did not inflate; never carries data.
    public enum Failure: Error, Equatable, Sendable {
        /// zlib could not set up its inflater.
        case cannotStart
        /// The stream is not gzip, fails its check, or ends before its last block.
        case damaged
        /// The inflated bytes would pass the caller's cap.
        case tooLarge
    }

    /// The inflated bytes of `data`, at most `limit` of them, produced a 64 KiB chunk at a time;
    /// the chunk and any partial output are wiped before an error is thrown.
    public static func inflate(_ data: SecretBytes, limit: Int) throws(Failure) -> SecretBytes {
        var stream = z_stream()
        guard inflateInit2_(&stream, 16 + MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw .cannotStart
        }
        defer { inflateEnd(&stream) }
        let chunk = SecretBytes(count: 64 << 10)
        defer { chunk.wipe() }
        var out = SecretBytes(count: 0, capacity: min(max(64 << 10, data.count * 4), max(limit, 0)))
        let outcome: Failure? = data.withUnsafeBytes { input in
            // zlib reads through next_in but never writes there.
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: UInt8.self))
            stream.avail_in = UInt32(input.count)
            while true {
                let (status, produced) = chunk.withUnsafeMutableBytes { c -> (Int32, Int) in
                    stream.next_out = c.baseAddress!.assumingMemoryBound(to: UInt8.self)
                    stream.avail_out = UInt32(c.count)
                    let status = CZlib.inflate(&stream, Z_NO_FLUSH)
                    return (status, c.count - Int(stream.avail_out))
                }
                let fits = chunk.withUnsafeBytes {
                    SecretBytes.growingAppend(UnsafeRawBufferPointer(rebasing: $0[0..<produced]), to: &out, limit: limit)
                }
                guard fits else { return .tooLarge }
                if status == Z_STREAM_END { return nil }
                guard status == Z_OK, produced > 0 || stream.avail_in > 0 else { return .damaged }
            }
        }
        if let outcome {
            out.wipe()
            throw outcome
        }
        return out
    }
}

extension SecretBytes {
    /// Appends `bytes` to `out`, moving it to a bigger owner (capacity doubled, up to `limit`;
    /// the old one wiped) when full; false, and nothing appended, past `limit`.
    static func growingAppend(_ bytes: UnsafeRawBufferPointer, to out: inout SecretBytes, limit: Int) -> Bool {
        guard out.count + bytes.count <= limit else { return false }
        if out.count + bytes.count > out.capacity {
            var capacity = max(out.capacity, 4096)
            while capacity < out.count + bytes.count { capacity *= 2 }
            let bigger = SecretBytes(count: 0, capacity: min(capacity, limit))
            _ = bigger.append(out)
            out.wipe()
            out = bigger
        }
        return out.append(bytes)
    }
}
