@testable import OnionsApp
import OnionsCore
import OnionsCrypto
import XCTest

/// A log in whose first sync copies for more than a second shows its progress as a notice.
final class InterfaceSyncProgressTests: AppTestCase {
    /// Logs in as the test service does, after a copy that reports `steps` (seconds to wait
    /// before each, and the progress).
    final class CopyingVaultService: VaultService, @unchecked Sendable {
        let service: TestVaultService
        let steps: [(wait: Double, progress: SyncProgress)]

        init(service: TestVaultService, steps: [(wait: Double, progress: SyncProgress)]) {
            self.service = service
            self.steps = steps
        }

        func logIn(username: String, password: SecretBytes) throws -> Session {
            try service.logIn(username: username, password: password)
        }

        func logIn(username: String, password: SecretBytes, progress: @escaping (SyncProgress) -> Void) throws -> Session {
            for step in steps {
                usleep(useconds_t(step.wait * 1_000_000))
                progress(step.progress)
            }
            return try logIn(username: username, password: password)
        }

        func signUp(username: String, password: SecretBytes) throws -> Session {
            try service.signUp(username: username, password: password)
        }
    }

    private func logInAfterCopy(_ steps: [(wait: Double, progress: SyncProgress)]) throws -> [String] {
        let first = AppDriver(service: service)
        first.signUp()
        XCTAssertNotNil(first.list)
        first.press(.ctrl("q"))
        let driver = AppDriver(service: service, vaults: CopyingVaultService(service: service, steps: steps))
        driver.logIn()
        XCTAssertNotNil(driver.list, driver.screenText)
        return driver.state.messages.map(\.text)
    }

    func testACopyOfMoreThanASecondShowsRecordsOfTotal() throws {
        let messages = try logInAfterCopy([
            (0, SyncProgress(done: 0, total: 700, sending: false)),
            (0.3, SyncProgress(done: 256, total: 700, sending: false)),
            (0.9, SyncProgress(done: 512, total: 700, sending: false)),
            (0.2, SyncProgress(done: 700, total: 700, sending: false)),
        ])
        XCTAssertTrue(messages.contains("Receiving from the server: 512 of 700 records"), "\(messages)")
        XCTAssertTrue(messages.contains("Receiving from the server: 700 of 700 records"), "\(messages)")
        XCTAssertFalse(messages.contains { $0.contains("256 of") }, "not before a second: \(messages)")
    }

    func testACopyOfLessThanASecondShowsNothing() throws {
        let messages = try logInAfterCopy([
            (0, SyncProgress(done: 0, total: 700, sending: true)),
            (0.1, SyncProgress(done: 700, total: 700, sending: true)),
        ])
        XCTAssertFalse(messages.contains { $0.contains("records") }, "\(messages)")
    }
}
