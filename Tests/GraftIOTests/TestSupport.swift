import Foundation
import XCTest

/// Paths and the Python reference engine shared by the GraftIO tests.
enum TestSupport {
    /// The package root (three levels above this file).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The committed fixtures directory.
    static let fixtures = packageRoot.appendingPathComponent("Tests/GraftIOTests/Fixtures")

    /// Debian's Python with torch; never the pyenv `python3` on PATH.
    static let python = "/usr/bin/python3"

    /// A fresh empty temporary directory.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("graftio-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Skips the test (visibly) unless /usr/bin/python3 can import every module in `modules`.
    static func requirePython(modules: [String]) throws {
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw XCTSkip("\(python) is missing; install python3-torch to run this parity test")
        }
        let check = try runPython("import " + modules.joined(separator: ", "), arguments: [])
        if check.status != 0 {
            throw XCTSkip("\(python) cannot import \(modules.joined(separator: ", ")); install python3-torch to run this parity test")
        }
    }

    /// Runs `script` with /usr/bin/python3 and returns its exit status and standard output.
    static func runPython(_ script: String, arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", script] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Runs `script` and fails the test with its output unless it exits 0.
    static func runPythonChecked(_ script: String, arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let result = try runPython(script, arguments: arguments)
        XCTAssertEqual(result.status, 0, "python failed: \(result.output)", file: file, line: line)
        return result.output
    }
}
