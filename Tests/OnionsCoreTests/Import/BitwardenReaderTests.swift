import Foundation
import XCTest
@testable import OnionsCore
import OnionsCrypto

/// A plain export in the documented form of Bitwarden's JSON export (a login with two URIs,
/// TOTP and custom fields in a folder, a secure note, a card, an identity), and protected
/// exports of it made by Python's `cryptography` following the documented password-protected
/// format (PBKDF2-SHA256 and Argon2id), as an independent peer.
final class BitwardenReaderTests: XCTestCase {
    static let plain = #"""
    {
      "encrypted": false,
      "folders": [
        {"id": "3a4b5c6d-1111-4a2b-9c3d-0e1f2a3b4c5d", "name": "Social/Code"}
      ],
      "items": [
        {
          "id": "6b87d50b-3ca9-44bc-bbd4-b05e0146937e", "organizationId": null,
          "folderId": "3a4b5c6d-1111-4a2b-9c3d-0e1f2a3b4c5d", "type": 1, "reprompt": 0,
          "name": "GitHub", "notes": "Recovery codes:\nabc-123 \"quoted\" \u00e9t\u00e9", "favorite": true,
          "fields": [
            {"name": "custom-field-text", "value": "custom-text", "type": 0, "linkedId": null},
            {"name": "custom-field-hidden", "value": "hidden value", "type": 1, "linkedId": null},
            {"name": "custom-field-linked", "value": null, "type": 3, "linkedId": 100}
          ],
          "login": {
            "uris": [{"match": null, "uri": "https://github.com/login"}, {"match": 0, "uri": "https://github.com"}],
            "username": "alice@example.com", "password": "c0rrect h0rse",
            "totp": "otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub", "fido2Credentials": []
          },
          "collectionIds": null,
          "revisionDate": "2024-03-02T10:20:30.123Z", "creationDate": "2023-01-15T08:00:00.000Z",
          "deletedDate": null, "passwordHistory": null
        },
        {
          "id": "2b1c0d9e-2222-4f5a-8b7c-6d5e4f3a2b1c", "organizationId": null, "folderId": null,
          "type": 2, "reprompt": 0, "name": "Door codes", "notes": "front 4711\nback 0815",
          "favorite": false, "secureNote": {"type": 0}, "collectionIds": null,
          "revisionDate": "2024-01-01T00:00:00.000Z", "creationDate": "2024-01-01T00:00:00.000Z", "deletedDate": null
        },
        {
          "id": "7c6d5e4f-3333-4a1b-9c8d-7e6f5a4b3c2d", "organizationId": null, "folderId": null,
          "type": 3, "reprompt": 0, "name": "Visa", "notes": null, "favorite": false,
          "card": {"cardholderName": "Alice Example", "brand": "Visa", "number": "4111111111111111",
                   "expMonth": "12", "expYear": "2030", "code": "123"},
          "collectionIds": null,
          "revisionDate": "2024-02-02T02:02:02.000Z", "creationDate": "2024-02-01T01:01:01.000Z", "deletedDate": null
        },
        {
          "id": "8d7e6f5a-4444-4b2c-8d9e-8f7a6b5c4d3e", "organizationId": null,
          "folderId": "3a4b5c6d-1111-4a2b-9c3d-0e1f2a3b4c5d", "type": 4, "reprompt": 0,
          "name": "Me", "notes": null, "favorite": false,
          "identity": {"title": "Ms", "firstName": "Alice", "middleName": null, "lastName": "Example",
                       "address1": "1 Main St", "city": "Springfield", "postalCode": "12345",
                       "country": "US", "email": "alice@example.com", "phone": "555-0100",
                       "ssn": null, "username": "alice", "passportNumber": "X1234567", "licenseNumber": null},
          "collectionIds": null,
          "revisionDate": "2024-04-04T04:04:04.000Z", "creationDate": "2024-04-04T04:04:04.000Z", "deletedDate": null
        },
        {
          "id": "9e8f7a6b-5555-4c3d-9e0f-9a8b7c6d5e4f", "organizationId": null, "folderId": null,
          "type": 2, "reprompt": 0, "name": "Thrown away", "notes": "gone", "favorite": false,
          "secureNote": {"type": 0}, "collectionIds": null,
          "revisionDate": "2024-05-05T05:05:05.000Z", "creationDate": "2024-05-05T05:05:05.000Z",
          "deletedDate": "2024-05-06T05:05:05.000Z"
        }
      ]
    }
    """#

    /// The documented password-protected export, made from `plain` by the peer.
    static let protect = #"""
    import base64, hashlib, hmac, json, os, sys
    from cryptography.hazmat.primitives import hashes, padding
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDFExpand
    from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC
    kdf, password, plain = sys.argv[1], sys.argv[2].encode(), sys.stdin.read()
    salt = base64.b64encode(os.urandom(16)).decode()
    doc = {"encrypted": True, "passwordProtected": True, "salt": salt}
    if kdf == "pbkdf2":
        doc.update(kdfType=0, kdfIterations=5000, kdfMemory=None, kdfParallelism=None)
        key = PBKDF2HMAC(hashes.SHA256(), 32, salt.encode(), 5000).derive(password)
    else:
        from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
        doc.update(kdfType=1, kdfIterations=3, kdfMemory=16, kdfParallelism=2)
        key = Argon2id(salt=hashlib.sha256(salt.encode()).digest(), length=32, iterations=3, lanes=2,
                       memory_cost=16 * 1024).derive(password)
    enc = HKDFExpand(hashes.SHA256(), 32, b"enc").derive(key)
    mac = HKDFExpand(hashes.SHA256(), 32, b"mac").derive(key)
    def seal(data):
        iv = os.urandom(16)
        padder = padding.PKCS7(128).padder()
        body = padder.update(data) + padder.finalize()
        e = Cipher(algorithms.AES(enc), modes.CBC(iv)).encryptor()
        ct = e.update(body) + e.finalize()
        tag = hmac.new(mac, iv + ct, hashlib.sha256).digest()
        return "2." + "|".join(base64.b64encode(x).decode() for x in (iv, ct, tag))
    doc["encKeyValidation_DO_NOT_EDIT"] = seal(os.urandom(16).hex().encode())
    doc["data"] = seal(plain.encode())
    print(json.dumps(doc, indent=2))
    """#

    static func expected() -> [TestEntry] {
        [
            TestEntry(folder: "Social/Code", title: "GitHub",
                      fields: [["password", "c0rrect h0rse"], ["user name", "alice@example.com"],
                               ["url", "https://github.com/login"], ["url 2", "https://github.com"],
                               ["custom-field-text", "custom-text"], ["custom-field-hidden", "hidden value"]],
                      notes: "Recovery codes:\nabc-123 \"quoted\" été",
                      otp: "otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub",
                      created: 1673769600, changed: 1709374830),
            TestEntry(folder: "", title: "Door codes", fields: [], notes: "front 4711\nback 0815", otp: nil,
                      created: 1704067200, changed: 1704067200),
            TestEntry(folder: "", title: "Visa",
                      fields: [["cardholder name", "Alice Example"], ["brand", "Visa"], ["number", "4111111111111111"],
                               ["exp month", "12"], ["exp year", "2030"], ["code", "123"]],
                      notes: nil, otp: nil, created: 1706749261, changed: 1706839322),
            TestEntry(folder: "Social/Code", title: "Me",
                      fields: [["user name", "alice"], ["title", "Ms"], ["first name", "Alice"], ["last name", "Example"],
                               ["address1", "1 Main St"], ["city", "Springfield"], ["postal code", "12345"],
                               ["country", "US"], ["email", "alice@example.com"], ["phone", "555-0100"],
                               ["passport number", "X1234567"]],
                      notes: nil, otp: nil, created: 1712203444, changed: 1712203444),
        ]
    }

    func testThePlainExportBringsEveryFieldOfEveryItem() throws {
        let entries = try BitwardenReader.read(secret(Self.plain), password: nil)
        defer { entries.wipeAll() }
        XCTAssertEqual(entries.map(\.testView), Self.expected())
    }

    func testProtectedExportsOpenWithTheirPasswordUnderBothKDFs() throws {
        for kdf in ["pbkdf2", "argon2id"] {
            let file = try Peer.python(Self.protect, [kdf, "export pässword"], stdin: Self.plain)
            let entries = try BitwardenReader.read(secret(file), password: secret("export pässword"))
            defer { entries.wipeAll() }
            XCTAssertEqual(entries.map(\.testView), Self.expected(), kdf)
            XCTAssertThrowsError(try BitwardenReader.read(secret(file), password: secret("export password"))) {
                XCTAssertEqual($0 as? ImportError, .wrongPassword, kdf)
            }
            XCTAssertThrowsError(try BitwardenReader.read(secret(file), password: nil)) {
                XCTAssertEqual($0 as? ImportError, .passwordNeeded)
            }
        }
    }

    func testAChangedOrCutFileIsDamaged() throws {
        let file = try Peer.python(Self.protect, ["pbkdf2", "pw"], stdin: Self.plain)
        // Change one base64 character of the data's ciphertext (the middle part).
        let data = file.range(of: "\"data\": \"2.")!.upperBound
        let bar = file[data...].firstIndex(of: "|")!
        let at = file.index(bar, offsetBy: 5)
        let changed = file.replacingCharacters(in: at...at, with: file[at] == "A" ? "B" : "A")
        XCTAssertThrowsError(try BitwardenReader.read(secret(changed), password: secret("pw"))) {
            guard case .damaged = $0 as? ImportError else { return XCTFail("\($0)") }
        }
        for cut in [Self.plain.count / 2, 10] {
            XCTAssertThrowsError(try BitwardenReader.read(secret(String(Self.plain.prefix(cut))), password: nil)) {
                guard case .damaged = $0 as? ImportError else { return XCTFail("\($0)") }
            }
        }
        XCTAssertThrowsError(try BitwardenReader.read(secret(#"{"encrypted": true, "items": []}"#), password: secret("pw"))) {
            guard case .unsupported = $0 as? ImportError else { return XCTFail("\($0)") }
        }
    }
}
