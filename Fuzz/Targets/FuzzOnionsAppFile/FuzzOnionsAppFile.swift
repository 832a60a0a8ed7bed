import FuzzSupport
import OnionsCore
import OnionsCrypto

// The Onions app's JSON export given to `onions import`: any bytes go through the JSON reader
// and the export's record checks; the fields of the first usable records are then opened as
// RNCryptor messages with one PBKDF2 iteration (the file's count does not change the parsing,
// and ten thousand per input would leave no time to fuzz).

/// The seed inputs: what the real encoders write, and edge cases.
func seeds() throws -> [(name: String, bytes: [UInt8])] {
    func field(_ text: String, _ prf: PBKDF2.PRF) throws -> String {
        let message = try Array(text.utf8).withUnsafeBytes { plain in
            try password.withUnsafeBytes {
                try RNCryptor.encrypt(plain, password: $0, settings: RNCryptor.KeySettings(iterations: 1, prf: prf))
            }
        }
        return Base64.encode(message)
    }
    let export = """
    {"results": [
      {"objectId": "a1", "onionTitle": "\(try field("Groceries", .sha1))", "onionInfo": "\(try field("milk\\neggs", .sha1))",
       "iterations": 1, "onionVersion": 2, "userId": "u", "createdAt": "2016-01-02T03:04:05.000Z",
       "updatedAt": "2016-01-03T03:04:05.000Z"},
      {"objectId": "b2", "onionTitle": "\(try field("家 é", .sha512))", "onionInfo": "\(try field("", .sha512))",
       "iterations": "1", "onionVersion": 1.0},
      {"objectId": "c3", "onionTitle": "bm90IGEgbWVzc2FnZQ==", "onionInfo": 5, "iterations": 1e400},
      [], {"onionTitle": "\\ud83d\\ude00 \\u00e9 \\/ \\\\ \\"", "onionVersion": null, "x": [true, false, -0.5e-3]}
    ]}
    """
    return [("export", Array(export.utf8)), ("no-results", Array("{\"result\": []}".utf8)),
            ("deep", Array((String(repeating: "[", count: 300) + String(repeating: "]", count: 300)).utf8))]
}

/// One input.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let file = try? OnionsAppFile(decoding: fuzzInput(data, count)) else { return 0 }
    for record in file.records.lazy.filter({ $0.problem == nil }).prefix(4) {
        let settings = RNCryptor.KeySettings(iterations: 1, prf: record.settings.prf)
        for message in [record.title, record.info] {
            OnionsAppFile.open(message, settings, password: password).opened?.wipe()
        }
    }
    return 0
}

private let password = SecretBytes(copying: Array("fuzz password".utf8))
