@testable import OnionsApp
import OnionsCore
import OnionsCrypto
import TerminalUI
import XCTest

/// `App.update`'s result is the only way an effect leaves: no state holds effects for later,
/// and the runner is handed exactly the work `update` returned, in that order.
final class EffectChannelTests: AppTestCase {
    /// Type names of every stored value reachable from `value` (depth-limited).
    private func storedTypes(of value: Any, depth: Int = 0, into names: inout Set<String>) {
        guard depth < 8 else { return }
        for child in Mirror(reflecting: value).children {
            names.insert(String(reflecting: type(of: child.value)))
            storedTypes(of: child.value, depth: depth + 1, into: &names)
        }
    }

    private func assertHoldsNoEffect(_ state: AppState, _ place: String, file: StaticString = #filePath, line: UInt = #line) {
        var names: Set<String> = []
        storedTypes(of: state, into: &names)
        for name in names {
            for forbidden in ["AppEffect", "VaultRequest", "AuthRequest", "EffectRunner.Job"] where name.contains(forbidden) {
                XCTFail("\(place): the state holds a \(name), a way for effects to leave other than update's result",
                        file: file, line: line)
            }
        }
        XCTAssertGreaterThan(names.count, 10, "the state was walked", file: file, line: line)
    }

    func testNoStateOfAnyScreenCanHoldAnEffect() {
        let driver = signedUpDriver()
        assertHoldsNoEffect(driver.state, "the list")
        driver.writeOnion(title: "Alpha", info: "one")
        driver.press(.character("/"))
        driver.type("alp")
        assertHoldsNoEffect(driver.state, "a search")
        driver.press(.escape, .character("e"))
        assertHoldsNoEffect(driver.state, "the editor")
        driver.press(.escape)
        driver.showCards()
        driver.press(.character("n"))
        assertHoldsNoEffect(driver.state, "the card form")
        driver.press(.escape)
        driver.showTasks()
        driver.press(.character("n"))
        assertHoldsNoEffect(driver.state, "the task input")
        driver.press(.ctrl("l"))
        assertHoldsNoEffect(driver.state, "the lock screen")
        assertHoldsNoEffect(AppState(size: Size(width: 80, height: 24)), "the log-in screen")
    }

    /// A name for a job, to compare what the runner got with what update returned.
    private static func name(_ request: VaultRequest) -> String {
        switch request {
        case .saveOnion(let id, _, _, _): return "saveOnion \(String(describing: id))"
        case .deleteOnion(let id): return "deleteOnion \(id)"
        case .addOnion: return "addOnion"
        case .openInfo(let id, let use): return "openInfo \(id) \(use)"
        case .search(let query, _): return "search \(query.count)"
        case .openCard(let id, _): return "openCard \(id)"
        case .saveCard(let card, let confirmed, _): return "saveCard \(String(describing: card.id)) \(confirmed)"
        case .deleteCard(let id): return "deleteCard \(id)"
        case .saveTask(let base, _): return "saveTask \(base == nil)"
        case .setTask(_, let done): return "setTask \(done)"
        case .deleteTask: return "deleteTask"
        case .clearDraft: return "clearDraft"
        case .changeSettings(let change): return "changeSettings \(change)"
        case .lock(let draft): return "lock \(draft == nil)"
        case .sync: return "sync"
        case .undoDelete: return "undoDelete"
        case .history(let item, _): return "history \(item)"
        case .openVersion(let item, let version, _): return "openVersion \(item) \(version.number)"
        case .restoreVersion(let item, let version): return "restoreVersion \(item) \(version.number)"
        case .trash: return "trash"
        case .restoreFromTrash(let entry): return "restoreFromTrash \(entry.item)"
        case .restoreOtherSide(let copy): return "restoreOtherSide \(copy)"
        }
    }

    private static func name(_ job: EffectRunner.Job) -> String? {
        switch job {
        case .authenticate(let request): return "authenticate \(request.purpose)"
        case .vault(let request): return name(request)
        case .change: return nil
        }
    }

    func testTheRunnerGetsExactlyTheWorkUpdateReturnedInOrder() {
        let driver = makeDriver()
        let returned = LockedLog(), submitted = LockedLog()
        driver.loop.onUpdate = { effects in
            for effect in effects {
                switch effect {
                case .vault(let request): returned.append(Self.name(request))
                case .authenticate(let request): returned.append("authenticate \(request.purpose)")
                default: break
                }
            }
        }
        driver.loop.runner.onSubmit = { job in Self.name(job).map { submitted.append($0) } }

        driver.signUp()
        driver.writeOnion(title: "Alpha", info: "one")
        driver.writeOnion(title: "Beta", info: "two")
        driver.press(.down, .up)
        driver.press(.character("/"))
        driver.type("be")
        driver.press(.escape, .escape)
        driver.press(.character("e"))
        driver.type("!")
        driver.press(.escape, .character("y"))
        driver.press(.character("y"))
        driver.press(.character("s"))
        driver.addCard(to: "Ann", description: "A scarf", password: "blue scarf")
        driver.showCards()
        driver.openSelectedCard(password: "blue scarf")
        driver.showTasks()
        driver.press(.character("n"))
        driver.type("five")
        driver.press(.enter, .character("x"))
        driver.press(.ctrl("l"))
        driver.type("correct horse")
        driver.press(.enter)
        driver.press(.character("q"))

        XCTAssertGreaterThan(returned.entries.count, 15, "the journey asked for plenty of work")
        XCTAssertEqual(submitted.entries, returned.entries,
                       "everything the runner ran came out of update's result, in the order it was returned")
    }
}
