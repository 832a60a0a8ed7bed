import OnionsCore
import OnionsCrypto
import OnionsStore
import XCTest

final class SQLiteVaultHeaderTests: SQLiteStoreTestCase {
    func testPreloginGivesTheParametersOfACreatedVault() throws {
        let store = try storeWithVaults()
        XCTAssertEqual(try store.prelogin(vault: vault), header(for: vault).parameters)
    }

    func testPreloginOfAnUnknownVaultIsNil() throws {
        let store = try storeWithVaults()
        XCTAssertNil(try store.prelogin(vault: otherVault))
    }

    func testHeaderReturnsWhatWasCreated() throws {
        let store = try storeWithVaults()
        XCTAssertEqual(try store.header(vault: vault), header(for: vault))
        XCTAssertNil(try store.header(vault: otherVault))
    }

    func testCreatingAVaultTwiceFailsAndKeepsTheFirstHeader() throws {
        let store = try storeWithVaults()
        assertThrows(.vaultExists) { try store.createVault(vault, header: header(for: otherVault)) }
        XCTAssertEqual(try store.header(vault: vault), header(for: vault))
    }

    func testAVaultIsCreatedWithItsFirstRecordsInOneTransaction() throws {
        let store = try openStore()
        try store.createVault(vault, header: header(for: vault), authKey: authKey(for: vault),
                              records: [.put(name: name("manifest"), blob: [1, 2, 3], expectedVersion: 0)])
        XCTAssertEqual(try store.record(vault: vault, name: name("manifest"))?.blob, [1, 2, 3])
        // A first record that cannot be written leaves no header either: an interrupted sign-up
        // is no vault, never a vault without its manifest.
        assertThrows(.conflict(name: name("manifest"), current: 0)) {
            try store.createVault(otherVault, header: header(for: otherVault), authKey: authKey(for: otherVault),
                                  records: [.put(name: name("manifest"), blob: [1], expectedVersion: 4)])
        }
        XCTAssertNil(try store.prelogin(vault: otherVault))
    }

    func testAuthorizeAcceptsTheRightAuthKey() throws {
        let store = try storeWithVaults()
        XCTAssertNoThrow(try store.authorize(vault: vault, authKey: authKey(for: vault)))
    }

    func testAuthorizeRefusesAWrongAuthKey() throws {
        let store = try storeWithVaults()
        assertThrows(.unauthorized) { try store.authorize(vault: vault, authKey: authKey(for: otherVault)) }
    }

    func testAuthorizeRefusesAKeyThatDiffersInTheLastByte() throws {
        let store = try storeWithVaults()
        var bytes = Array("auth key of \(vault.value)".utf8)
        bytes[bytes.count - 1] ^= 1
        assertThrows(.unauthorized) { try store.authorize(vault: vault, authKey: SecretBytes(copying: bytes)) }
    }

    func testAuthorizeOnAMissingVaultSaysSo() throws {
        let store = try storeWithVaults()
        assertThrows(.noVault) { try store.authorize(vault: otherVault, authKey: authKey(for: otherVault)) }
    }

    func testReplaceHeaderSwapsTheHeaderWhenExpectedMatches() throws {
        let store = try storeWithVaults()
        let new = header(for: otherVault)
        try store.replaceHeader(vault, expected: header(for: vault), with: new)
        XCTAssertEqual(try store.header(vault: vault), new)
        XCTAssertNoThrow(try store.authorize(vault: vault, authKey: authKey(for: otherVault)))
        assertThrows(.unauthorized) { try store.authorize(vault: vault, authKey: authKey(for: vault)) }
    }

    func testReplaceHeaderRefusesAStaleExpectedHeader() throws {
        let store = try storeWithVaults()
        let stale = VaultHeaderBlob(parameters: [1], wrappedKey: [2], verifier: [3])
        assertThrows(.conflict(name: RecordName([]), current: 0)) {
            try store.replaceHeader(vault, expected: stale, with: header(for: otherVault))
        }
        XCTAssertEqual(try store.header(vault: vault), header(for: vault))
    }

    func testReplaceHeaderOfAMissingVaultSaysSo() throws {
        let store = try storeWithVaults()
        assertThrows(.noVault) {
            try store.replaceHeader(otherVault, expected: header(for: otherVault), with: header(for: vault))
        }
    }
}
