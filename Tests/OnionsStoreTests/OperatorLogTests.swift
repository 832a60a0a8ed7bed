// What an operator learns from the server's write log (issue 28). A trigger on the records
// table logs every write as an operator could (name, version, sealed length, tombstone, insert
// or update, transaction); two machines make 300 scripted saves of every kind; classifiers that
// see only that log then guess, per save, the kind of item, whether it was an add, an edit or a
// delete, and, per pair of saves, whether both touched the same item.

import Foundation
import OnionsCrypto
@testable import OnionsCore
@testable import OnionsStore
import XCTest

/// One row of the operator's log: a write to `onions.records`.
struct LoggedWrite {
    let transaction: Int
    let name: [UInt8]
    let version: Int
    let length: Int
    let deleted: Bool
    /// `insert`, `update` or `delete` (a row removed).
    let operation: String
}

/// A save as the script made it (the truth the classifiers guess), and the log rows it caused.
struct LoggedSave {
    /// `onion`, `task`, `card`, `settings` or `draft`.
    let kind: String
    /// `add`, `edit`, `delete` or `restore` (settings and drafts: `edit`).
    let action: String
    /// The item's identity, nil for settings and drafts.
    let item: String?
    let machine: Int
    var writes: [LoggedWrite] = []
}

/// The classifiers: each turns a save (with everything the log showed before it) into a
/// feature; a lookup table from feature to the most common label, learnt on half of the saves
/// and tried on the other half, guesses. A feature that tells nothing guesses the majority.
enum OperatorClassifiers {
    /// What the log knew of a name when a write reached it.
    struct NameState {
        var writes = 0
        var live = false
        var lastSave = -1
    }

    /// The features of every save, by classifier name, computed in log order (a classifier
    /// may use everything written before the save, as an operator watching the log would).
    static func features(of saves: [LoggedSave]) -> [String: [String]] {
        var names: [[UInt8]: NameState] = [:]
        let seenBy = savesWriting(saves)
        // Names most saves write (the head, the root, fillers that come back) tell the operator
        // nothing about one save; the operator can set them aside by counting.
        let common = Set(seenBy.filter { $0.value * 5 > saves.count }.keys)
        var result: [String: [String]] = [:]
        for (index, save) in saves.enumerated() {
            var reuse: [String] = [], versions: [String] = [], counts: [String: Int] = [:], order: [String] = []
            var recurrence: [String] = [], removals: [String] = [], lengths: [String] = [], operations: [String] = []
            for write in save.writes {
                let cls = sizeClass(write)
                let before = names[write.name] ?? NameState()
                let previous = before.writes == 0 ? "new" : before.live ? "live" : "dead"
                reuse.append("\(cls):\(previous)->\(write.deleted ? "dead" : "live")")
                versions.append("\(cls):v\(min(write.version, 4))")
                counts[cls, default: 0] += 1
                order.append(cls)
                operations.append("\(cls):\(write.operation)")
                if !common.contains(write.name) {
                    recurrence.append("\(cls):\(min(before.writes, 3))")
                    if write.deleted || write.operation == "delete" {
                        let age = before.lastSave < 0 ? -1 : index - before.lastSave
                        removals.append("\(cls):age\(age < 0 ? "none" : String(Int(log2(Double(max(age, 1))))))")
                    }
                }
                if cls == "manifest" { lengths.append("\(write.length)") }
                var after = before
                after.writes += 1
                after.live = !write.deleted && write.operation != "delete"
                after.lastSave = index
                names[write.name] = after
            }
            let features: [String: String] = [
                "name reuse": reuse.sorted().joined(separator: " "),
                "version bumps": versions.sorted().joined(separator: " "),
                "size-class counts": counts.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "),
                "order": order.joined(separator: " "),
                "insert or update": operations.sorted().joined(separator: " "),
                "rare names written again": recurrence.sorted().joined(separator: " "),
                "timing of removals": removals.sorted().joined(separator: " "),
                "manifest lengths": lengths.sorted().joined(separator: " "),
                "transactions": "\(Set(save.writes.map(\.transaction)).count)",
            ]
            for (name, value) in features { result[name, default: []].append(value) }
            result["all of them", default: []].append(features.sorted { $0.key < $1.key }.map(\.value).joined(separator: " | "))
        }
        return result
    }

    /// How many saves wrote each name (once per save).
    static func savesWriting(_ saves: [LoggedSave]) -> [[UInt8]: Int] {
        var seenBy: [[UInt8]: Int] = [:]
        for save in saves { for name in Set(save.writes.map(\.name)) { seenBy[name, default: 0] += 1 } }
        return seenBy
    }

    /// The size class an operator reads off a write: the sealed length, or a tombstone.
    static func sizeClass(_ write: LoggedWrite) -> String {
        if write.deleted { return "tomb" }
        if write.operation == "delete" { return "gone" }
        switch write.length {
        case 1_310: return "small"
        case 8_478: return "large"
        case 2_078: return "head"
        default: return "manifest"
        }
    }

    /// The accuracy of a lookup table learnt on every other save and tried on the rest (both
    /// ways), and of the majority guess learnt the same way.
    static func accuracy(features: [String], labels: [String]) -> (classifier: Double, majority: Double) {
        var right = 0, majorityRight = 0, tried = 0
        for fold in 0..<2 {
            var table: [String: [String: Int]] = [:], overall: [String: Int] = [:]
            for i in labels.indices where i % 2 == fold {
                table[features[i], default: [:]][labels[i], default: 0] += 1
                overall[labels[i], default: 0] += 1
            }
            let majority = most(overall)
            for i in labels.indices where i % 2 != fold {
                tried += 1
                let guess = table[features[i]].map(most) ?? majority
                if guess == labels[i] { right += 1 }
                if majority == labels[i] { majorityRight += 1 }
            }
        }
        return (Double(right) / Double(max(tried, 1)), Double(majorityRight) / Double(max(tried, 1)))
    }

    private static func most(_ counts: [String: Int]) -> String {
        counts.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key ?? ""
    }

    /// Pairs of saves that touched one item, and as many that touched two (chosen with
    /// `seed`), with what each pair classifier says: "same" or "other".
    static func pairs(_ saves: [LoggedSave], seed: UInt64) -> (labels: [String], guesses: [String: [String]]) {
        let items = saves.indices.filter { saves[$0].item != nil }
        var same: [(Int, Int)] = [], other: [(Int, Int)] = []
        for (n, i) in items.enumerated() {
            for j in items[(n + 1)...] {
                if saves[i].item == saves[j].item { same.append((i, j)) } else { other.append((i, j)) }
            }
        }
        var random = SplitMix(seed)
        other.shuffle(using: &random)
        let chosen = same.map { ($0, "same") } + other.prefix(same.count).map { ($0, "other") }
        let seenBy = savesWriting(saves)
        let rare = { (save: LoggedSave) -> Set<[UInt8]> in Set(save.writes.map(\.name).filter { seenBy[$0, default: 0] * 5 <= saves.count }) }
        let rareParts = { (save: LoggedSave) -> Set<[UInt8]> in
            Set(save.writes.filter { sizeClass($0) == "manifest" }.map(\.name).filter { seenBy[$0, default: 0] * 3 <= saves.count })
        }
        let removed = { (save: LoggedSave) -> Set<[UInt8]> in Set(save.writes.filter { $0.deleted || $0.operation == "delete" }.map(\.name)) }
        let written = { (save: LoggedSave) -> Set<[UInt8]> in Set(save.writes.filter { !$0.deleted && $0.operation != "delete" }.map(\.name)) }
        // (When saves happened is public, and how close two saves of one item are says more about
        // the script than about the log, so no classifier here uses it.)
        var guesses: [String: [String]] = [:]
        for ((i, j), _) in chosen {
            let (a, b) = (saves[i], saves[j])
            guesses["a name both wrote", default: []].append(rare(a).isDisjoint(with: rare(b)) ? "other" : "same")
            guesses["a manifest part both wrote", default: []].append(rareParts(a).isDisjoint(with: rareParts(b)) ? "other" : "same")
            guesses["the later removes what the earlier wrote", default: []].append(
                written(a).isDisjoint(with: removed(b)) ? "other" : "same")
        }
        return (chosen.map(\.1), guesses)
    }

    /// Every classifier's accuracy, with the majority guess's, by question (`kind`,
    /// `add/edit/delete` over the saves of an item that added, edited or deleted it, and
    /// `same item` over `pairs`, where the majority guess is right half the time) and classifier.
    static func scores(_ saves: [LoggedSave], seed: UInt64) -> [String: [String: (accuracy: Double, majority: Double)]] {
        var scores: [String: [String: (accuracy: Double, majority: Double)]] = [:]
        let actions = saves.indices.filter { ["add", "edit", "delete"].contains(saves[$0].action) && saves[$0].item != nil }
        for (classifier, values) in features(of: saves) {
            let kind = accuracy(features: values, labels: saves.map(\.kind))
            scores["kind", default: [:]][classifier] = (kind.classifier, kind.majority)
            let action = accuracy(features: actions.map { values[$0] }, labels: actions.map { saves[$0].action })
            scores["add/edit/delete", default: [:]][classifier] = (action.classifier, action.majority)
        }
        let pairs = pairs(saves, seed: seed)
        for (classifier, guesses) in pairs.guesses {
            let right = zip(guesses, pairs.labels).filter { $0 == $1 }.count
            scores["same item", default: [:]][classifier] = (Double(right) / Double(max(pairs.labels.count, 1)), 0.5)
        }
        return scores
    }

    /// A small seeded generator, so that a run can be repeated.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        init(_ seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state &+= 0x9e37_79b9_7f4a_7c15
            var z = state
            z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
            z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
            return z ^ (z >> 31)
        }
    }
}

final class OperatorLogTests: SyncTestCase {
    /// Installs the operator's trigger: every write to the records table, logged.
    private func installLog() throws {
        try database.adminScript("""
            CREATE TABLE public.operator_log (
                id bigserial PRIMARY KEY, tx bigint NOT NULL, name bytea NOT NULL, version bigint NOT NULL,
                length int NOT NULL, deleted boolean NOT NULL, operation text NOT NULL);
            CREATE FUNCTION public.operator_log_write() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$
            BEGIN
                IF TG_OP = 'DELETE' THEN
                    INSERT INTO public.operator_log (tx, name, version, length, deleted, operation)
                    VALUES (txid_current(), OLD.name, OLD.version, length(OLD.blob), OLD.deleted, 'delete');
                    RETURN OLD;
                END IF;
                INSERT INTO public.operator_log (tx, name, version, length, deleted, operation)
                VALUES (txid_current(), NEW.name, NEW.version, length(NEW.blob), NEW.deleted, lower(TG_OP));
                RETURN NEW;
            END $$;
            CREATE TRIGGER operator_log AFTER INSERT OR UPDATE OR DELETE ON onions.records
                FOR EACH ROW EXECUTE FUNCTION public.operator_log_write();
            """)
    }

    private func lastLogged() throws -> Int {
        let rows = try database.adminQuery("SELECT coalesce(max(id), 0) FROM public.operator_log")
        return Int(try XCTUnwrap(rows.integer(0, 0)))
    }

    private func logged(after first: Int) throws -> [LoggedWrite] {
        let rows = try database.adminQuery(
            "SELECT tx, name, version, length, deleted, operation FROM public.operator_log WHERE id > $1 ORDER BY id",
            [.int64(Int64(first))])
        return try (0..<rows.count).map { row in
            LoggedWrite(transaction: Int(try XCTUnwrap(rows.integer(row, 0))), name: try XCTUnwrap(rows.bytes(row, 1)),
                        version: Int(try XCTUnwrap(rows.integer(row, 2))), length: Int(try XCTUnwrap(rows.integer(row, 3))),
                        deleted: rows.bool(row, 4) == true, operation: try XCTUnwrap(rows.text(row, 5)))
        }
    }

    /// The script: 300 saves of every kind on two machines, each pulling before it saves and
    /// sending the save at once; every save's log rows recorded with what it was.
    func runScript(saves count: Int, seed: UInt64) throws -> [LoggedSave] {
        try installLog()
        let machines = [try machine("one"), try machine("two")]
        let first = try machines[0].signUp("operator-log", "pw")
        let sessions = [first, try machines[1].logIn("operator-log", "pw")]
        defer { sessions.forEach { $0.lock() } }
        var random = OperatorClassifiers.SplitMix(seed)
        var saves: [LoggedSave] = []
        var counter = 0
        let kdf = ScryptParameters(logN: 10, r: 8, p: 1)
        while saves.count < count {
            let m = Int.random(in: 0...1, using: &random)
            let session = sessions[m]
            XCTAssertNil(try session.syncNow().offline)
            counter += 1
            let mark = try lastLogged()
            let roll = Int.random(in: 0..<100, using: &random)
            var save: LoggedSave?
            let onions = session.onions, tasks = session.tasks, cards = session.cards
            switch roll {
            case 0..<12 where onions.count < 12 || roll < 6:
                let id = try session.saveOnion(id: nil, title: secret("onion \(counter)"), info: secret("info \(counter)"))
                save = LoggedSave(kind: "onion", action: "add", item: "onion \(id)", machine: m)
            case 0..<24 where !onions.isEmpty:
                let onion = onions[Int.random(in: 0..<onions.count, using: &random)]
                _ = try session.saveOnion(id: onion.id, title: secret("onion \(counter)"), info: secret("info edited \(counter)"))
                save = LoggedSave(kind: "onion", action: "edit", item: "onion \(onion.id)", machine: m)
            case 24..<30 where onions.count > 2:
                let onion = onions[Int.random(in: 0..<onions.count, using: &random)]
                try session.deleteOnion(onion.id)
                save = LoggedSave(kind: "onion", action: "delete", item: "onion \(onion.id)", machine: m)
            case 30..<40 where tasks.count < 12 || roll < 34:
                let id = try session.addTask(secret("task \(counter)"))
                save = LoggedSave(kind: "task", action: "add", item: "task \(id) \(counter)", machine: m)
            case 30..<52 where !tasks.isEmpty:
                let task = tasks[Int.random(in: 0..<tasks.count, using: &random)]
                if roll < 46 {
                    try session.setTask(task.id, done: !task.done)
                } else {
                    try session.editTask(task.id, text: secret("task edited \(counter)"))
                }
                save = LoggedSave(kind: "task", action: "edit", item: taskItem(task.id, in: saves), machine: m)
            case 52..<58 where tasks.count > 2:
                let task = tasks[Int.random(in: 0..<tasks.count, using: &random)]
                try session.deleteTask(task.id)
                save = LoggedSave(kind: "task", action: "delete", item: taskItem(task.id, in: saves), machine: m)
            case 58..<66 where cards.count < 10 || roll < 61:
                let id = try session.saveCard(id: nil, recipient: secret("card \(counter)"), description: secret("text \(counter)"),
                                              cardPassword: secret("card pass"), kdf: kdf)
                save = LoggedSave(kind: "card", action: "add", item: "card \(id)", machine: m)
            case 58..<76 where !cards.isEmpty:
                let card = cards[Int.random(in: 0..<cards.count, using: &random)]
                _ = try session.saveCard(id: card.id, recipient: secret("card \(counter)"), description: secret("text \(counter)"),
                                         cardPassword: secret("card pass"), kdf: kdf)
                save = LoggedSave(kind: "card", action: "edit", item: "card \(card.id)", machine: m)
            case 76..<82 where cards.count > 2:
                let card = cards[Int.random(in: 0..<cards.count, using: &random)]
                try session.deleteCard(card.id)
                save = LoggedSave(kind: "card", action: "delete", item: "card \(card.id)", machine: m)
            case 82..<88:
                let order = ListOrder.allCases[Int.random(in: 0..<ListOrder.allCases.count, using: &random)]
                try session.setListOrder(order == session.settings.order ? (order == .title ? .created : .title) : order)
                save = LoggedSave(kind: "settings", action: "edit", item: nil, machine: m)
            case 88..<94:
                try session.saveDraft(Draft(target: nil, title: secret("draft \(counter)"), info: secret("half written")))
                save = LoggedSave(kind: "draft", action: "edit", item: nil, machine: m)
            case 94..<100:
                let trash = try session.trash()
                defer { session.forget(trash) }
                guard let entry = trash.first(where: { if case .task = $0.item { return false } else { return true } }) else { continue }
                let restored = try session.restoreFromTrash(entry)
                switch restored {
                case .onion(let id): save = LoggedSave(kind: "onion", action: "restore", item: "onion \(id)", machine: m)
                case .card(let id): save = LoggedSave(kind: "card", action: "restore", item: "card \(id)", machine: m)
                case .task: continue
                }
            default:
                continue
            }
            guard var made = save else { continue }
            XCTAssertNil(try session.syncNow().offline)
            made.writes = try logged(after: mark)
            saves.append(made)
        }
        return saves
    }

    /// A task is known by its number and the save that added it (a number is given out again
    /// after a delete, and then names another item).
    private func taskItem(_ id: UInt16, in saves: [LoggedSave]) -> String {
        saves.last { $0.kind == "task" && $0.action == "add" && $0.item?.hasPrefix("task \(id) ") == true }?.item ?? "task \(id)"
    }

    /// Prints every classifier's accuracy against the majority guess, and the best lead per
    /// question, in percentage points.
    func report(_ scores: [String: [String: (accuracy: Double, majority: Double)]]) {
        var best: [String] = []
        for (question, classifiers) in scores.sorted(by: { $0.key < $1.key }) {
            for (classifier, score) in classifiers.sorted(by: { $0.key < $1.key }) {
                print(String(format: "operator-log %@ | %@: %.1f%% (majority %.1f%%, lead %+.1f points)", question, classifier,
                             score.accuracy * 100, score.majority * 100, (score.accuracy - score.majority) * 100))
            }
            if let top = classifiers.max(by: { $0.value.accuracy - $0.value.majority < $1.value.accuracy - $1.value.majority }) {
                best.append(String(format: "%@ %+.1f (%@)", question, (top.value.accuracy - top.value.majority) * 100, top.key))
            }
        }
        print("operator-log best leads: \(best)")
    }

    /// The log of 300 saves on two machines, read by the operator's classifiers. What a single
    /// save's writes show (their count, size classes and order, section 8's shape) tells the
    /// operator nothing, nor do their versions, the manifest parts it writes (the counter's
    /// schedule), or the records' names over time: every write of a record is an insert under a
    /// server name never written before. The figures of every classifier are printed.
    func testTheOperatorsLogOfThreeHundredSaves() throws {
        try checkTheLog(seed: 28)
    }

    /// The same on another script: which saves touch which kinds, and when, differ.
    func testTheOperatorsLogOfThreeHundredOtherSaves() throws {
        try checkTheLog(seed: 30)
    }

    private func checkTheLog(seed: UInt64) throws {
        let saves = try runScript(saves: 300, seed: seed)
        XCTAssertEqual(saves.count, 300)
        for kind in ["onion", "task", "card", "settings", "draft"] {
            XCTAssertGreaterThan(saves.filter { $0.kind == kind }.count, 10, "the script saves every kind: \(kind)")
        }
        for action in ["add", "edit", "delete", "restore"] {
            XCTAssertGreaterThan(saves.filter { $0.action == action }.count, 5, "the script makes every action: \(action)")
        }
        XCTAssertTrue(saves.allSatisfy { !$0.writes.isEmpty }, "every save reached the server")
        for machine in 0...1 {
            XCTAssertGreaterThan(saves.filter { $0.machine == machine }.count, 100, "both machines save: \(machine)")
        }
        // No name is written twice but the manifest's (root and parts) and the head's: every
        // other write is an insert at a name the log never shows again, at version 1.
        var writes: [[UInt8]: Int] = [:]
        for write in saves.flatMap(\.writes) { writes[write.name, default: 0] += 1 }
        let records = saves.flatMap(\.writes).filter { !["manifest", "head"].contains(OperatorClassifiers.sizeClass($0)) }
        XCTAssertGreaterThan(records.count, 1_000)
        XCTAssertEqual(records.filter { writes[$0.name] != 1 }.count, 0, "a record's name written twice")
        XCTAssertEqual(records.filter { $0.operation != "insert" || $0.version != 1 }.count, 0)
        XCTAssertEqual(Set(records.map(\.name.count)), [ServerNames.length])
        // Each save reaches the server as it was saved: the same classes in the same order.
        let orders = try XCTUnwrap(OperatorClassifiers.features(of: saves)["order"])
        XCTAssertEqual(Set(orders).count, 1, "\(Set(orders))")
        let scores = OperatorClassifiers.scores(saves, seed: seed)
        report(scores)
        // No classifier beats the majority guess by more than 5 points at any question: one
        // save's shape (its records' count, size classes and order, pushed as saved, and its
        // transactions), the versions it writes (version 1 under a fresh server name, and the
        // root's, parts' and head's, which every save or the counter's schedule moves), the
        // manifest's lengths, and what comparing names over time would tell (every record's
        // write is an insert at a name never written: FORMAT.md "Names on the server").
        for (question, classifiers) in scores {
            for (classifier, score) in classifiers {
                XCTAssertLessThanOrEqual(score.accuracy - score.majority, 0.05, "\(classifier) tells \(question)")
            }
        }
        XCTAssertEqual(Set(scores.keys), ["kind", "add/edit/delete", "same item"])
        XCTAssertGreaterThanOrEqual(scores["kind"]?.count ?? 0, 10, "every classifier ran")
    }
}

/// The classifiers themselves, on logs made up here: they find a leak planted in a log and find
/// none where there is none, so that their figures on the server's log mean something.
final class OperatorClassifierTests: XCTestCase {
    private let kinds = ["onion", "task", "card"]
    private let actions = ["add", "edit", "delete"]

    /// 300 saves of three writes each. `leaky`: an edit or a delete writes its item's own name
    /// again (as a version bump or a tombstone), and a task's save writes one name that only
    /// tasks write; otherwise every write goes to a fresh random name, in the same order.
    private func madeUpLog(leaky: Bool, seed: UInt64) -> [LoggedSave] {
        var random = OperatorClassifiers.SplitMix(seed)
        var items: [(kind: String, name: [UInt8], item: String)] = []
        var saves: [LoggedSave] = []
        let taskCounter = (0..<32).map { _ in UInt8.random(in: 0...255, using: &random) }
        func fresh() -> [UInt8] { (0..<32).map { _ in UInt8.random(in: 0...255, using: &random) } }
        for index in 0..<300 {
            var action = actions[Int.random(in: 0..<3, using: &random)]
            if items.count < 5 { action = "add" }
            var kind = kinds[Int.random(in: 0..<3, using: &random)]
            var name = fresh(), item = "item \(index)"
            if action != "add" {
                let picked = items[Int.random(in: 0..<items.count, using: &random)]
                (kind, item) = (picked.kind, picked.item)
                if leaky { name = picked.name }
                if action == "delete" { items.removeAll { $0.item == item } }
            } else {
                items.append((kind, name, item))
            }
            var save = LoggedSave(kind: kind, action: action, item: item, machine: index % 2)
            let second = leaky && kind == "task" ? taskCounter : fresh()
            for (n, written) in [name, second, fresh()].enumerated() {
                save.writes.append(LoggedWrite(transaction: index, name: written, version: 1,
                                               length: n == 2 ? 8_478 : 1_310, deleted: false, operation: "insert"))
            }
            saves.append(save)
        }
        return saves
    }

    /// The best lead over the majority guess per question.
    private func leads(_ saves: [LoggedSave]) -> (kind: Double, action: Double, same: Double) {
        let scores = OperatorClassifiers.scores(saves, seed: 1)
        func best(_ question: String) -> Double {
            scores[question]?.values.map { $0.accuracy - $0.majority }.max() ?? -1
        }
        return (best("kind"), best("add/edit/delete"), best("same item"))
    }

    func testTheClassifiersFindAPlantedLeak() {
        let found = leads(madeUpLog(leaky: true, seed: 7))
        XCTAssertGreaterThan(found.kind, 0.2, "a name only tasks write tells the kind")
        XCTAssertGreaterThan(found.action, 0.2, "a name written again tells an edit or a delete")
        XCTAssertGreaterThan(found.same, 0.3, "a name written again ties two saves to one item")
    }

    func testTheClassifiersFindNothingWhereThereIsNothing() {
        let found = leads(madeUpLog(leaky: false, seed: 7))
        XCTAssertLessThanOrEqual(found.kind, 0.05, "\(found)")
        XCTAssertLessThanOrEqual(found.action, 0.05, "\(found)")
        XCTAssertLessThanOrEqual(found.same, 0.05, "\(found)")
    }
}
