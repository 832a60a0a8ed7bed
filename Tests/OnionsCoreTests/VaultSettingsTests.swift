@testable import OnionsCore
import OnionsCrypto
import XCTest

/// The settings record's values, how two machines' settings merge, and how the lists are ordered.
final class VaultSettingsTests: XCTestCase {
    private let low = ItemID(bytes: [UInt8](repeating: 1, count: 16))
    private let mid = ItemID(bytes: [UInt8](repeating: 2, count: 16))
    private let high = ItemID(bytes: [UInt8](repeating: 3, count: 16))

    private func assertMalformed(_ payload: [UInt8], _ what: String, line: UInt = #line) {
        XCTAssertThrowsError(try VaultSettings.read(SecretBytes(copying: payload)), what, line: line) { error in
            guard case VaultError.malformed = error else { return XCTFail("\(what): \(error)", line: line) }
        }
    }

    private func settings(order: ListOrder = .newestChange, orderAt orderChanged: UInt64 = 0, pinned: Set<ItemID> = [],
                          tasks: [UInt16] = [], tasksAt tasksChanged: UInt64 = 0) -> VaultSettings {
        var s = VaultSettings()
        s.order = order
        s.orderChanged = orderChanged
        s.pinned = pinned
        s.taskOrder = tasks
        s.taskOrderChanged = tasksChanged
        return s
    }

    // MARK: The record

    func testOrderPinsAndTaskOrderRoundTripAndAnUnknownTagSurvives() throws {
        var raw = RecordPayload.Settings()
        raw.values[9] = SecretBytes(copying: Array("newer".utf8))
        var s = try VaultSettings(taking: &raw)
        s.order = .title
        s.orderChanged = 1_700_000_000_123
        s.pinned = [high, low]
        s.taskOrder = [4, 0, 2]
        s.taskOrderChanged = 5
        let back = try VaultSettings.read(try s.encoded())
        XCTAssertEqual(back.order, .title)
        XCTAssertEqual(back.orderChanged, 1_700_000_000_123)
        XCTAssertEqual(back.pinned, [low, high])
        XCTAssertEqual(back.taskOrder, [4, 0, 2])
        XCTAssertEqual(back.taskOrderChanged, 5)
        XCTAssertEqual(back.unknown[9].map { $0.withUnsafeBytes { String(decoding: $0, as: UTF8.self) } }, "newer")
    }

    func testDefaultSettingsWriteNoValues() throws {
        let payload = try VaultSettings().encoded()
        XCTAssertEqual(payload.withUnsafeBytes { Array($0) }, [8, 0, 0])
    }

    func testAnUnknownOrderPinsThatAreNotWholeIdsOrNotAscendingAndATaskListedTwiceAreRefused() {
        // 8 | n=1 | tag 1 | 9 bytes: order 3, changed 0
        assertMalformed([8, 0, 1, 0, 1, 0, 9, 3] + [UInt8](repeating: 0, count: 8), "order 3")
        assertMalformed([8, 0, 1, 0, 1, 0, 8, 1] + [UInt8](repeating: 0, count: 7), "a short order")
        assertMalformed([8, 0, 1, 0, 2, 0, 15] + [UInt8](repeating: 1, count: 15), "15 bytes of pins")
        assertMalformed([8, 0, 1, 0, 2, 0, 32] + high.bytes + low.bytes, "pins out of order")
        assertMalformed([8, 0, 1, 0, 2, 0, 32] + low.bytes + low.bytes, "a pin twice")
        assertMalformed([8, 0, 1, 0, 3, 0, 12] + [UInt8](repeating: 0, count: 8) + [0, 7, 0, 7], "task 7 twice")
        assertMalformed([8, 0, 1, 0, 3, 0, 9] + [UInt8](repeating: 0, count: 9), "half a task id")
    }

    func testTheMostPinsAndOrderedTasksWithRoomForANewerProgramFitTheLargeClass() throws {
        var s = VaultSettings()
        s.order = .created
        s.orderChanged = 1
        s.pinned = Set((0..<VaultSettings.maxPinned).map { i in ItemID(bytes: [UInt8(i)] + [UInt8](repeating: 0, count: 15)) })
        s.taskOrder = (0..<UInt16(VaultSettings.maxOrderedTasks)).reversed()
        s.taskOrderChanged = 1
        let payload = try s.encoded()
        XCTAssertNotNil(SizeClass.large.paddedSize(for: payload.count + 500), "\(payload.count) bytes")
        XCTAssertEqual(try VaultSettings.read(payload).taskOrder.count, VaultSettings.maxOrderedTasks)
    }

    // MARK: Merging two machines' settings

    func testTheOrderAndTheTaskOrderChosenLaterWin() {
        let local = settings(order: .title, orderAt: 20, tasks: [1, 0], tasksAt: 5)
        let remote = settings(order: .created, orderAt: 10, tasks: [0, 2, 1], tasksAt: 9)
        let m = ItemMerge.settings(mine: local, theirs: remote, base: nil)
        XCTAssertEqual(m.order, .title)
        XCTAssertEqual(m.taskOrder, [0, 2, 1])
        XCTAssertEqual(ItemMerge.settings(mine: remote, theirs: local, base: nil).order, .title)
    }

    func testAPinOrUnpinOnOneMachineFollowsThatMachine() {
        let base = settings(pinned: [low, mid])
        let local = settings(pinned: [low, mid, high])  // pinned `high`
        let remote = settings(pinned: [low])  // unpinned `mid`
        XCTAssertEqual(ItemMerge.settings(mine: local, theirs: remote, base: base).pinned, [low, high])
        XCTAssertEqual(ItemMerge.settings(mine: remote, theirs: local, base: base).pinned, [low, high])
    }

    func testWithoutACommonBaseThePinsAreUnited() {
        let m = ItemMerge.settings(mine: settings(pinned: [low]), theirs: settings(pinned: [high]), base: nil)
        XCTAssertEqual(m.pinned, [low, high])
    }

    // MARK: Ordering the lists

    func testListsSortByTitleIgnoringCaseByCreationOrByChangeWithPinnedFirst() {
        let texts = SecretTable()
        func onion(_ title: String, _ id: ItemID, created: UInt64, modified: UInt64) -> OnionSummary {
            OnionSummary(id: id, title: texts.add(SecretBytes(copying: Array(title.utf8))), created: created,
                         modified: modified)
        }
        let onions = [onion("banana", low, created: 1, modified: 30), onion("Apple", mid, created: 3, modified: 10),
                      onion("cherry", high, created: 2, modified: 20)]
        func titles(_ order: ListOrder, pinned: Set<ItemID> = []) -> [String] {
            order.sorted(onions, pinned: pinned, texts: texts).map { texts.string($0.title) }
        }
        XCTAssertEqual(titles(.newestChange), ["banana", "cherry", "Apple"])
        XCTAssertEqual(titles(.title), ["Apple", "banana", "cherry"])
        XCTAssertEqual(titles(.created), ["Apple", "cherry", "banana"])
        XCTAssertEqual(titles(.title, pinned: [high]), ["cherry", "Apple", "banana"])
        XCTAssertEqual(titles(.newestChange, pinned: [mid, high]), ["cherry", "Apple", "banana"])
    }

    func testSCyclesThroughTheThreeOrders() {
        XCTAssertEqual(ListOrder.newestChange.next, .title)
        XCTAssertEqual(ListOrder.title.next, .created)
        XCTAssertEqual(ListOrder.created.next, .newestChange)
    }

    func testTasksFollowTheSavedOrderAndUnlistedOnesComeAfterByNumber() {
        let tasks = (0..<5).map { TaskSummary(id: UInt16($0), text: 0, done: false) }
        let s = settings(tasks: [3, 1], tasksAt: 1)
        XCTAssertEqual(s.ordered(tasks).map(\.id), [3, 1, 0, 2, 4])
    }
}
