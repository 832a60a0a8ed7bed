@testable import OnionsApp
@testable import OnionsCore
import OnionsCrypto
import TerminalUI
import XCTest

/// The account view (`v`): this machine's latest save as six words with its count and time
/// (what `onions verify` prints), this machine's id and the server head it last verified.
final class AccountViewTests: AppTestCase {
    /// A fixed chain summary, so that the fixtures do not change with the random commit.
    static let fixed = ChainSummary(words: "unwind pelican carbon mustard oxidize gallery", count: 12,
                                    time: 1_764_164_400_000, machine: "1a2b3c",
                                    pinned: (count: 12, words: "unwind pelican carbon mustard oxidize gallery"))

    /// The driver's state with `chain` in its snapshot and the server as `remote` says, as a
    /// sync's answer would leave it (the state is a value: the driver's is left alone).
    func state(_ driver: AppDriver, chain: ChainSummary?, remote: RemoteStatus) throws -> AppState {
        var state = driver.state
        let vault = try XCTUnwrap(state.vault)
        state.vault = VaultSnapshot(username: vault.username, texts: vault.texts.copyKeepingHandles(), onions: vault.onions,
                                    cards: vault.cards, tasks: vault.tasks, order: vault.order, pinned: vault.pinned,
                                    issues: vault.issues, draft: nil, remote: remote, lastSyncReport: nil,
                                    vaultCounter: vault.vaultCounter, lastChanged: vault.lastChanged, chain: chain)
        state.remote = remote
        return state
    }

    /// `state` after `key`, drawn at `width`×`height`.
    func rows(_ state: AppState, after key: Key, width: Int, height: Int) -> (AppState, [String]) {
        var state = state
        _ = App.update(&state, .key(key, now: state.now))
        _ = App.update(&state, .resize(Size(width: width, height: height)))
        var canvas = Canvas(width: width, height: height)
        _ = App.render(state, into: &canvas)
        return (state, canvas.lines())
    }

    func testTheAccountViewAtEverySize() throws {
        let driver = signedUpDriver()
        driver.writeOnion(title: "Groceries", info: "milk, eggs, bread")
        let synced = try state(driver, chain: Self.fixed, remote: RemoteStatus(configured: true))
        for (width, height) in [(80, 24), (200, 50), (40, 12)] {
            let (after, shown) = rows(synced, after: .character("v"), width: width, height: height)
            XCTAssertEqual(after.overlay, .account)
            assertRows(shown, matches: "account", width: width, height: height)
        }
    }

    /// The real session's words, count and machine, and a key that closes the view.
    func testTheViewShowsTheSessionsWordsAndMachineAndAnyKeyClosesIt() throws {
        let driver = signedUpDriver()
        driver.writeOnion(title: "one", info: "1")
        let session = try XCTUnwrap(driver.session)
        let found = try XCTUnwrap(try session.fingerprint())
        let machine = String(lowercaseHex: try XCTUnwrap(session.chain?.state.machine).bytes.prefix(3))
        driver.press(.character("v"))
        let shown = driver.screenText
        XCTAssertTrue(shown.contains(found.words), shown)
        XCTAssertTrue(shown.contains("save \(found.count), "), shown)
        XCTAssertTrue(shown.contains(machine), shown)
        XCTAssertTrue(shown.contains("syncs with no server"), shown)
        driver.press(.character("x"))
        XCTAssertNil(driver.state.overlay)
        driver.writeOnion(title: "two", info: "2")
        driver.press(.character("v"))
        XCTAssertFalse(driver.screenText.contains(found.words), "a save changes the words")
    }

    /// A pin other than the head is named by its own count and words; a vault without a save
    /// says it has none; `v` is in the help and on the list's key bar of a wide terminal.
    func testAPinnedHeadOtherThanTheLatestAndAVaultWithoutASave() throws {
        let driver = signedUpDriver(width: 120, height: 30)
        XCTAssertTrue(driver.screenText.contains("v verify"), driver.screenText)
        let pinned = ChainSummary(words: Self.fixed.words, count: 12, time: Self.fixed.time, machine: "1a2b3c",
                                  pinned: (count: 9, words: "able baker charlie delta echo foxtrot"))
        let other = try state(driver, chain: pinned, remote: RemoteStatus(configured: true))
        let shown = rows(other, after: .character("v"), width: 120, height: 30).1.joined(separator: "\n")
        XCTAssertTrue(shown.contains("save 9: able baker charlie delta echo foxtrot"), shown)
        let none = try state(driver, chain: nil, remote: RemoteStatus(configured: true))
        let empty = rows(none, after: .character("v"), width: 120, height: 30).1.joined(separator: "\n")
        XCTAssertTrue(empty.contains("No save yet"), empty)
        XCTAssertTrue(HelpOverlay.lines.contains { $0.0 == "v" && $0.1.contains("verify") })
    }

    /// A machine's first sync after it logged in offline names the head the server gave it.
    func testAFirstSyncNamesTheSaveTheServerGave() throws {
        let driver = signedUpDriver()
        var state = driver.state
        var report = SyncReport()
        report.given = "save 7: unwind pelican carbon mustard oxidize gallery"
        _ = App.update(&state, .vault(.synced(report, RemoteStatus(configured: true), peersWrote: false), nil))
        let notice = try XCTUnwrap(state.notice?.text)
        XCTAssertTrue(notice.hasPrefix("First sync on this machine: the vault's latest save on the server is save 7: "
                                       + "unwind pelican carbon mustard oxidize gallery"), notice)
    }
}
