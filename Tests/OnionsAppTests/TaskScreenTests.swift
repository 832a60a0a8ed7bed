import OnionsApp
import TerminalUI
import XCTest

/// The task list on the headless renderer, compared with the `tasks-*` fixtures in Snapshots/.
final class TaskScreenTests: AppTestCase {
    static let sizes = [(80, 24), (30, 10)]

    /// Four tasks, one done, one with wide characters, one longer than 30 columns; the last
    /// one added is selected.
    func driverWithTasks() -> AppDriver {
        let driver = signedUpDriver()
        driver.showTasks()
        for text in ["buy milk", "call mum", "お土産を買う 🎁", "water the ferns on Tuesday and Friday"] {
            driver.press(.character("n"))
            driver.type(text)
            driver.press(.enter)
        }
        driver.press(.character("k"), .character("k"), .character(" "), .character("j"))
        XCTAssertEqual(driver.visibleTasks, ["0 [ ] buy milk", "1 [x] call mum", "2 [ ] お土産を買う 🎁",
                                             "3 [ ] water the ferns on Tuesday and Friday"])
        XCTAssertEqual(driver.tasks?.selectedID, 2)
        return driver
    }

    func assertEverySize(_ driver: AppDriver, _ name: String, file: StaticString = #filePath, line: UInt = #line) {
        for (width, height) in Self.sizes {
            assertScreen(driver, matches: name, width: width, height: height, file: file, line: line)
        }
    }

    func testTaskList() {
        assertEverySize(driverWithTasks(), "tasks-list")
    }

    func testTaskListWithDoneTasksHidden() {
        let driver = driverWithTasks()
        driver.press(.character("h"))
        assertEverySize(driver, "tasks-hidden")
    }

    func testAddingATask() {
        let driver = driverWithTasks()
        driver.press(.character("n"))
        driver.type("post the letter")
        assertEverySize(driver, "tasks-new")
    }

    func testEditingATask() {
        let driver = driverWithTasks()
        driver.press(.character("e"))
        assertEverySize(driver, "tasks-edit")
    }

    func testDeleteDialog() {
        let driver = driverWithTasks()
        driver.press(.character("d"))
        assertEverySize(driver, "tasks-delete")
    }

    func testNoTasksYet() {
        let driver = signedUpDriver()
        driver.showTasks()
        assertScreen(driver, matches: "tasks-empty", width: 80, height: 24)
    }
}
