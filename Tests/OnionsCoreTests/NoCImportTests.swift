import Foundation
import XCTest

/// DESIGN section 8: OnionsCore imports no C library; C-backed primitives sit behind Swift APIs
/// in OnionsCrypto (and the store backends in OnionsStore). No source file of the module, in any
/// folder, imports a module whose name starts with "C", and the package gives the target no
/// such dependency.
final class NoCImportTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let sourceFolder = root.appendingPathComponent("Sources/OnionsCore")

    /// An import declaration, attributes and kinds (`import struct M.x`) included; group 1 is
    /// the module.
    static let importLine = try! NSRegularExpression(
        pattern: #"^\s*(?:@\w+(?:\([^)]*\))?\s+)*import\s+(?:(?:typealias|struct|class|enum|protocol|let|var|func)\s+)?(\w+)"#,
        options: [.anchorsMatchLines])

    /// The modules `code` imports, with their lines (line comments removed first).
    static func imports(_ code: String) -> [(module: String, line: Int)] {
        code.split(separator: "\n", omittingEmptySubsequences: false).enumerated().compactMap { index, raw in
            let line = String(raw.range(of: "//").map { raw[..<$0.lowerBound] } ?? raw)
            let range = NSRange(line.startIndex..., in: line)
            guard let match = importLine.firstMatch(in: line, range: range),
                  let module = Range(match.range(at: 1), in: line) else { return nil }
            return (String(line[module]), index + 1)
        }
    }

    func testTheCheckSeesImportsInTheirForms() {
        let found = Self.imports("""
        import CZlib
        @preconcurrency import CXML2
        @_implementationOnly import COpenSSL
        import struct CSQLite.sqlite3
        // import CNotReally
        import OnionsCrypto
        """).map(\.module)
        XCTAssertEqual(found, ["CZlib", "CXML2", "COpenSSL", "CSQLite", "OnionsCrypto"])
    }

    func testNoSourceFileOfOnionsCoreImportsACModule() throws {
        guard let walk = FileManager.default.enumerator(atPath: Self.sourceFolder.path) else {
            return XCTFail("cannot list \(Self.sourceFolder.path)")
        }
        let names = walk.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") }.sorted()
        XCTAssertTrue(names.contains("Files/Import/KDBXReader.swift"), "the check walks subfolders")
        XCTAssertGreaterThan(names.count, 50, "the check found the module's sources")
        var modules: Set<String> = []
        for name in names {
            let text = try String(contentsOf: Self.sourceFolder.appendingPathComponent(name), encoding: .utf8)
            for (module, line) in Self.imports(text) {
                modules.insert(module)
                if module.hasPrefix("C") { XCTFail("\(name):\(line) imports \(module)") }
            }
        }
        XCTAssertTrue(modules.contains("OnionsCrypto"), "the check reads import lines")
    }

    func testThePackageGivesOnionsCoreNoCDependency() throws {
        for manifest in ["Package.swift", "Fuzz/Package.swift"] {
            let text = try String(contentsOf: Self.root.appendingPathComponent(manifest), encoding: .utf8)
            guard let target = text.range(of: #"name: "OnionsCore""#),
                  let open = text[target.upperBound...].range(of: "dependencies: ["),
                  let close = text[open.upperBound...].firstIndex(of: "]") else {
                return XCTFail("\(manifest) declares no OnionsCore target with dependencies")
            }
            let dependencies = text[open.upperBound..<close].split(separator: ",")
                .map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " \"\n")) }
            XCTAssertTrue(dependencies.contains("OnionsCrypto"), "\(manifest): \(dependencies)")
            for dependency in dependencies where dependency.hasPrefix("C") {
                XCTFail("\(manifest): OnionsCore depends on \(dependency)")
            }
        }
    }
}
