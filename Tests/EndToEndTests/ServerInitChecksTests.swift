import Foundation
import XCTest

/// Issue 29 item 12: `server init` checks that the server can read the certificate and key
/// files and that `ssl` is on, and prints the lines to add only for what is missing.
final class ServerInitChecksTests: XCTestCase {
    func testACertificateFileThatIsNotThereIsMissingAndOnlyMissingLinesArePrinted() throws {
        let cluster = try FreshCluster.create(for: self)
        let home = try Harness.temporaryDirectory(for: self)
        let admin = cluster.socketURL(database: "onions")
        // Named, but not there, with ssl off (the server starts all the same).
        try cluster.append(["ssl_cert_file = '\(cluster.data.path)/nowhere.crt'",
                            "ssl_key_file = '\(cluster.data.path)/nowhere.key'",
                            "password_encryption = scram-sha-256"], to: "postgresql.conf")
        try cluster.restart()
        let first = try Harness.run(Harness.onionsBinary(), ["server", "init", "--url", admin], environment:
            ["HOME": home.path, "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "LANG": "C.UTF-8"])
        let out = first.stdoutText
        XCTAssertEqual(first.status, 1, out + first.stderrText)
        XCTAssertTrue(out.contains("missing  ssl = on"), out)
        XCTAssertTrue(out.contains("missing  ssl_cert_file exists and the server can read it"), out)
        XCTAssertTrue(out.contains("missing  ssl_key_file exists and the server can read it"), out)
        XCTAssertFalse(out.contains("ok       ssl_cert_file"), "nothing about the certificate is ok: \(out)")
        XCTAssertTrue(out.contains("ok       password_encryption = scram-sha-256"), out)
        let added = out.split(separator: "\n").filter { $0.hasPrefix("  ") && !$0.hasPrefix("  ok") && !$0.hasPrefix("  missing") }
            .map { $0.trimmingCharacters(in: .whitespaces) }
        XCTAssertTrue(added.contains("ssl = on"), out)
        XCTAssertTrue(added.contains { $0.hasPrefix("ssl_cert_file = ") }, out)
        XCTAssertTrue(added.contains { $0.hasPrefix("ssl_key_file = ") }, out)
        XCTAssertFalse(added.contains { $0.hasPrefix("password_encryption") }, "only what is missing: \(out)")
        XCTAssertFalse(added.contains { $0.hasPrefix("log_statement") }, "only what is missing: \(out)")
    }
}
