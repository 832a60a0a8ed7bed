import FuzzSupport
@testable import OnionsCore
import OnionsCrypto

// The importers' decoders of other programs' files: any bytes, never a crash; each either
// gives entries or a named error. The first byte picks the decoder (the KDBX outer layers are
// left out: their key derivation is the file's to choose and would only measure Argon2).

let decoders: [(name: String, decode: @Sendable (SecretBytes) -> Void)] = [
    ("json", { _ = try? SecretJSON.parse($0).wipe() }),
    ("csv", { (try? KeePassXCCSVReader.read($0))?.wipeAll() }),
    ("jrnl", { (try? JrnlReader.read($0, password: SecretBytes(copying: Array("pw".utf8))))?.wipeAll() }),
    ("kdbx-xml", { xml in
        guard let stream = try? ChaCha20(key: SecretBytes(count: 32), nonce: [UInt8](repeating: 0, count: 12)) else { return }
        var parser = KDBXXML(stream: stream)
        try? parser.parse(xml)
        parser.wipe()
    }),
    ("totp", { text in
        text.withUnsafeBytes { raw in
            _ = try? TOTP(uri: raw).code(at: 1_700_000_000).wipe()
            Base32.decode(raw)?.wipe()
        }
    }),
    ("bitwarden", { (try? BitwardenReader.read($0, password: nil))?.wipeAll() }),
    ("plain", { try? PlainExportReader.read($0).wipe() }),
    ("pass", { text in
        let entry = ImportedEntry(folder: "", title: SecretBytes(count: 0))
        text.withUnsafeBytes { PassStoreReader.parse($0, into: entry) }
        entry.info().wipe()
        entry.wipe()
    }),
    ("keyfile", { _ = try? KDBXKeyFile.key($0).wipe() }),
]

/// The seed inputs: one small sample of each format, behind its decoder's byte.
func seeds() throws -> [(name: String, bytes: [UInt8])] {
    let samples: [String: String] = [
        "json": #"{"a": [1, -2.5e3, true, null, "é\u00e9\ud83d\ude00\n"], "b": {}}"#,
        "csv": "\"Group\",\"Title\",\"Username\",\"Password\",\"TOTP\"\n\"Root/web\",\"a \"\"b\"\"\",\"u\",\"p,w\",\"\"\n",
        "jrnl": "[2024-01-15 09:30:00 AM] Title. Body\n\n[2024-01-16 10:00] Star *\nmore\n",
        "kdbx-xml": "<KeePassFile><Meta><RecycleBinUUID>AA==</RecycleBinUUID></Meta><Root><Group><UUID>AA==</UUID>"
            + "<Name>Root</Name><Entry><String><Key>Title</Key><Value>t</Value></String><String><Key>Password</Key>"
            + "<Value Protected=\"True\">AAEC</Value></String><Times><CreationTime>AAAAAAAAAAA=</CreationTime></Times>"
            + "<History><Entry><String><Key>Password</Key><Value Protected=\"True\">AA==</Value></String></Entry></History>"
            + "</Entry></Group></Root></KeePassFile>",
        "totp": "otpauth://totp/x?secret=GEZDGNBVGY3TQOJQ&algorithm=SHA512&digits=8&period=60",
        "bitwarden": #"{"encrypted": false, "folders": [{"id": "f", "name": "F"}], "items": [{"name": "n", "folderId": "f", "login": {"username": "u", "password": "p", "uris": [{"uri": "https://x"}], "totp": "t"}, "card": {"number": "4"}, "fields": [{"name": "k", "value": "v"}], "revisionDate": "2024-01-01T00:00:00.000Z"}]}"#,
        "plain": #"{"format": "onions-plain", "version": 1, "onions": [{"title": "t", "created": 1, "modified": 2, "info": "i"}], "cards": [{"recipient": "r", "created": 3, "sealed": true}], "tasks": [{"id": 1, "done": false, "text": "x"}]}"#,
        "pass": "pw\nlogin: me\nurl: https://x\notpauth://totp/x?secret=GEZDGNBV\nnote\n",
        "keyfile": "<?xml version=\"1.0\"?><KeyFile><Meta><Version>2.0</Version></Meta><Key><Data Hash=\"0\">"
            + String(repeating: "0123456789ABCDEF", count: 4) + "</Data></Key></KeyFile>",
    ]
    return decoders.enumerated().map { i, decoder in (decoder.name, [UInt8(i)] + Array(samples[decoder.name]!.utf8)) }
}

/// One input.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = fuzzInput(data, count)
    guard let first = bytes.first else { return 0 }
    let input = SecretBytes(copying: bytes.dropFirst())
    decoders[Int(first) % decoders.count].decode(input)
    input.wipe()
    return 0
}
