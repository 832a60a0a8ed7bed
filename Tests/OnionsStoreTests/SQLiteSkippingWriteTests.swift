import OnionsCore
import OnionsStore
import XCTest

final class SQLiteSkippingWriteTests: SQLiteStoreTestCase {
    func testAWriteLandsAtTheVersionItNames() throws {
        try SkippingWriteContract.landsAtTheVersionItNames(try storeWithVaults(), vault, name("a"))
    }

    func testASkippingWriteOnAStaleExpectedVersionConflicts() throws {
        try SkippingWriteContract.conflictsOnAStaleExpectedVersion(try storeWithVaults(), vault, name("a"))
    }

    func testANewVersionNotAboveTheHeldOneConflicts() throws {
        try SkippingWriteContract.conflictsWhenNotIncreasing(try storeWithVaults(), vault, name("a"), name("b"))
    }
}
