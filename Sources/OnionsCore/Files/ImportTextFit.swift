import OnionsCrypto

/// Makes an imported text fit a field's limits without dropping it.
///
/// Control characters the field does not take are replaced (a line break in a title becomes
/// a space, a CR or CR LF in an info becomes a line break, others are removed); a text over
/// the limit is cut at a character boundary and ends in "…" (which counts as one character);
/// an empty title becomes "Untitled". Each change is described in `notes`, by numbers only,
/// never by the text.
public enum ImportTextFit {
    public static let mark: [UInt8] = Array("…".utf8)
    public static let untitled: [UInt8] = Array("Untitled".utf8)

    /// The fitted copy of `text` (the caller wipes both) and what was changed, or nil when
    /// `text` is not UTF-8.
    public static func fit(_ text: SecretBytes, _ limit: FieldLimit) -> (text: SecretBytes, notes: [String])? {
        guard let cleaned = clean(text, limit) else { return nil }
        var notes: [String] = []
        if cleaned.replaced > 0 {
            notes.append("\(cleaned.replaced) control character(s) in the \(limit.name) replaced or removed")
        }
        let fitted = cleaned.text
        if fitted.count == 0 && limit.minCharacters > 0 {
            fitted.wipe()
            notes.append("the \(limit.name) was empty; imported as \"Untitled\"")
            return (SecretBytes(copying: untitled), notes)
        }
        let characters = fitted.withUnsafeBytes { TextScan.characterCount($0.bindMemory(to: UInt8.self)) }
        guard characters > limit.maxCharacters || fitted.count > limit.maxBytes else { return (fitted, notes) }
        let cut = fitted.withUnsafeBytes { raw -> (bytes: Int, characters: Int) in
            // A transient String for grapheme breaking (freed heap is scrubbed; see ProcessHardening).
            var bytes = 0, kept = 0
            for character in String(decoding: raw, as: UTF8.self) {
                let n = character.utf8.count
                guard kept + 1 < limit.maxCharacters, bytes + n + mark.count <= limit.maxBytes else { break }
                bytes += n
                kept += 1
            }
            return (bytes, kept)
        }
        let result = SecretBytes(count: 0, capacity: cut.bytes + mark.count)
        fitted.withUnsafeBytes { _ = result.append(UnsafeRawBufferPointer(rebasing: $0[0..<cut.bytes])) }
        mark.withUnsafeBytes { _ = result.append($0) }
        fitted.wipe()
        notes.append("the \(limit.name) had \(characters) characters (\(limit.maxCharacters) fit); "
                     + "imported cut to \(cut.characters + 1) ending in \"…\"")
        return (result, notes)
    }

    /// `text` with the scalars `limit` refuses replaced, and how many were; nil when not UTF-8.
    private static func clean(_ text: SecretBytes, _ limit: FieldLimit) -> (text: SecretBytes, replaced: Int)? {
        text.withUnsafeBytes { raw -> (text: SecretBytes, replaced: Int)? in
            guard var scalars = TextScan.scalars(raw.bindMemory(to: UInt8.self)) else { return nil }
            defer { for i in scalars.indices { scalars[i] = " " } }
            let out = SecretBytes(count: 0, capacity: max(1, raw.count))
            var replaced = 0
            var i = 0
            while i < scalars.count {
                let scalar = scalars[i]
                i += 1
                if TextScan.isAllowed(scalar, lineBreaks: limit.allowsLineBreaks) {
                    for byte in scalar.utf8 { out.append(byte: byte) }
                    continue
                }
                replaced += 1
                let isBreak = scalar == "\r" || scalar == "\n"
                if scalar == "\r", i < scalars.count, scalars[i] == "\n" { i += 1 }
                if limit.allowsLineBreaks {
                    if isBreak { out.append(byte: 0x0A) }
                } else if isBreak || scalar == "\t" {
                    out.append(byte: 0x20)
                }
            }
            return (out, replaced)
        }
    }
}
