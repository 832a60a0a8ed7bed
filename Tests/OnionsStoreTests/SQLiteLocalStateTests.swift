import OnionsCore
import OnionsStore
import XCTest

final class SQLiteLocalStateTests: SQLiteStoreTestCase {
    func testAnUnsetKeyIsNil() throws {
        let store = try openStore()
        XCTAssertNil(try store.localState(vault: vault, key: "sync"))
    }

    func testAValueIsReadBackAndReplaced() throws {
        let store = try openStore()
        try store.setLocalState(vault: vault, key: "sync", value: [1, 2])
        XCTAssertEqual(try store.localState(vault: vault, key: "sync"), [1, 2])
        try store.setLocalState(vault: vault, key: "sync", value: [3])
        XCTAssertEqual(try store.localState(vault: vault, key: "sync"), [3])
    }

    func testAnEmptyValueIsKeptApartFromNoValue() throws {
        let store = try openStore()
        try store.setLocalState(vault: vault, key: "sync", value: [])
        XCTAssertEqual(try store.localState(vault: vault, key: "sync"), [])
    }

    func testSettingNilRemovesTheValue() throws {
        let store = try openStore()
        try store.setLocalState(vault: vault, key: "sync", value: [1])
        try store.setLocalState(vault: vault, key: "sync", value: nil)
        XCTAssertNil(try store.localState(vault: vault, key: "sync"))
    }

    func testValuesAreKeptPerVaultAndKey() throws {
        let store = try openStore()
        try store.setLocalState(vault: vault, key: "a", value: [1])
        try store.setLocalState(vault: vault, key: "b", value: [2])
        try store.setLocalState(vault: otherVault, key: "a", value: [3])
        XCTAssertEqual(try store.localState(vault: vault, key: "a"), [1])
        XCTAssertEqual(try store.localState(vault: vault, key: "b"), [2])
        XCTAssertEqual(try store.localState(vault: otherVault, key: "a"), [3])
    }
}
