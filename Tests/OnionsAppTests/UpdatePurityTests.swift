import Foundation
import XCTest

/// `update` and `render` do no I/O and read no clock: no source file on their side of
/// OnionsApp names the session, a store, a key derivation, a clock, a thread or a sync call.
///
/// The side of the loop is `AppLoop.swift` (terminal, clock), `EffectRunner.swift` (the
/// session's thread), `VaultService.swift` (opening vaults for the runner) and
/// `BootClock.swift`; every other file of the module is checked, new ones included.
final class UpdatePurityTests: XCTestCase {
    static let loopSide: Set<String> = ["AppLoop.swift", "EffectRunner.swift", "VaultService.swift", "BootClock.swift"]

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

    /// The files checked, with their text (comments removed: they may name what they avoid).
    static func updateSide() throws -> [(name: String, code: String)] {
        let names = try FileManager.default.contentsOfDirectory(atPath: sourceFolder.path)
            .filter { $0.hasSuffix(".swift") && !loopSide.contains($0) }.sorted()
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
        XCTAssertTrue(files.contains { $0.name == "App.swift" }, "the check found the module's sources")
        XCTAssertTrue(files.contains { $0.name == "Messages.swift" })
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

    func testTheLoopSideFilesExist() {
        for name in Self.loopSide {
            XCTAssertTrue(FileManager.default.fileExists(atPath: Self.sourceFolder.appendingPathComponent(name).path),
                          "\(name) is listed as the loop's side but is not there")
        }
    }
}
