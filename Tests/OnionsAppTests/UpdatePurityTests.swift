import Foundation
import XCTest

/// `update` and `render` do no I/O and read no clock: no source file on their side of
/// OnionsApp names the session, a store, a key derivation, a clock, a thread or a sync call.
///
/// The side of the loop is in `Loop/`: `AppLoop.swift` (terminal, clock), `EffectRunner.swift`
/// `EffectRunnerRequests.swift` and `EffectRunnerHistory.swift` (the session's thread), `Thread.swift`, `VaultService.swift`
/// (opening vaults for the runner) and `BootClock.swift`; every other file of the module, in
/// every folder, is checked, new ones included (a new file in `Loop/` too, until listed here).
final class UpdatePurityTests: XCTestCase {
    static let loopSide: Set<String> = [
        "Loop/AppLoop.swift", "Loop/EffectRunner.swift", "Loop/EffectRunnerRequests.swift",
        "Loop/EffectRunnerHistory.swift", "Loop/Thread.swift",
        "Loop/VaultService.swift", "Loop/BootClock.swift",
    ]

    /// Names that would mean I/O, a key derivation or a clock on the update side.
    static let forbidden: [String] = [
        #"\bSession\b"#, #"\b\w*Store\b"#, #"\bStoreError\b"#, #"\bScrypt\w*"#, #"\bKDF\b"#, #"\bisVaultPassword\b"#,
        #"\bBootClock\b"#, #"\bclock_gettime\b"#, #"\bgettimeofday\b"#, #"\bContinuousClock\b"#,
        #"\bSuspendingClock\b"#, #"\bDate\s*\("#, #"\bDispatchTime\b"#, #"\btime\s*\("#,
        #"\bsyncNow\b"#, #"\bpollRemote\b"#, #"\bchangeSocket\b"#, #"\bEffectRunner\b"#, #"\bpthread_\w+"#,
        #"\bThread\b"#, #"\bFileManager\b"#, #"\bimport\s+(Glibc|Foundation|Dispatch|OnionsStore)\b"#,
    ]

    static var sourceFolder: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/OnionsApp")
    }

    /// Every Swift file of the module, as a path inside `Sources/OnionsApp`, in every folder.
    static func allSources() throws -> [String] {
        guard let walk = FileManager.default.enumerator(atPath: sourceFolder.path) else {
            throw CocoaError(.fileReadUnknown)
        }
        return walk.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") }.sorted()
    }

    /// The files checked, with their text (comments removed: they may name what they avoid).
    static func updateSide() throws -> [(name: String, code: String)] {
        let names = try allSources().filter { !loopSide.contains($0) }
        return try names.map { name in
            let text = try String(contentsOf: sourceFolder.appendingPathComponent(name), encoding: .utf8)
            return (name, withoutComments(text))
        }
    }

    static func withoutComments(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> Substring in
            guard let range = line.range(of: "//") else { return line }
            return line[..<range.lowerBound]
        }.joined(separator: "\n")
    }

    func testTheUpdateSideNamesNoSessionStoreKeyDerivationClockOrSync() throws {
        let files = try Self.updateSide()
        XCTAssertTrue(files.contains { $0.name == "App/App.swift" }, "the check found the module's sources")
        XCTAssertTrue(files.contains { $0.name == "App/Messages.swift" })
        XCTAssertTrue(files.contains { $0.name == "Screens/Editor/EditorScreen.swift" }, "the check walks subfolders")
        XCTAssertTrue(files.contains { $0.name == "Screens/Cards/CardFormScreen.swift" })
        for file in files {
            for pattern in Self.forbidden {
                let regex = try NSRegularExpression(pattern: pattern)
                let range = NSRange(file.code.startIndex..., in: file.code)
                for match in regex.matches(in: file.code, range: range) {
                    let found = String(file.code[Range(match.range, in: file.code)!])
                    let line = file.code[..<Range(match.range, in: file.code)!.lowerBound].filter { $0 == "\n" }.count + 1
                    XCTFail("\(file.name):\(line) names '\(found)' on the update side")
                }
            }
        }
    }

    func testNoFileOfTheModuleIsOver400Lines() throws {
        for name in try Self.allSources() {
            let text = try String(contentsOf: Self.sourceFolder.appendingPathComponent(name), encoding: .utf8)
            let count = text.split(separator: "\n", omittingEmptySubsequences: false).count - 1
            XCTAssertLessThanOrEqual(count, 400, "\(name) has \(count) lines")
        }
    }

    func testTheLoopSideFilesExist() {
        for name in Self.loopSide {
            XCTAssertTrue(FileManager.default.fileExists(atPath: Self.sourceFolder.appendingPathComponent(name).path),
                          "\(name) is listed as the loop's side but is not there")
        }
    }
}
