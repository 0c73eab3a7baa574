import Foundation
import GraftTestSupport
import XCTest

/// Paths and the Python reference engine shared by the GraftIO tests.
enum TestSupport {
    /// The package root (three levels above this file).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The committed fixtures directory.
    static let fixtures = packageRoot.appendingPathComponent("Tests/GraftIOTests/Fixtures")

    /// A fresh empty temporary directory.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("graftio-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Skips the test (visibly) unless /usr/bin/python3 can import every module in `modules`.
    static func requirePython(modules: [String]) throws {
        try ReferencePython.require(modules: modules)
    }

    /// Runs `script` with /usr/bin/python3 and returns its exit status and standard output.
    static func runPython(_ script: String, arguments: [String]) throws -> (status: Int32, output: String) {
        let result = try ReferencePython.run(code: script, arguments: arguments)
        return (result.status, result.output)
    }

    /// Runs `script` and fails the test with its output unless it exits 0.
    static func runPythonChecked(_ script: String, arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let result = try runPython(script, arguments: arguments)
        XCTAssertEqual(result.status, 0, "python failed: \(result.output)", file: file, line: line)
        return result.output
    }
}
