import OnionsStore
import XCTest

/// `onions server init` calls a server ready only when every line it prints is in effect.
final class PostgresReadinessTests: XCTestCase {
    private typealias Rule = PostgresServerSettings.HBARule

    /// Debian's pg_hba.conf lines for this machine.
    private let debianRules = [
        Rule(line: 118, type: "local", databases: ["all"], users: ["postgres"], address: nil, netmask: nil, method: "peer"),
        Rule(line: 123, type: "local", databases: ["all"], users: ["all"], address: nil, netmask: nil, method: "peer"),
        Rule(line: 125, type: "host", databases: ["all"], users: ["all"], address: "127.0.0.1", netmask: "255.255.255.255",
             method: "scram-sha-256"),
        Rule(line: 127, type: "host", databases: ["all"], users: ["all"], address: "::1",
             netmask: "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", method: "scram-sha-256"),
    ]

    private let openRules = [
        Rule(line: 140, type: "hostssl", databases: ["onions"], users: ["all"], address: "0.0.0.0", netmask: "0.0.0.0",
             method: "scram-sha-256"),
        Rule(line: 141, type: "hostssl", databases: ["onions"], users: ["all"], address: "::", netmask: "::",
             method: "scram-sha-256"),
    ]

    private func ready(_ change: (inout PostgresServerSettings) -> Void = { _ in }) -> PostgresServerSettings {
        var settings = PostgresServerSettings(
            ssl: "on", sslCertFile: "/etc/postgresql/15/main/server.crt", sharedPreloadLibraries: "auth_delay",
            authDelayMilliseconds: "1000", listenAddresses: "*", passwordEncryption: "scram-sha-256",
            logStatement: "none", configFile: "/etc/postgresql/15/main/postgresql.conf",
            hbaFile: "/etc/postgresql/15/main/pg_hba.conf", hbaRules: debianRules + openRules)
        change(&settings)
        return settings
    }

    private func missing(_ settings: PostgresServerSettings) -> [String] {
        PostgresReadiness.checks(settings, database: "onions").filter { !$0.ok }.map(\.requirement)
    }

    func testAServerWithEveryPrintedLineIsReady() {
        XCTAssertEqual(missing(ready()), [])
        XCTAssertEqual(missing(ready { $0.sharedPreloadLibraries = "pg_stat_statements, auth_delay" }), [])
        XCTAssertEqual(missing(ready { $0.listenAddresses = "localhost, 192.0.2.10" }), [])
    }

    func testEachMissingSettingIsNamed() {
        XCTAssertEqual(missing(ready { $0.ssl = "off" }), ["ssl = on"])
        XCTAssertEqual(missing(ready { $0.listenAddresses = "localhost" }), ["listen_addresses reaches other machines"])
        XCTAssertEqual(missing(ready { $0.listenAddresses = "127.0.0.1,::1" }), ["listen_addresses reaches other machines"])
        XCTAssertEqual(missing(ready { $0.sslCertFile = "/etc/ssl/certs/ssl-cert-snakeoil.pem" }).count, 1)
        XCTAssertEqual(missing(ready { $0.passwordEncryption = "md5" }), ["password_encryption = scram-sha-256"])
        XCTAssertEqual(missing(ready { $0.logStatement = "all" }).count, 1)
        XCTAssertEqual(missing(ready { $0.logStatement = "mod" }).count, 1)
        XCTAssertEqual(missing(ready { $0.logStatement = "ddl" }), [])
    }

    func testAuthDelayMustBeLoadedAndLongEnough() {
        XCTAssertEqual(missing(ready { $0.sharedPreloadLibraries = ""; $0.authDelayMilliseconds = nil }),
                       ["shared_preload_libraries includes auth_delay", "auth_delay.milliseconds is 1000 or more"])
        XCTAssertEqual(missing(ready { $0.sharedPreloadLibraries = "auth_delay_extra" }),
                       ["shared_preload_libraries includes auth_delay"])
        XCTAssertEqual(missing(ready { $0.authDelayMilliseconds = "999" }), ["auth_delay.milliseconds is 1000 or more"])
    }

    func testTheHBALinesMustOpenTheDatabaseOverTLSWithSCRAMOnly() {
        XCTAssertEqual(missing(ready { $0.hbaRules = self.debianRules }).count, 2, "neither line is there")
        XCTAssertEqual(missing(ready { $0.hbaRules = self.debianRules + [self.openRules[0]] }),
                       ["pg_hba.conf: hostssl onions all ::/0 scram-sha-256"])
        var otherDatabase = openRules
        otherDatabase[0].databases = ["notes"]
        XCTAssertEqual(missing(ready { $0.hbaRules = self.debianRules + otherDatabase }).count, 1)
        var md5 = openRules
        md5[1].method = "md5"
        XCTAssertEqual(missing(ready { $0.hbaRules = self.debianRules + md5 }).count, 1)
        let everywhere = Rule(line: 150, type: "hostssl", databases: ["all"], users: ["all"], address: "all",
                              netmask: nil, method: "scram-sha-256")
        XCTAssertEqual(missing(ready { $0.hbaRules = self.debianRules + [everywhere] }), [])
    }

    func testAnEarlierLineThatLetsOtherMachinesInWeaklyIsMissingSecurity() {
        let plain = Rule(line: 130, type: "host", databases: ["all"], users: ["all"], address: "10.0.0.0",
                         netmask: "255.0.0.0", method: "scram-sha-256")
        XCTAssertEqual(missing(ready { $0.hbaRules = self.debianRules + [plain] + self.openRules }),
                       ["pg_hba.conf: no line before them lets other machines in without TLS and SCRAM"])
        let trust = Rule(line: 131, type: "hostssl", databases: ["onions"], users: ["all"], address: "192.168.0.0",
                         netmask: "255.255.0.0", method: "trust")
        XCTAssertEqual(missing(ready { $0.hbaRules = self.debianRules + [trust] + self.openRules }).count, 1)
        let after = Rule(line: 160, type: "host", databases: ["all"], users: ["all"], address: "10.0.0.0",
                         netmask: "255.0.0.0", method: "trust")
        XCTAssertEqual(missing(ready { $0.hbaRules = self.debianRules + self.openRules + [after] }), [],
                       "a line after the open ones never matches")
        let rejected = Rule(line: 130, type: "host", databases: ["all"], users: ["all"], address: "0.0.0.0",
                            netmask: "0.0.0.0", method: "reject")
        XCTAssertEqual(missing(ready { $0.hbaRules = self.debianRules + [rejected] + self.openRules }), [])
    }

    func testALineTheServerCannotUseIsMissing() {
        let broken = Rule(line: 99, type: "hostssl", databases: ["onions"], users: ["all"], address: nil, netmask: nil,
                          method: "", error: "invalid authentication method \"scram\"")
        XCTAssertEqual(missing(ready { $0.hbaRules = self.debianRules + self.openRules + [broken] }),
                       ["pg_hba.conf has no line the server cannot use"])
    }

    func testTheHBALinesQuoteADatabaseNameThatNeedsIt() {
        XCTAssertEqual(PostgresReadiness.hbaLines(database: "onions")[0], "hostssl onions all 0.0.0.0/0 scram-sha-256")
        XCTAssertEqual(PostgresReadiness.hbaLines(database: "Team Notes")[1], "hostssl \"Team Notes\" all ::/0 scram-sha-256")
        XCTAssertEqual(PostgresReadiness.hbaLines(database: "all")[0], "hostssl \"all\" all 0.0.0.0/0 scram-sha-256")
    }

    func testFailedLoginsAreCountedAcrossPieces() {
        let line = Array("FATAL:  password authentication failed for user \"x\"\n".utf8)
        var counter = FailedLoginCounter()
        let log = Array("LOG:  checkpoint\n".utf8) + line + line + Array("LOG:  other\n".utf8) + line
        for piece in stride(from: 0, to: log.count, by: 7) { counter.add(Array(log[piece..<min(piece + 7, log.count)])) }
        XCTAssertEqual(counter.count, 3)
        var whole = FailedLoginCounter()
        whole.add(log)
        XCTAssertEqual(whole.count, 3)
    }
}
