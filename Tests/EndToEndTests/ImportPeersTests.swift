import Foundation
import XCTest

/// `onions import --from pass|keepassxc|jrnl|bitwarden` on files the peers made themselves
/// (Debian's pass and gpg, pykeepass, jrnl), checked through `onions show`: every field of every
/// entry is in the vault; a wrong password or a damaged file leaves the vault as it was.
final class ImportPeersTests: XCTestCase {
    /// Runs `onions` on the vault with extra environment (GNUPGHOME for gpg).
    func onions(_ vault: ScratchVault, _ arguments: [String], extra: [String: String] = [:]) throws -> ProcessResult {
        let global = ["--store", vault.path("vault.db"), "--user", vault.user, "--password-file", vault.path("password"),
                      "--kdf-cost", "15"]
        return try Harness.run(try Harness.onionsBinary(), global + arguments,
                               environment: vault.environment.merging(extra) { $1 })
    }

    func info(_ vault: ScratchVault, _ title: String) throws -> String {
        let shown = try vault.onions(["show", title])
        XCTAssertEqual(shown.status, 0, "show \(title): \(shown.stderrText)")
        return shown.stdoutText.hasSuffix("\n") ? String(shown.stdoutText.dropLast()) : shown.stdoutText
    }

    /// Each onion's folder, created and changed times (milliseconds), by title, from `list --json`.
    func listed(_ vault: ScratchVault) throws -> [String: (folder: String, created: Int64, changed: Int64)] {
        let listed = try vault.onions(["list", "--json"])
        XCTAssertEqual(listed.status, 0, listed.stderrText)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(listed.stdout)) as? [String: Any])
        var byTitle: [String: (folder: String, created: Int64, changed: Int64)] = [:]
        for onion in json["onions"] as? [[String: Any]] ?? [] {
            byTitle[onion["title"] as? String ?? "?"] = (onion["folder"] as? String ?? "(no folder field)",
                                                         (onion["created"] as? NSNumber)?.int64Value ?? -1,
                                                         (onion["changed"] as? NSNumber)?.int64Value ?? -1)
        }
        return byTitle
    }

    func folders(_ vault: ScratchVault) throws -> [String: String] { try listed(vault).mapValues(\.folder) }

    func list(_ vault: ScratchVault) throws -> [String] {
        let listed = try vault.onions(["list"])
        XCTAssertEqual(listed.status, 0, listed.stderrText)
        return listed.stdoutText.split(separator: "\n").map(String.init)
    }

    /// A private directory with a short path (gpg-agent puts its socket there).
    func shortDirectory() throws -> String {
        var template = Array("/tmp/onions-peer-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw CocoaError(.fileWriteUnknown) }
        let path = String(cString: made)
        addTeardownBlock {
            _ = try? Harness.run("/usr/bin/gpgconf", ["--kill", "gpg-agent"], environment: ["GNUPGHOME": path + "/gnupg"])
            try? FileManager.default.removeItem(atPath: path)
        }
        return path
    }

    func run(_ program: String, _ arguments: [String], stdin: String = "", env: [String: String]) throws {
        let base = ProcessInfo.processInfo.environment
        let result = try Harness.run(program, arguments, stdin: Array(stdin.utf8), environment: base.merging(env) { $1 })
        XCTAssertEqual(result.status, 0, "\(program) \(arguments.prefix(2)): \(result.stderrText)")
    }

    // MARK: pass

    static let passItems: [(path: String, text: String)] = [
        ("web/github.com/alice", "p4ss w0rd!\nlogin: alice\nurl: https://github.com/login\n"
            + "otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub\nRecovery codes are in the safe.\nSecond line.\n"),
        ("email/personal", "hunter2\n"),
        ("Very long account name at the bank of somewhere", "s3cret\nUsername: bob\npin: 1234\n"),
        ("wifi/café", "mot de passe été\n\nLe code du routeur: pas ici\n"),
    ]

    func makePassStore() throws -> (store: String, env: [String: String]) {
        let dir = try shortDirectory()
        let env = ["GNUPGHOME": dir + "/gnupg", "PASSWORD_STORE_DIR": dir + "/store"]
        try FileManager.default.createDirectory(atPath: dir + "/gnupg", withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        try run("/usr/bin/gpg", ["--batch", "--pinentry-mode", "loopback", "--passphrase", "", "--quick-gen-key",
                                 "Onions Import <import@example.org>", "default", "default", "never"], env: env)
        try run("/usr/bin/pass", ["init", "import@example.org"], env: env)
        for item in Self.passItems {
            try run("/usr/bin/pass", ["insert", "--multiline", item.path], stdin: item.text, env: env)
        }
        return (dir + "/store", env)
    }

    func testPassStoreMadeByPassArrivesFieldByFieldWithItsFolders() throws {
        let (store, env) = try makePassStore()
        let vault = try ScratchVault(for: self)
        let result = try onions(vault, ["import", "--from", "pass", store], extra: ["GNUPGHOME": env["GNUPGHOME"]!])
        XCTAssertEqual(result.status, 0, result.stderrText)
        // Nothing but the summary on standard error when it is not a terminal (no progress line).
        XCTAssertEqual(result.stderrText, "imported 4 of 4 onions from the password store \(store)\n")
        let long = "Very long account name at the bank of somewhere"
        let short = String(long.prefix(29)) + "…"
        XCTAssertEqual(result.stdoutText.split(separator: "\n").sorted(), [
            "imported: \(long)/\(short)", "imported: email/personal", "imported: web/github.com/alice",
            "imported: wifi/café",
            "shortened: \(long): the name has \(long.count) characters; the title keeps the first 29 and \"…\", the folder the whole name",
        ])
        XCTAssertEqual(try info(vault, "alice"), "p4ss w0rd!\nuser name: alice\n"
                       + "url: https://github.com/login\notpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub\n\n"
                       + "Recovery codes are in the safe.\nSecond line.")
        XCTAssertEqual(try info(vault, "personal"), "hunter2")
        XCTAssertEqual(try info(vault, short), "s3cret\nuser name: bob\npin: 1234")
        XCTAssertEqual(try info(vault, "café"), "mot de passe été\nle code du routeur: pas ici")
        XCTAssertEqual(try folders(vault), ["alice": "web/github.com", "personal": "email", short: long, "café": "wifi"])
        XCTAssertEqual(try list(vault).count, 4)
    }

    func testPassFileGpgCannotDecryptLeavesTheVaultAsItWas() throws {
        let (store, env) = try makePassStore()
        let vault = try ScratchVault(for: self)
        XCTAssertEqual(try vault.onions(["add", "--title", "before"]).status, 0)
        // A damaged file among good ones: gpg fails on it, nothing is imported.
        try Data([0x85, 0x01, 0x0c, 0x03, 0x00, 0x11, 0x22]).write(to: URL(fileURLWithPath: store + "/broken.gpg"))
        let result = try onions(vault, ["import", "--from", "pass", store], extra: ["GNUPGHOME": env["GNUPGHOME"]!])
        XCTAssertEqual(result.status, 1, result.stderrText)
        XCTAssertTrue(result.stderrText.contains("nothing imported"), result.stderrText)
        XCTAssertEqual(try list(vault), ["before"])
    }

    // MARK: KeePassXC

    static let kdbxPeer = #"""
    import json, os, sys
    from pykeepass import create_database, PyKeePass
    d, password = sys.argv[1], sys.argv[2]
    keyfile = os.path.join(d, "key.bin")
    open(keyfile, "wb").write(os.urandom(100))
    path = os.path.join(d, "db.kdbx")
    kp = create_database(path, password=password, keyfile=keyfile)
    kdf = kp.kdbx.header.value.dynamic_header.kdf_parameters.data.dict
    kdf["I"].value, kdf["M"].value = 3, 8 * 1024 * 1024
    web = kp.add_group(kp.root_group, "web")
    gh = kp.add_group(web, "github.com")
    e = kp.add_entry(gh, "alice", "alice@example.com", "p4ss w0rd! <&>", url="https://github.com/login",
                     notes="Recovery codes\nline 2 été",
                     otp="otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub")
    e.set_custom_property("PIN", "1234", protect=True)
    e.set_custom_property("Recovery email", "alice@backup.example")
    kp.add_entry(kp.root_group, "Top level 家", "", "hunter2")
    kp.save()
    kp = PyKeePass(path, password=password, keyfile=keyfile)
    print(json.dumps([{"folder": "/".join(e.group.path), "title": e.title, "username": e.username,
                       "password": e.password, "url": e.url, "notes": e.notes, "otp": e.otp,
                       "custom": [[k, v] for k, v in e.custom_properties.items()],
                       "ctime": int(e.ctime.timestamp()), "mtime": int(e.mtime.timestamp())} for e in kp.entries]))
    """#

    func testKDBXMadeByPykeepassArrivesFieldByField() throws {
        let vault = try ScratchVault(for: self)
        let made = try Harness.python(Self.kdbxPeer, [vault.folder.path, "kdbx pässword"])
        XCTAssertEqual(made.status, 0, made.stderrText)
        let entries = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(made.stdout)) as? [[String: Any]])
        XCTAssertEqual(entries.count, 2)
        let passwordFile = try vault.write("kdbx-password", "kdbx pässword\n")
        let result = try vault.onions(["import", "--from", "keepassxc", vault.path("db.kdbx"),
                                       "--old-password-file", passwordFile, "--key-file", vault.path("key.bin")])
        XCTAssertEqual(result.status, 0, result.stderrText)
        XCTAssertTrue(result.stderrText.contains("imported 2 of 2 onions"), result.stderrText)
        let onions = try listed(vault)
        for entry in entries {
            // What pykeepass says the entry holds, in the order the info shows it.
            var lines = [entry["password"] as! String]
            let title = entry["title"] as! String
            XCTAssertEqual(onions[title]?.folder, entry["folder"] as? String, title)
            XCTAssertEqual(onions[title]?.created, (entry["ctime"] as! NSNumber).int64Value * 1000, "\(title): created")
            XCTAssertEqual(onions[title]?.changed, (entry["mtime"] as! NSNumber).int64Value * 1000, "\(title): changed")
            if let user = entry["username"] as? String, !user.isEmpty { lines.append("user name: " + user) }
            if let url = entry["url"] as? String, !url.isEmpty { lines.append("url: " + url) }
            for pair in (entry["custom"] as? [[String]]) ?? [] { lines.append(pair[0] + ": " + pair[1]) }
            if let otp = entry["otp"] as? String { lines.append(otp) }
            if let notes = entry["notes"] as? String { lines += ["", notes] }
            XCTAssertEqual(try info(vault, entry["title"] as! String), lines.joined(separator: "\n"))
        }
        XCTAssertEqual(try list(vault).sorted(), entries.map { $0["title"] as! String }.sorted())
    }

    func testWrongKDBXPasswordOrDamagedFileOrMissingKeyFileChangesNothing() throws {
        let vault = try ScratchVault(for: self)
        let made = try Harness.python(Self.kdbxPeer, [vault.folder.path, "kdbx pässword"])
        XCTAssertEqual(made.status, 0, made.stderrText)
        XCTAssertEqual(try vault.onions(["add", "--title", "before"]).status, 0)
        let right = try vault.write("right", "kdbx pässword\n")
        let wrong = try vault.write("wrong", "kdbx password\n")
        var damaged = try Data(contentsOf: URL(fileURLWithPath: vault.path("db.kdbx")))
        damaged[damaged.count / 2] ^= 0x01
        try damaged.write(to: URL(fileURLWithPath: vault.path("damaged.kdbx")))
        for (file, password, key) in [("db.kdbx", wrong, true), ("damaged.kdbx", right, true), ("db.kdbx", right, false)] {
            let result = try vault.onions(["import", "--from", "keepassxc", vault.path(file), "--old-password-file", password]
                                          + (key ? ["--key-file", vault.path("key.bin")] : []))
            XCTAssertEqual(result.status, 1, "\(file): \(result.stderrText)")
            XCTAssertTrue(result.stderrText.contains("nothing imported"), result.stderrText)
            XCTAssertEqual(try list(vault), ["before"])
        }
    }

    /// KeePassXC's CSV export written by keepassxc-cli itself, found by its content.
    func testKeePassXCCSVExportMadeByKeePassXCCLIArrivesFieldByField() throws {
        let vault = try ScratchVault(for: self)
        let db = vault.path("c.kdbx"), env: [String: String] = [:]
        try run("/usr/bin/keepassxc-cli", ["db-create", "-q", "-p", "-t", "100", db], stdin: "xc pw\nxc pw\n", env: env)
        try run("/usr/bin/keepassxc-cli", ["mkdir", "-q", db, "web"], stdin: "xc pw\n", env: env)
        try run("/usr/bin/keepassxc-cli", ["add", "-q", "-u", "bob", "--url", "https://x.example", "--notes", "two\nlines",
                                           "-p", db, "web/Mail"], stdin: "xc pw\nsecret 1\n", env: env)
        let exported = try Harness.run("/usr/bin/keepassxc-cli", ["export", "-q", "-f", "csv", db], stdin: Array("xc pw\n".utf8))
        XCTAssertEqual(exported.status, 0, exported.stderrText)
        let csv = vault.path("export.csv")
        try Data(exported.stdout).write(to: URL(fileURLWithPath: csv))
        let result = try vault.onions(["import", "--from", "keepassxc", csv])
        XCTAssertEqual(result.status, 0, result.stderrText)
        XCTAssertEqual(result.stdoutText, "imported: web/Mail\n", "the root group is left out, as for KDBX")
        XCTAssertEqual(try info(vault, "Mail"), "secret 1\nuser name: bob\nurl: https://x.example\n\ntwo\nlines")
        XCTAssertEqual(try folders(vault), ["Mail": "web"])
    }

    // MARK: jrnl

    static let jrnlPeer = #"""
    import json, os, subprocess, sys
    from jrnl.config import load_config
    from jrnl.journals.Journal import Journal
    from jrnl.encryption.Jrnlv3Encryption import Jrnlv3Encryption
    d, password = sys.argv[1], sys.argv[2]
    cfg = os.path.join(d, "jrnl.yaml")
    with open(cfg, "w") as f:
        f.write("colors: {body: none, date: none, tags: none, title: none}\ndefault_hour: 9\ndefault_minute: 0\n"
                "editor: ''\nencrypt: false\nhighlight: false\nindent_character: '|'\n"
                "journals:\n  default:\n    journal: " + os.path.join(d, "journal.txt") + "\n"
                "linewrap: 79\ntagsymbols: '#@'\ntemplate: false\ntimeformat: '%F %r'\nversion: v4.6\n")
    def jrnl(*args, stdin=None):
        subprocess.run([sys.executable, "-m", "jrnl", "--config-file", cfg, *args], input=stdin, text=True,
                       check=True, capture_output=True)
    jrnl("2024-01-15 09:30: First entry title. Body of the first, with @tag.")
    jrnl(stdin="2024-02-01 18:05: Second title! Then more.\nA second line of body, été 家.\n")
    jrnl("2024-03-03 07:00: Starred one *")
    config = load_config(cfg)
    config.update(config["journals"]["default"])
    journal = Journal("default", **config)
    journal.open()
    encryption = Jrnlv3Encryption("default", config)
    encryption.password = password
    open(os.path.join(d, "v3.jrnl"), "wb").write(encryption.encrypt(open(os.path.join(d, "journal.txt")).read()))
    print(json.dumps([[e.title, e.body, e.date.strftime("%Y-%m-%d %H:%M"), e.starred] for e in journal.entries]))
    """#

    func testEncryptedJournalMadeByJrnlArrivesWithItsDates() throws {
        let vault = try ScratchVault(for: self)
        let made = try Harness.python(Self.jrnlPeer, [vault.folder.path, "jöurnal pw"])
        XCTAssertEqual(made.status, 0, made.stderrText)
        let entries = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(made.stdout)) as? [[Any]])
        XCTAssertEqual(entries.count, 3)
        XCTAssertEqual(try vault.onions(["add", "--title", "before"]).status, 0)
        let wrong = try vault.write("wrong", "journal pw\n")
        let failed = try vault.onions(["import", "--from", "jrnl", vault.path("v3.jrnl"), "--old-password-file", wrong])
        XCTAssertEqual(failed.status, 1, failed.stderrText)
        XCTAssertTrue(failed.stderrText.contains("nothing imported"), failed.stderrText)
        XCTAssertEqual(try list(vault), ["before"])

        let right = try vault.write("right", "jöurnal pw\n")
        let result = try vault.onions(["import", "--from", "jrnl", vault.path("v3.jrnl"), "--old-password-file", right])
        XCTAssertEqual(result.status, 0, result.stderrText)
        let onions = try listed(vault)
        let local = DateFormatter()
        local.dateFormat = "yyyy-MM-dd HH:mm"
        for entry in entries {
            // The entry's date is the onion's created and changed time.
            let created = try XCTUnwrap(onions[entry[0] as! String]?.created, "\(entry[0])")
            XCTAssertEqual(local.string(from: Date(timeIntervalSince1970: Double(created) / 1000)), entry[2] as! String)
            XCTAssertEqual(onions[entry[0] as! String]?.changed, created)
            let body = entry[1] as! String
            var expected = "date: " + (entry[2] as! String)
            if !body.isEmpty { expected += "\n\n" + body }
            XCTAssertEqual(try info(vault, entry[0] as! String), expected)
        }
        XCTAssertEqual(try list(vault).sorted(), (["before"] + entries.map { $0[0] as! String }).sorted())
    }

    // MARK: Bitwarden

    /// A plain export in Bitwarden's documented form: a favourite login in a folder with URIs,
    /// TOTP and custom fields, and a secure note.
    static let bitwarden = #"""
    {"encrypted": false, "folders": [{"id": "f1", "name": "Social/Code"}], "items": [
     {"id": "i1", "organizationId": null, "folderId": "f1", "type": 1, "reprompt": 0, "name": "GitHub",
      "notes": "Recovery codes:\nabc-123", "favorite": true,
      "fields": [{"name": "custom-field-text", "value": "custom-text", "type": 0, "linkedId": null}],
      "login": {"uris": [{"match": null, "uri": "https://github.com/login"}], "username": "alice@example.com",
                "password": "c0rrect h0rse", "totp": "otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP"},
      "collectionIds": null, "revisionDate": "2024-03-02T10:20:30.123Z", "creationDate": "2023-01-15T08:00:00.000Z",
      "deletedDate": null},
     {"id": "i2", "organizationId": null, "folderId": null, "type": 2, "reprompt": 0, "name": "Door codes",
      "notes": "front 4711\nback 0815", "favorite": false, "secureNote": {"type": 0}, "collectionIds": null,
      "revisionDate": "2024-01-01T00:00:00.000Z", "creationDate": "2024-01-01T00:00:00.000Z", "deletedDate": null}]}
    """#

    func testBitwardenExportArrivesFieldByFieldAndADamagedOneChangesNothing() throws {
        let vault = try ScratchVault(for: self)
        let damaged = try vault.write("damaged.json", String(Self.bitwarden.dropLast(40)))
        let failed = try vault.onions(["import", "--from", "bitwarden", damaged])
        XCTAssertEqual(failed.status, 1, failed.stderrText)
        XCTAssertTrue(failed.stderrText.contains("nothing imported"), failed.stderrText)
        XCTAssertEqual(try list(vault), [])

        let file = try vault.write("bitwarden.json", Self.bitwarden)
        let result = try vault.onions(["import", "--from", "bitwarden", file])
        XCTAssertEqual(result.status, 0, result.stderrText)
        let github = try info(vault, "GitHub")
        XCTAssertFalse(github.contains("folder:"), github)
        let onions = try listed(vault)
        XCTAssertEqual(onions["GitHub"]?.folder, "Social/Code")
        XCTAssertEqual(onions["Door codes"]?.folder, "")
        let iso = ISO8601DateFormatter()
        func ms(_ text: String) -> Int64 { Int64(iso.date(from: text)!.timeIntervalSince1970) * 1000 }
        XCTAssertEqual(onions["GitHub"]?.created, ms("2023-01-15T08:00:00Z"))
        XCTAssertEqual(onions["GitHub"]?.changed, ms("2024-03-02T10:20:30Z"))
        XCTAssertEqual(onions["Door codes"]?.created, ms("2024-01-01T00:00:00Z"))
        for line in ["user name: alice@example.com", "url: https://github.com/login",
                     "custom-field-text: custom-text", "otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP",
                     "Recovery codes:\nabc-123"] {
            XCTAssertTrue(github.contains(line), "\(line) missing from \(github)")
        }
        XCTAssertTrue(github.hasPrefix("c0rrect h0rse\n"), github)
        XCTAssertTrue(try info(vault, "Door codes").contains("front 4711\nback 0815"))
        XCTAssertEqual(try list(vault).sorted(), ["Door codes", "GitHub"])
    }
}
