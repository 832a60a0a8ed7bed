import Foundation
import XCTest
@testable import OnionsCore
import OnionsCrypto

/// Tools for the importer tests: the peers (python with jrnl, pykeepass and cryptography; pass;
/// gpg) that make the files, and readable views of imported entries.
enum Peer {
    struct Failure: Error, CustomStringConvertible { let description: String }

    /// The peer python from `make test` (ONIONS_PEER_PYTHON); a test fails, never skips, without it.
    static func python(file: StaticString = #filePath, line: UInt = #line) throws -> String {
        guard let path = ProcessInfo.processInfo.environment["ONIONS_PEER_PYTHON"], !path.isEmpty,
              FileManager.default.isExecutableFile(atPath: path) else {
            let message = "ONIONS_PEER_PYTHON must name the peer-venv python (run 'make test' or 'make peer-venv')"
            XCTFail(message, file: file, line: line)
            throw Failure(description: message)
        }
        return path
    }

    /// Runs a program found on PATH (or by path), feeding `stdin`; throws unless it exits 0.
    @discardableResult
    static func run(_ program: String, _ arguments: [String], stdin: String = "",
                    environment: [String: String] = [:]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program.hasPrefix("/") ? program : "/usr/bin/env")
        process.arguments = program.hasPrefix("/") ? arguments : [program] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let inPath = dir + "/in", outPath = dir + "/out", errPath = dir + "/err"
        try stdin.write(toFile: inPath, atomically: false, encoding: .utf8)
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        process.standardInput = FileHandle(forReadingAtPath: inPath)
        process.standardOutput = FileHandle(forWritingAtPath: outPath)
        process.standardError = FileHandle(forWritingAtPath: errPath)
        try process.run()
        process.waitUntilExit()
        let out = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        guard process.terminationStatus == 0 else {
            let err = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
            throw Failure(description: "\(program) \(arguments.prefix(2)) exited \(process.terminationStatus): \(err)")
        }
        return out
    }

    /// Runs a python script with the peer python.
    @discardableResult
    static func python(_ script: String, _ arguments: [String] = [], stdin: String = "") throws -> String {
        try run(try python(), ["-c", script] + arguments, stdin: stdin)
    }

    /// A new private directory under /tmp (short paths: gpg-agent's socket lives there).
    static func temporaryDirectory() throws -> String {
        var template = Array("/tmp/onions-import-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw Failure(description: "mkdtemp failed") }
        return String(cString: made)
    }
}

extension SecretBytes {
    /// The held bytes as text, for assertions only.
    var testText: String { withUnsafeBytes { String(decoding: $0, as: UTF8.self) } }
}

extension ImportedEntry {
    /// The entry as plain values, for comparing whole entries in assertions.
    var testView: TestEntry {
        TestEntry(folder: folder, title: title.testText, fields: fields.map { [$0.name, $0.value.testText] },
                  notes: notes?.testText, otp: otp?.testText, created: created, changed: changed)
    }
}

/// An imported entry as plain values (tests only).
struct TestEntry: Equatable, CustomStringConvertible {
    var folder: String
    var title: String
    var fields: [[String]]
    var notes: String?
    var otp: String?
    var created: Int64?
    var changed: Int64?

    var description: String {
        "\(folder)|\(title)|\(fields)|\(notes ?? "-")|\(otp ?? "-")|\(created.map(String.init) ?? "-")|\(changed.map(String.init) ?? "-")"
    }
}

/// `text` in secret memory (tests only).
func secret(_ text: String) -> SecretBytes { SecretBytes(copying: Array(text.utf8)) }
