import Foundation
import OnionsCore
import OnionsStore
import XCTest

/// The TLS rule on a real connection: the test server has no TLS, so a URL that names it by a
/// host name (reached through hostaddr) is refused with the set-up sentence unless the URL
/// itself asks for less. Needs ONIONS_TEST_PG_URL.
final class PostgresTLSServerTests: XCTestCase {
    /// The test server's admin settings as key=value, with `host` for its name.
    private func settings(host: String) throws -> String {
        guard let url = ProcessInfo.processInfo.environment["ONIONS_TEST_PG_URL"], let parts = URLComponents(string: url),
              let user = parts.user, let password = parts.password, let port = parts.port else {
            XCTFail("ONIONS_TEST_PG_URL is not set: run the tests through `make test`")
            throw StoreError.unavailable("no test server")
        }
        return "host=\(host) hostaddr=127.0.0.1 port=\(port) user=\(user) password=\(password) dbname=postgres"
    }

    func testAHostNameWithoutSSLModeIsVerifyFullAndItsRefusalSaysHowToSetUpTLS() throws {
        XCTAssertThrowsError(try PostgresAdmin.status(adminURL: settings(host: "onions-server.test"))) {
            let message = "\($0)"
            XCTAssertTrue(message.contains("TLS certificate could not be verified"), message)
            XCTAssertTrue(message.contains("sslrootcert=FILE") && message.contains("~/.postgresql/root.crt"), message)
        }
    }

    func testTheSameServerOnLoopbackOrWithAModeSpelledOutConnects() throws {
        XCTAssertNoThrow(try PostgresAdmin.status(adminURL: settings(host: "127.0.0.1")))
        XCTAssertNoThrow(try PostgresAdmin.status(adminURL: settings(host: "onions-server.test") + " sslmode=prefer"))
    }
}
