import OnionsStore
import XCTest

/// The TLS rule decides from the connection string alone: verify-full to any server that is not
/// provably on this machine, weaker modes only when the URL spells them out.
final class PostgresTLSTests: XCTestCase {
    private func decide(_ url: String, _ environment: [String: String] = [:]) -> PostgresTLS.Decision {
        PostgresTLS.decide(url: url, environment: environment)
    }

    func testARemoteHostWithoutSSLModeMeansVerifyFullInBothForms() {
        XCTAssertEqual(decide("postgresql://alice@db.example.org/onions"), .verifyFull)
        XCTAssertEqual(decide("postgres://db.example.org:5433/onions"), .verifyFull)
        XCTAssertEqual(decide("host=db.example.org dbname=onions"), .verifyFull)
        XCTAssertEqual(decide("postgresql://10.0.0.7/onions"), .verifyFull)
        XCTAssertEqual(decide("postgresql://[2001:db8::1]:5432/onions"), .verifyFull)
    }

    func testLoopbackAndSocketsAreLocal() {
        XCTAssertEqual(decide("postgresql://127.0.0.1:5432/onions"), .local)
        XCTAssertEqual(decide("postgresql://127.1.2.3/onions"), .local)
        XCTAssertEqual(decide("postgresql://[::1]:5432/onions"), .local)
        XCTAssertEqual(decide("postgresql://LOCALHOST/onions"), .local)
        XCTAssertEqual(decide("host=localhost dbname=onions"), .local)
        XCTAssertEqual(decide("host=/tmp dbname=onions"), .local)
        XCTAssertEqual(decide("postgresql://%2Fvar%2Frun%2Fpostgresql/onions"), .local)
        XCTAssertEqual(decide("host=::1 dbname=onions"), .local)
        XCTAssertEqual(decide("host=::ffff:127.0.0.1 dbname=onions"), .local)
    }

    func testNoHostAtAllIsTheDefaultSocket() {
        XCTAssertEqual(decide(""), .local)
        XCTAssertEqual(decide("onions"), .local, "a bare database name")
        XCTAssertEqual(decide("postgresql:///onions"), .local)
        XCTAssertEqual(decide("dbname=onions user=alice"), .local)
    }

    func testNamesThatOnlyLookLocalAreNot() {
        XCTAssertEqual(decide("postgresql://localhost.evil.com/onions"), .verifyFull)
        XCTAssertEqual(decide("host=localhost.evil.com dbname=onions"), .verifyFull)
        XCTAssertEqual(decide("postgresql://127.0.0.1.evil.com/onions"), .verifyFull)
        XCTAssertEqual(decide("host=127.1 dbname=onions"), .verifyFull, "only dotted quads count as addresses")
        XCTAssertEqual(decide("host=128.0.0.1 dbname=onions"), .verifyFull)
        XCTAssertEqual(decide("host=[::1] dbname=onions"), .verifyFull, "brackets belong to the URL form only")
        XCTAssertEqual(decide("host=0.0.0.0 dbname=onions"), .verifyFull)
    }

    func testSeveralHostsAreLocalOnlyWhenAllAre() {
        XCTAssertEqual(decide("postgresql://127.0.0.1:5432,localhost:5433/onions"), .local)
        XCTAssertEqual(decide("postgresql://127.0.0.1:5432,db.example.org:5432/onions"), .verifyFull)
        XCTAssertEqual(decide("host=/tmp,db.example.org dbname=onions"), .verifyFull)
        XCTAssertEqual(decide("host=/tmp,localhost dbname=onions"), .local)
    }

    func testAHostAddressCountsAsWellAsTheName() {
        XCTAssertEqual(decide("host=db.example.org hostaddr=127.0.0.1 dbname=onions"), .verifyFull,
                       "the certificate is checked against the name")
        XCTAssertEqual(decide("host=localhost hostaddr=10.1.2.3 dbname=onions"), .verifyFull)
        XCTAssertEqual(decide("hostaddr=10.1.2.3 dbname=onions"), .verifyFull)
        XCTAssertEqual(decide("hostaddr=127.0.0.1 dbname=onions"), .local)
        XCTAssertEqual(decide("postgresql://localhost/onions?hostaddr=192.168.1.9"), .verifyFull)
    }

    func testTheEnvironmentNamesTheHostWhenTheURLDoesNot() {
        XCTAssertEqual(decide("dbname=onions", ["PGHOST": "db.example.org"]), .verifyFull)
        XCTAssertEqual(decide("postgresql:///onions", ["PGHOST": "/var/run/postgresql"]), .local)
        XCTAssertEqual(decide("onions", ["PGHOSTADDR": "10.0.0.1"]), .verifyFull)
        XCTAssertEqual(decide("postgresql://127.0.0.1/onions", ["PGHOST": "db.example.org"]), .local,
                       "the URL's host wins, as in libpq")
        XCTAssertEqual(decide("service=team"), .verifyFull, "a service file may name any host")
        XCTAssertEqual(decide("dbname=onions", ["PGSERVICE": "team"]), .verifyFull)
        XCTAssertEqual(decide("host=/tmp service=team"), .local)
    }

    func testOnlyTheURLCanWeakenTLS() {
        XCTAssertEqual(decide("postgresql://db.example.org/onions?sslmode=require"), .spelledOut("require"))
        XCTAssertEqual(decide("host=db.example.org sslmode=disable"), .spelledOut("disable"))
        XCTAssertEqual(decide("postgresql://db.example.org/onions", ["PGSSLMODE": "disable"]), .verifyFull)
        XCTAssertEqual(decide("postgresql://db.example.org/onions?sslmode=verify-full"), .spelledOut("verify-full"))
    }

    func testAWeakerModeForARemoteHostWarnsInOneLine() throws {
        let warning = try XCTUnwrap(PostgresTLS.warning(url: "postgresql://db.example.org/onions?sslmode=prefer",
                                                        environment: [:]))
        XCTAssertTrue(warning.contains("sslmode=prefer"), warning)
        XCTAssertFalse(warning.contains("\n"))
        XCTAssertNotNil(PostgresTLS.warning(url: "host=db.example.org sslmode=require", environment: [:]))
        XCTAssertNil(PostgresTLS.warning(url: "host=db.example.org sslmode=verify-full", environment: [:]))
        XCTAssertNil(PostgresTLS.warning(url: "host=db.example.org", environment: [:]))
        XCTAssertNil(PostgresTLS.warning(url: "host=127.0.0.1 sslmode=disable", environment: [:]),
                     "no warning for a server on this machine")
    }

    /// A primary and its standby in one URL, in both forms, with target_session_attrs: the
    /// rule looks at every host, and a weaker mode warns once for all of them.
    func testAPrimaryAndStandbyURLIsJudgedByEveryHost() throws {
        let both = "postgresql://db1.example.org:5432,db2.example.org:5433/onions?target_session_attrs=read-write"
        XCTAssertEqual(decide(both), .verifyFull)
        XCTAssertEqual(decide("host=db1.example.org,db2.example.org port=5432,5433 dbname=onions "
                              + "target_session_attrs=read-write"), .verifyFull)
        XCTAssertEqual(decide("postgresql://127.0.0.1:5432,127.0.0.1:5433/onions?target_session_attrs=read-write"), .local)
        XCTAssertEqual(decide("host=localhost,::1 port=5432,5433 target_session_attrs=read-write"), .local)
        XCTAssertEqual(decide("postgresql://127.0.0.1:5432,db2.example.org:5433/onions?target_session_attrs=read-write"),
                       .verifyFull, "one host elsewhere is enough")
        XCTAssertEqual(decide("host=a.example.org,b.example.org hostaddr=127.0.0.1,127.0.0.2 dbname=onions"), .verifyFull)
        XCTAssertEqual(decide("host=a.example.org,b.example.org sslmode=require"), .spelledOut("require"))
        let warning = try XCTUnwrap(PostgresTLS.warning(url: both + "&sslmode=require", environment: [:]))
        XCTAssertTrue(warning.contains("sslmode=require"), warning)
        XCTAssertFalse(warning.contains("\n"))
    }

    func testAStringLibpqCannotParseIsNotTakenForLocal() {
        XCTAssertEqual(decide("host='unterminated"), .verifyFull)
    }
}
