import OnionsApp
import OnionsCore
import TerminalUI
import XCTest

/// The checklist: n adds (Enter saves), Space toggles, e edits, d deletes after asking, h hides
/// done tasks; a new task takes the lowest free id.
final class TaskListTests: AppTestCase {
    func driverOnTasks() -> AppDriver {
        let driver = signedUpDriver()
        driver.showTasks()
        return driver
    }

    /// `n`, the text, Enter.
    func addTask(_ driver: AppDriver, _ text: String) {
        driver.press(.character("n"))
        driver.type(text)
        driver.press(.enter)
    }

    /// A checklist of three: buy milk, call mum (done), water ferns.
    func driverWithThreeTasks() -> AppDriver {
        let driver = driverOnTasks()
        addTask(driver, "buy milk")
        addTask(driver, "call mum")
        addTask(driver, "water ferns")
        driver.press(.up)
        driver.press(.character(" "))
        XCTAssertEqual(driver.sessionTasks, ["0 [ ] buy milk", "1 [x] call mum", "2 [ ] water ferns"])
        return driver
    }

    // MARK: Adding

    func testNOpensTheInputLineAndEnterSavesTheTask() {
        let driver = driverOnTasks()
        XCTAssertTrue(driver.screenText.contains("No tasks yet."))
        driver.press(.character("n"))
        XCTAssertNotNil(driver.tasks?.input)
        driver.type("buy milk")
        XCTAssertEqual(driver.sessionTasks, [], "nothing saved before Enter")
        XCTAssertTrue(driver.screenText.contains("New: buy milk"), driver.screenText)
        driver.press(.enter)
        XCTAssertNil(driver.tasks?.input, "the input line closes")
        XCTAssertEqual(driver.sessionTasks, ["0 [ ] buy milk"])
        XCTAssertEqual(driver.visibleTasks, ["0 [ ] buy milk"])
        XCTAssertEqual(driver.tasks?.selectedID, 0, "the new task is selected")
        XCTAssertTrue(driver.screenText.contains("[ ] buy milk"))
        XCTAssertTrue(driver.screenText.contains("0 of 1 done"))
    }

    func testEscapeDropsTheTaskBeingTyped() {
        let driver = driverOnTasks()
        driver.press(.character("n"))
        driver.type("never mind")
        driver.press(.escape)
        XCTAssertNil(driver.tasks?.input)
        XCTAssertEqual(driver.sessionTasks, [])
    }

    func testViewAndCommandKeysTypedIntoTheInputLineAreText() {
        let driver = driverOnTasks()
        driver.press(.character("n"))
        driver.type("q1 2 3 h d e x?")
        XCTAssertEqual(driver.quitCount, 0)
        XCTAssertNil(driver.state.overlay)
        XCTAssertNotNil(driver.tasks, "still on the tasks")
        driver.press(.enter)
        XCTAssertEqual(driver.sessionTasks, ["0 [ ] q1 2 3 h d e x?"])
    }

    // MARK: Done and not done

    func testSpaceTogglesTheSelectedTaskDoneAndBack() {
        let driver = driverOnTasks()
        addTask(driver, "buy milk")
        driver.press(.character(" "))
        XCTAssertEqual(driver.sessionTasks, ["0 [x] buy milk"])
        XCTAssertTrue(driver.screenText.contains("[x] buy milk"))
        XCTAssertTrue(driver.screenText.contains("1 of 1 done"))
        driver.press(.character(" "))
        XCTAssertEqual(driver.sessionTasks, ["0 [ ] buy milk"])
        driver.press(.character("x"))
        XCTAssertEqual(driver.sessionTasks, ["0 [x] buy milk"], "x toggles too")
    }

    func testSpaceTogglesOnlyTheSelectedTask() {
        let driver = driverWithThreeTasks()
        driver.press(.character("j"))
        driver.press(.character(" "))
        XCTAssertEqual(driver.sessionTasks, ["0 [ ] buy milk", "1 [x] call mum", "2 [x] water ferns"])
    }

    // MARK: Editing

    func testEEditsTheSelectedTaskInPlaceKeepingItsIdAndMark() {
        let driver = driverWithThreeTasks()
        driver.press(.character("e"))
        XCTAssertEqual(driver.tasks?.editing, 1)
        XCTAssertEqual(driver.tasks?.input.map { String($0.characters) }, "call mum")
        XCTAssertTrue(driver.screenText.contains("Edit: call mum"), driver.screenText)
        driver.type(" and dad")
        driver.press(.enter)
        XCTAssertNil(driver.tasks?.input)
        XCTAssertEqual(driver.sessionTasks, ["0 [ ] buy milk", "1 [x] call mum and dad", "2 [ ] water ferns"])
        XCTAssertEqual(driver.tasks?.selectedID, 1)
    }

    func testEscapeLeavesAnEditedTaskAsItWas() {
        let driver = driverWithThreeTasks()
        driver.press(.character("e"))
        driver.press(.backspace, .backspace, .backspace)
        driver.press(.escape)
        XCTAssertEqual(driver.sessionTasks, ["0 [ ] buy milk", "1 [x] call mum", "2 [ ] water ferns"])
    }

    // MARK: Deleting

    func testDeleteAsksAndNoKeepsTheTask() {
        let driver = driverWithThreeTasks()
        driver.press(.character("d"))
        XCTAssertEqual(driver.state.overlay, .confirmDeleteTask(1))
        XCTAssertTrue(driver.screenText.contains("Delete task 1 “call mum”?"), "the dialog names the task:\n\(driver.screenText)")
        driver.press(.character("n"))
        XCTAssertNil(driver.state.overlay)
        XCTAssertEqual(driver.sessionTasks.count, 3)
    }

    func testDeleteAsksAndYesDeletesTheSelectedTask() {
        let driver = driverWithThreeTasks()
        driver.press(.character("d"))
        driver.press(.character("y"))
        XCTAssertNil(driver.state.overlay)
        XCTAssertEqual(driver.sessionTasks, ["0 [ ] buy milk", "2 [ ] water ferns"])
        XCTAssertEqual(driver.visibleTasks, driver.sessionTasks)
        XCTAssertFalse(driver.screenText.contains("call mum"))
        XCTAssertEqual(driver.state.notice?.text, "Task deleted.")
    }

    // MARK: Hiding done tasks

    func testHHidesDoneTasksAndShowsThemAgain() {
        let driver = driverWithThreeTasks()
        driver.press(.character("h"))
        XCTAssertEqual(driver.visibleTasks, ["0 [ ] buy milk", "2 [ ] water ferns"])
        XCTAssertFalse(driver.screenText.contains("call mum"))
        XCTAssertEqual(driver.sessionTasks.count, 3, "hidden, not deleted")
        XCTAssertTrue(driver.screenText.contains("1 of 3 done"), "the count still covers every task")
        driver.press(.character("h"))
        XCTAssertEqual(driver.visibleTasks, driver.sessionTasks)
        XCTAssertTrue(driver.screenText.contains("[x] call mum"))
    }

    func testATaskMarkedDoneWhileHiddenLeavesTheList() {
        let driver = driverWithThreeTasks()
        driver.press(.character("h"))
        driver.press(.home)
        driver.press(.character(" "))
        XCTAssertEqual(driver.visibleTasks, ["2 [ ] water ferns"])
        driver.press(.character(" "))
        driver.press(.character(" "))
        XCTAssertEqual(driver.visibleTasks, [], "every task is done")
        XCTAssertTrue(driver.screenText.contains("Every task is done (h shows them)."), driver.screenText)
    }

    // MARK: Ids

    func testANewTaskTakesTheLowestFreeId() {
        let driver = driverWithThreeTasks()
        driver.press(.character("d"), .character("y"))  // frees 1
        addTask(driver, "post letter")
        XCTAssertEqual(driver.sessionTasks, ["0 [ ] buy milk", "1 [ ] post letter", "2 [ ] water ferns"])
        driver.press(.home)
        driver.press(.character("d"), .character("y"))  // frees 0
        addTask(driver, "pay rent")
        addTask(driver, "fix bike")
        XCTAssertEqual(driver.sessionTasks,
                       ["0 [ ] pay rent", "1 [ ] post letter", "2 [ ] water ferns", "3 [ ] fix bike"])
    }

    func testIdsFreedByDeletingTheHighestAreReused() {
        let driver = driverWithThreeTasks()
        driver.press(.end)
        driver.press(.character("d"), .character("y"))
        driver.press(.end)
        driver.press(.character("d"), .character("y"))
        XCTAssertEqual(driver.sessionTasks, ["0 [ ] buy milk"])
        addTask(driver, "new one")
        XCTAssertEqual(driver.sessionTasks, ["0 [ ] buy milk", "1 [ ] new one"])
    }

    // MARK: Keeping them

    func testTasksAreFoundAsLeftAfterQuittingAndLoggingInAgain() {
        let driver = driverWithThreeTasks()
        driver.press(.end)
        driver.press(.character("e"))
        driver.type(" today")
        driver.press(.enter)
        driver.press(.home)
        driver.press(.character("d"), .character("y"))
        let left = driver.sessionTasks
        XCTAssertEqual(left, ["1 [x] call mum", "2 [ ] water ferns today"])
        driver.press(.character("q"))
        XCTAssertEqual(driver.quitCount, 1)

        let again = makeDriver()
        again.logIn()
        again.showTasks()
        XCTAssertEqual(again.sessionTasks, left)
        XCTAssertEqual(again.visibleTasks, left)
        addTask(again, "reused")
        XCTAssertEqual(again.sessionTasks.first, "0 [ ] reused", "the freed id 0 is reused after logging in again")
    }

    func testLockingOnTheTasksComesBackToTheSameTask() {
        let driver = driverWithThreeTasks()
        driver.press(.end)
        driver.press(.ctrl("l"))
        XCTAssertTrue(driver.isLocked)
        XCTAssertFalse(driver.screenText.contains("water ferns"))
        driver.type("correct horse")
        driver.press(.enter)
        XCTAssertEqual(driver.tasks?.selectedID, 2)
    }

    func testLockingWhileTypingATaskDropsTheText() {
        let driver = driverOnTasks()
        driver.press(.character("n"))
        driver.type("half typed")
        driver.press(.ctrl("l"))
        XCTAssertTrue(driver.isLocked)
        XCTAssertFalse(driver.screenText.contains("half typed"))
        driver.type("correct horse")
        driver.press(.enter)
        XCTAssertNil(driver.tasks?.input)
        XCTAssertEqual(driver.sessionTasks, [])
    }

    // MARK: Views

    func testTabAndNumbersSwitchViewsFromTheTasks() {
        let driver = driverOnTasks()
        driver.press(.tab)
        XCTAssertNotNil(driver.list, "Tab from tasks goes to the onions")
        driver.showTasks()
        driver.press(.character("2"))
        XCTAssertNotNil(driver.cards)
        driver.press(.tab)
        XCTAssertNotNil(driver.tasks, "Tab from cards goes to the tasks")
        driver.press(.character("1"))
        XCTAssertNotNil(driver.list)
    }
}
