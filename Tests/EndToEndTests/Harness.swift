import Foundation
import XCTest

/// What a finished process left behind.
struct ProcessResult {
    var status: Int32
    var stdout: [UInt8]
    var stderr: [UInt8]

    var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    var stderrText: String { String(decoding: stderr, as: UTF8.self) }
}

/// Why the harness could not go on; the test has already been failed with a clear message.
struct HarnessError: Error, CustomStringConvertible {
    let description: String
}

/// Shared tools for end-to-end tests of the built `onions` binary and its peers.
///
/// `make test` sets ONIONS_BIN (the release binary) and ONIONS_PEER_PYTHON (a venv python
/// with `rncryptor` and `cryptography`). When one is missing the test fails, never skips.
enum Harness {
    /// The absolute path of the `onions` binary under test (env ONIONS_BIN).
    static func onionsBinary(file: StaticString = #filePath, line: UInt = #line) throws -> String {
        try executable(fromEnvironment: "ONIONS_BIN", what: "the release onions binary (run 'make test')",
                       file: file, line: line)
    }

    /// The peer Python interpreter (env ONIONS_PEER_PYTHON).
    static func peerPython(file: StaticString = #filePath, line: UInt = #line) throws -> String {
        try executable(fromEnvironment: "ONIONS_PEER_PYTHON",
                       what: "a python with rncryptor and cryptography installed (run 'make test')",
                       file: file, line: line)
    }

    private static func executable(fromEnvironment name: String, what: String,
                                   file: StaticString, line: UInt) throws -> String {
        guard let path = ProcessInfo.processInfo.environment[name], !path.isEmpty else {
            let message = "\(name) is not set: it must name \(what)"
            XCTFail(message, file: file, line: line)
            throw HarnessError(description: message)
        }
        guard FileManager.default.isExecutableFile(atPath: path) else {
            let message = "\(name)=\(path) is not an executable file"
            XCTFail(message, file: file, line: line)
            throw HarnessError(description: message)
        }
        return path
    }

    /// Runs `executable` with `arguments`, feeding `stdin`, and waits for it.
    ///
    /// Standard input, output and error go through files in a private temporary directory,
    /// so large outputs cannot deadlock on a pipe.
    static func run(_ executable: String, _ arguments: [String], stdin: [UInt8] = [],
                    environment: [String: String]? = nil) throws -> ProcessResult {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let inURL = dir.appendingPathComponent("stdin")
        let outURL = dir.appendingPathComponent("stdout")
        let errURL = dir.appendingPathComponent("stderr")
        try Data(stdin).write(to: inURL)
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let input = try FileHandle(forReadingFrom: inURL)
        let output = try FileHandle(forWritingTo: outURL)
        let errors = try FileHandle(forWritingTo: errURL)
        defer {
            try? input.close()
            try? output.close()
            try? errors.close()
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        process.waitUntilExit()
        return ProcessResult(status: process.terminationStatus,
                             stdout: [UInt8](try Data(contentsOf: outURL)),
                             stderr: [UInt8](try Data(contentsOf: errURL)))
    }

    /// Runs the onions binary under test.
    static func onions(_ arguments: [String], stdin: [UInt8] = [],
                       file: StaticString = #filePath, line: UInt = #line) throws -> ProcessResult {
        try run(onionsBinary(file: file, line: line), arguments, stdin: stdin)
    }

    /// Runs a Python program on the peer interpreter: `python -c source arguments...`.
    static func python(_ source: String, _ arguments: [String], stdin: [UInt8] = [],
                       file: StaticString = #filePath, line: UInt = #line) throws -> ProcessResult {
        try run(peerPython(file: file, line: line), ["-c", source] + arguments, stdin: stdin)
    }

    /// A new empty private directory (mode 0700); the caller removes it.
    static func makeTemporaryDirectory() throws -> URL {
        var template = Array((NSTemporaryDirectory() + "/onions-e2e-XXXXXX").utf8CString)
        let made: String? = template.withUnsafeMutableBufferPointer { buffer in
            guard let result = mkdtemp(buffer.baseAddress!) else { return nil }
            return String(cString: result)
        }
        guard let made else { throw HarnessError(description: "mkdtemp failed") }
        return URL(fileURLWithPath: made, isDirectory: true)
    }

    /// A new private directory that is removed when `test` finishes.
    static func temporaryDirectory(for test: XCTestCase) throws -> URL {
        let dir = try makeTemporaryDirectory()
        test.addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir
    }
}
