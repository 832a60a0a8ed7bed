import OnionsCrypto

/// An onion's folder path: names joined by `/` ("web/github.com"), empty at the top.
///
/// Paths are kept without a leading or trailing `/` and without empty names (`normalized`), so
/// that "web/", "/web" and "web//" all name the folder "web". A folder is under another when its
/// path is that path or starts with it and a `/` ("web/github.com" is under "web", "website" is not).
public enum FolderPath {
    private static let slash = UInt8(ascii: "/")

    /// `path` without empty names, in a new secret owner (the caller wipes both).
    public static func normalized(_ path: SecretBytes) -> SecretBytes {
        path.withUnsafeBytes { normalized($0) }
    }

    public static func normalized(_ raw: UnsafeRawBufferPointer) -> SecretBytes {
        let out = SecretBytes(count: 0, capacity: max(raw.count, 1))
        var start = 0
        while start < raw.count {
            var end = start
            while end < raw.count && raw[end] != slash { end += 1 }
            if end > start {
                if out.count > 0 { out.append(byte: slash) }
                out.append(UnsafeRawBufferPointer(rebasing: raw[start..<end]))
            }
            start = end + 1
        }
        return out
    }

    /// Whether `folder` is `parent` or lies below it (both normalized). Every folder is under the top ("").
    public static func isUnder(_ folder: UnsafeRawBufferPointer, _ parent: UnsafeRawBufferPointer) -> Bool {
        guard parent.count > 0 else { return true }
        guard folder.count >= parent.count else { return false }
        for i in 0..<parent.count where folder[i] != parent[i] { return false }
        return folder.count == parent.count || folder[parent.count] == slash
    }
}

extension Session {
    /// The onions in `folder` or below it, in the order of `list` (`orderedOnions`).
    public func onions(under folder: SecretBytes, in list: [OnionSummary]) -> [OnionSummary] {
        folder.withUnsafeBytes { parent in
            texts.withAllBytes { all in
                list.filter { onion in
                    FolderPath.isUnder(onion.folder.map { all[$0] } ?? UnsafeRawBufferPointer(start: nil, count: 0), parent)
                }
            }
        }
    }
}
