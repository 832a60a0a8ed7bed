import OnionsCore
import XCTest

/// The config file's `key = value` lines: what each key takes, and the line that names every
/// mistake while the key keeps its default.
final class ConfigFileTests: XCTestCase {
    private let path = "/home/ana/.config/onions/config"
    private let environment = ["HOME": "/home/ana"]

    private func config(_ text: String) -> ConfigFile {
        ConfigFile(path: path, contents: .bytes(Array(text.utf8)), environment: environment)
    }

    func testEveryKeyIsReadWithItsLine() throws {
        let c = config("""
        # settings
        store = /data/onions.db

        remote = postgresql://onions@db.example/onions
        lock_after = 600  # ten minutes
        clipboard_seconds=20
        \tkdf_cost =  16\t
        """)
        XCTAssertEqual(c.problems, [])
        XCTAssertTrue(c.exists)
        XCTAssertEqual(c.store?.value, "/data/onions.db")
        XCTAssertEqual(c.store?.line, 2)
        XCTAssertEqual(c.remote?.value, "postgresql://onions@db.example/onions")
        XCTAssertEqual(c.remote?.line, 4)
        XCTAssertEqual(c.lockAfter?.value, 600)
        XCTAssertEqual(c.lockAfter?.line, 5)
        XCTAssertEqual(c.clipboardSeconds?.value, 20)
        XCTAssertEqual(c.kdfCost?.value, 16)
        XCTAssertEqual(c.kdfCost?.line, 7)
    }

    func testQuotesKeepAHashAndBlanksAndCRLFLinesAreTaken() {
        let c = config("remote = \"host=db password=a#b \"  # comment\r\nstore = ~/vault.db\r\n")
        XCTAssertEqual(c.problems, [])
        XCTAssertEqual(c.remote?.value, "host=db password=a#b ")
        XCTAssertEqual(c.store?.value, "/home/ana/vault.db")
    }

    func testAHashInsideAWordIsPartOfTheValue() {
        XCTAssertEqual(config("store = /data/a#b.db").store?.value, "/data/a#b.db")
    }

    func testNoFileIsNoProblem() {
        let c = ConfigFile(path: path, contents: .missing, environment: environment)
        XCTAssertFalse(c.exists)
        XCTAssertEqual(c.problems, [])
        XCTAssertNil(c.store)
    }

    func testAnUnreadableFileKeepsTheDefaults() {
        let c = ConfigFile(path: path, contents: .unreadable(reason: "Permission denied"), environment: environment)
        XCTAssertEqual(c.problems, ["\(path): cannot be read (Permission denied); using the defaults"])
        XCTAssertNil(c.lockAfter)
    }

    func testAFileOverSixtyFourKiBIsIgnored() {
        let line = "lock_after = 600\n"
        let fits = line + String(repeating: "#", count: ConfigFile.maximumBytes - line.utf8.count)
        XCTAssertEqual(config(fits).lockAfter?.value, 600)
        let c = config(fits + "#")
        XCTAssertEqual(c.problems, ["\(path): larger than the limit of 64 KiB; ignored, using the defaults"])
        XCTAssertNil(c.lockAfter)
    }

    func testSyntaxErrorsAreNamedByLine() {
        let c = config("""
        lock_after 600
        store = "/data/onions.db
        remote = "host=db" extra
        kdf_cost = 16
        """)
        XCTAssertEqual(c.problems, [
            "\(path) line 1: expected 'key = value'",
            "\(path) line 2: the value of 'store' has an opening quote without a closing one; store keeps its default",
            "\(path) line 3: the value of 'remote' has an opening quote without a closing one; remote keeps its default",
        ])
        XCTAssertNil(c.store)
        XCTAssertNil(c.remote)
        XCTAssertEqual(c.kdfCost?.value, 16, "a mistake costs only its own line")
    }

    func testAnUnknownKeyIsNamedWithTheKnownOnes() {
        XCTAssertEqual(config("\nlock = 5").problems, [
            "\(path) line 2: unknown key 'lock' (known: store, remote, lock_after, clipboard_seconds, kdf_cost, mouse); ignored",
        ])
    }

    func testBadValuesKeepTheirDefaults() {
        let cases: [(String, String)] = [
            ("store =", "store needs a path"),
            ("store = data/onions.db", "store must be an absolute path (or start with ~/), not 'data/onions.db'"),
            ("remote = db.example", "remote must be a PostgreSQL URL (postgresql://…) or 'key=value' connection settings"),
            ("lock_after = 0", "lock_after takes a whole number of seconds from 1 to 86400, not '0'"),
            ("lock_after = 86401", "lock_after takes a whole number of seconds from 1 to 86400, not '86401'"),
            ("lock_after = 1.5", "lock_after takes a whole number of seconds from 1 to 86400, not '1.5'"),
            ("clipboard_seconds = soon", "clipboard_seconds takes a whole number of seconds from 1 to 86400, not 'soon'"),
            ("kdf_cost = 14", "kdf_cost takes log2 of scrypt's N, from 15 to 20, not '14'"),
            ("kdf_cost = 21", "kdf_cost takes log2 of scrypt's N, from 15 to 20, not '21'"),
            ("kdf_cost = -1", "kdf_cost takes log2 of scrypt's N, from 15 to 20, not '-1'"),
            ("mouse = off", "mouse takes true or false, not 'off'"),
        ]
        for (line, message) in cases {
            let c = config(line)
            let key = String(line.prefix { $0 != " " })
            XCTAssertEqual(c.problems, ["\(path) line 1: \(message); \(key) keeps its default"], line)
            XCTAssertNil(c.store ?? c.remote, line)
            XCTAssertNil(c.lockAfter ?? c.clipboardSeconds, line)
            XCTAssertNil(c.kdfCost, line)
            XCTAssertNil(c.mouse, line)
        }
    }

    func testMouseIsTrueOrFalse() {
        XCTAssertEqual(config("mouse = false").mouse?.value, false)
        XCTAssertEqual(config("mouse = true  # the default").mouse?.value, true)
        XCTAssertNil(config("").mouse)
    }

    func testTheLimitsThemselvesAreTaken() {
        let c = config("lock_after = 86400\nclipboard_seconds = 1\nkdf_cost = 15\nremote = postgres://h/d")
        XCTAssertEqual(c.problems, [])
        XCTAssertEqual(c.lockAfter?.value, 86_400)
        XCTAssertEqual(c.clipboardSeconds?.value, 1)
        XCTAssertEqual(c.kdfCost?.value, 15, "the floor")
    }

    func testAKeyGivenTwiceTakesTheLaterLineAndSaysSo() {
        let c = config("lock_after = 60\nlock_after = 90")
        XCTAssertEqual(c.lockAfter?.value, 90)
        XCTAssertEqual(c.lockAfter?.line, 2)
        XCTAssertEqual(c.problems, ["\(path) line 2: lock_after is set again (line 1 is ignored)"])
    }

    func testTheDefaultPathFollowsXDGConfigHomeWhenItIsAbsolute() {
        XCTAssertEqual(ConfigFile.defaultPath(environment: ["XDG_CONFIG_HOME": "/cfg//", "HOME": "/home/ana"]),
                       "/cfg/onions/config")
        XCTAssertEqual(ConfigFile.defaultPath(environment: ["XDG_CONFIG_HOME": "cfg", "HOME": "/home/ana/"]),
                       "/home/ana/.config/onions/config")
    }
}
