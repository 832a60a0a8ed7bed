// What an operator can learn from a log of the server's writes: simple classifiers that try to
// tell, from the writes alone, what each save did. The shape of saves (DESIGN.md section 5b)
// holds when none of them beats the majority guess by more than a few percentage points.

/// One row the server wrote, as a trigger on the records table logs it.
struct LoggedWrite: Equatable {
    enum Operation: String { case insert, update, delete }
    let transaction: Int64
    let operation: Operation
    /// The record's opaque name (hex).
    let name: String
    /// The record's version after the write (0 for a removed row).
    let version: Int64
    /// The sealed length (0 for a tombstone or a removal): the size class, which anyone sees.
    let length: Int
    let deleted: Bool
}

/// A save as the test knows it (the truth the classifiers try to guess) and the writes the
/// server logged for it.
struct LoggedSave {
    /// "onion", "card", "task", "settings", "draft".
    let kind: String
    /// "add", "edit", "delete", "restore", "done", ...
    let action: String
    /// Which item (the test's own name for it).
    let item: String
    let writes: [LoggedWrite]
}

/// Features an operator can compute from one save's writes and everything logged before it.
struct SaveFeatures: Hashable {
    /// Per size class (by sealed length, sorted): writes to names never seen before, writes to
    /// names seen before, tombstones, removals.
    var perClass: [String]
    /// The order of the writes, as a string of class and operation letters.
    var order: String
    /// How many of the names this save removed or tombstoned were written by the previous save,
    /// by one of the last ten, or earlier (0, 1, 2+ each).
    var removalAges: [Int]

    static func all(_ saves: [LoggedSave]) -> [SaveFeatures] {
        var firstSeen: [String: Int] = [:]
        var features: [SaveFeatures] = []
        for (index, save) in saves.enumerated() {
            var counts: [Int: [Int]] = [:]
            var ages = [0, 0, 0]
            for write in save.writes {
                var c = counts[write.length, default: [0, 0, 0, 0]]
                switch write.operation {
                case .delete: c[3] += 1
                case .insert, .update:
                    if write.deleted { c[2] += 1 } else { c[firstSeen[write.name] == nil ? 0 : 1] += 1 }
                }
                counts[write.length] = c
                if write.operation == .delete || write.deleted, let seen = firstSeen[write.name] {
                    let age = index - seen
                    ages[age <= 1 ? 0 : age <= 10 ? 1 : 2] = min(2, ages[age <= 1 ? 0 : age <= 10 ? 1 : 2] + 1)
                }
            }
            for write in save.writes where firstSeen[write.name] == nil { firstSeen[write.name] = index }
            let perClass = counts.keys.sorted().map { "\($0):\(counts[$0]!.map(String.init).joined(separator: ","))" }
            let order = save.writes.map { write -> String in
                let op = write.operation == .delete ? "x" : write.deleted ? "t" : "w"
                return "\(write.length)\(op)"
            }.joined(separator: " ")
            features.append(SaveFeatures(perClass: perClass, order: order, removalAges: ages))
        }
        return features
    }
}

/// A classifier that learns, on half of the examples (a fixed pseudo-random half, so that no
/// order of the script lines up with it), the majority label of each distinct feature value,
/// and guesses on the other half (the majority label overall for a value
/// it never saw). Its accuracy minus the majority guess's accuracy on the same odd examples is
/// how much the feature tells.
struct LookupClassifier<Feature: Hashable> {
    struct Result: CustomStringConvertible {
        let accuracy: Double
        let majority: Double
        var advantage: Double { accuracy - majority }
        var description: String {
            "accuracy \(Int((accuracy * 100).rounded()))% against the majority guess's \(Int((majority * 100).rounded()))%"
        }
    }

    static func evaluate(_ examples: [(feature: Feature, label: String)]) -> Result {
        // splitmix64 of the index: a fixed shuffle.
        func mix(_ i: Int) -> UInt64 {
            var z = UInt64(i) &+ 0x9E37_79B9_7F4A_7C15
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        let shuffled = examples.indices.sorted { mix($0) < mix($1) }.map { examples[$0] }
        let train = Array(shuffled.prefix(shuffled.count / 2))
        let test = Array(shuffled.dropFirst(shuffled.count / 2))
        func majority(_ labels: [String]) -> String {
            Dictionary(grouping: labels, by: { $0 }).max { a, b in
                a.value.count != b.value.count ? a.value.count < b.value.count : a.key > b.key
            }?.key ?? ""
        }
        let overall = majority(train.map(\.label))
        var table: [Feature: String] = [:]
        for (feature, group) in Dictionary(grouping: train, by: \.feature) { table[feature] = majority(group.map(\.label)) }
        guard !test.isEmpty else { return Result(accuracy: 0, majority: 0) }
        let right = test.filter { (table[$0.feature] ?? overall) == $0.label }.count
        let baseline = test.filter { $0.label == overall }.count
        return Result(accuracy: Double(right) / Double(test.count), majority: Double(baseline) / Double(test.count))
    }
}

/// The classifiers of the shape test, over one log.
enum WriteLogClassifiers {
    /// Guesses the kind of item each save touched from each feature on its own and from all
    /// together; returns the best result.
    static func kind(_ saves: [LoggedSave]) -> [String: LookupClassifier<String>.Result] {
        byEachFeature(saves) { $0.kind }
    }

    /// Guesses whether a save added, edited or deleted.
    static func action(_ saves: [LoggedSave]) -> [String: LookupClassifier<String>.Result] {
        byEachFeature(saves) { $0.action }
    }

    static func byEachFeature(_ saves: [LoggedSave], label: (LoggedSave) -> String) -> [String: LookupClassifier<String>.Result] {
        let features = SaveFeatures.all(saves)
        let views: [String: (SaveFeatures) -> String] = [
            "size classes and name reuse": { $0.perClass.joined(separator: ";") },
            "order": { $0.order },
            "removal ages": { $0.removalAges.map(String.init).joined(separator: ",") },
            "all": { "\($0.perClass)|\($0.order)|\($0.removalAges)" },
        ]
        return views.mapValues { view in
            LookupClassifier<String>.evaluate(zip(features, saves).map { (view($0.0), label($0.1)) })
        }
    }

    /// Guesses, for pairs of saves, whether both touched the same item, from what their writes
    /// share: a name written by both, a name one writes and the other removes, and how far apart
    /// they are. Pairs are taken so that half touch the same item where the log allows.
    static func sameItem(_ saves: [LoggedSave]) -> [String: LookupClassifier<String>.Result] {
        var pairs: [(Int, Int)] = []
        var same = 0
        var other = 0
        for i in saves.indices {
            for j in (i + 1)..<min(saves.count, i + 40) {
                let isSame = saves[i].item == saves[j].item
                if isSame, same <= other { pairs.append((i, j)); same += 1 }
                if !isSame, other <= same { pairs.append((i, j)); other += 1 }
            }
        }
        // Names written by more than a tenth of all saves (fillers reused by every save) are set
        // aside, as an operator would.
        var frequency: [String: Int] = [:]
        for save in saves { for name in Set(save.writes.map(\.name)) { frequency[name, default: 0] += 1 } }
        let common = Set(frequency.filter { $0.value * 10 > saves.count }.keys)
        func pairFeature(_ i: Int, _ j: Int) -> (shared: Bool, removedOther: Bool, distance: Int) {
            let a = Set(saves[i].writes.filter { $0.operation != .delete && !$0.deleted }.map(\.name)).subtracting(common)
            let b = Set(saves[j].writes.filter { $0.operation != .delete && !$0.deleted }.map(\.name)).subtracting(common)
            let removedByJ = Set(saves[j].writes.filter { $0.operation == .delete || $0.deleted }.map(\.name)).subtracting(common)
            return (!a.isDisjoint(with: b), !a.isDisjoint(with: removedByJ), min(j - i, 5))
        }
        let examples = pairs.map { (i, j) -> (feature: String, label: String, parts: (Bool, Bool, Int)) in
            let f = pairFeature(i, j)
            return ("\(f.shared)|\(f.removedOther)|\(f.distance)", saves[i].item == saves[j].item ? "same" : "other",
                    (f.shared, f.removedOther, f.distance))
        }
        return [
            "shared names": LookupClassifier<String>.evaluate(examples.map { ("\($0.parts.0)", $0.label) }),
            "removes the other's name": LookupClassifier<String>.evaluate(examples.map { ("\($0.parts.1)", $0.label) }),
            "all": LookupClassifier<String>.evaluate(examples.map { ($0.feature, $0.label) }),
        ]
    }
}
