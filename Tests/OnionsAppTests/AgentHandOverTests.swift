import Foundation
import OnionsApp
import OnionsCore
import OnionsCrypto
import TerminalUI
import XCTest

/// The interface and the unlock agent: Ctrl-L locks the agent too, and the interface can open
/// the vault with the keys the agent hands over.
final class AgentHandOverTests: AppTestCase {
    /// The session an agent of "alice" would hold (a new vault with one onion).
    func agentSession(_ username: String = "alice") throws -> Session {
        let password = SecretBytes(copying: Array("correct horse".utf8))
        defer { password.wipe() }
        let session = try service.signUp(username: username, password: password)
        _ = try session.saveOnion(id: nil, title: SecretBytes(copying: Array("Groceries".utf8)),
                                  info: SecretBytes(copying: Array("milk, eggs".utf8)))
        return session
    }

    func waitForAgentLocks(_ count: Int) {
        let deadline = Date().addingTimeInterval(5)
        while service.agentLocksAsked.count < count && Date() < deadline { usleep(10_000) }
    }

    func testCtrlLAsksTheAgentOfTheOpenVaultToLock() {
        let driver = signedUpDriver()
        driver.press(.ctrl("l"))
        XCTAssertTrue(driver.isLocked)
        XCTAssertEqual(driver.agentLocks, 1)
        waitForAgentLocks(1)
        XCTAssertEqual(service.agentLocksAsked, ["alice"])
    }

    func testCtrlLOnTheLogInScreenAsksTheAgentToo() {
        let driver = makeDriver()
        driver.press(.ctrl("l"))
        waitForAgentLocks(1)
        XCTAssertEqual(service.agentLocksAsked, [nil], "no user is known yet: the one the program was started for")
    }

    func testIdleLockLeavesTheAgentToItsOwnTimer() {
        let driver = signedUpDriver()
        driver.send(.tick(now: BootClock.now() + 301))
        XCTAssertTrue(driver.isLocked)
        XCTAssertEqual(driver.agentLocks, 0)
    }

    func testOpensOnTheListWithTheAgentsKeysAndLocksLikeAnyVault() throws {
        let agent = try agentSession()
        service.agentKeys = try agent.handOverKeys()
        let driver = makeDriver()
        driver.loop.openFromAgent(username: "alice")
        driver.settle()
        XCTAssertNotNil(driver.list, driver.screenText)
        XCTAssertTrue(driver.screenText.contains("Groceries"), driver.screenText)
        XCTAssertEqual(driver.state.username, "alice")
        driver.press(.ctrl("l"))
        XCTAssertTrue(driver.isLocked)
        XCTAssertNil(driver.session)
        XCTAssertFalse(driver.screenText.contains("Groceries"))
        // The password unlocks it again as after any log in.
        driver.type("correct horse")
        driver.press(.enter)
        XCTAssertNotNil(driver.session)
        service.agentKeys?.wipe()
        agent.lock()
    }

    func testWithoutAnAgentTheLogInScreenSaysWhy() throws {
        _ = try agentSession()
        let driver = makeDriver()
        driver.loop.openFromAgent(username: "alice")
        driver.settle()
        XCTAssertNil(driver.session)
        XCTAssertTrue(driver.screenText.contains("Not opened from the agent"), driver.screenText)
        XCTAssertTrue(driver.screenText.contains("alice"), "the user is filled in: \(driver.screenText)")
        driver.type("correct horse")
        driver.press(.enter)
        XCTAssertNotNil(driver.list, "the password still opens it")
    }

    func testKeysOfAnotherVaultDoNotOpenIt() throws {
        _ = try agentSession("alice")
        let bob = try agentSession("bob")
        service.agentKeys = try bob.handOverKeys()
        let driver = makeDriver()
        driver.loop.openFromAgent(username: "alice")
        driver.settle()
        XCTAssertNil(driver.session)
        XCTAssertTrue(driver.screenText.contains("Not opened from the agent"), driver.screenText)
        service.agentKeys?.wipe()
    }
}
