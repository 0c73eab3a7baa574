import Foundation
import XCTest

/// Runs a snippet in Debian's /usr/bin/python3 (which has PIL) and returns its stdout; skips the test visibly when
/// the interpreter or a needed module is missing.
enum PythonProbe {
    static let interpreter = "/usr/bin/python3"

    static func run(_ script: String, arguments: [String] = [], needs modules: [String] = []) throws -> String {
        guard FileManager.default.isExecutableFile(atPath: interpreter) else {
            throw XCTSkip("\(interpreter) not found; install python3 to run this check")
        }
        for module in modules {
            guard try execute("import \(module)", arguments: []).status == 0 else {
                throw XCTSkip(
                    "\(interpreter) lacks the `\(module)` module (Debian package python3-\(module.lowercased()))")
            }
        }
        let result = try execute(script, arguments: arguments)
        guard result.status == 0 else {
            XCTFail("python failed (\(result.status)): \(result.errors)")
            return ""
        }
        return result.output
    }

    private static func execute(_ script: String, arguments: [String]) throws -> (
        status: Int32, output: String, errors: String
    ) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: interpreter)
        process.arguments = ["-c", script] + arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (
            process.terminationStatus, String(decoding: outputData, as: UTF8.self),
            String(decoding: errorData, as: UTF8.self)
        )
    }

    /// A fresh directory for the test's files.
    static func scratchDirectory(_ name: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("graft-report-tests/\(name)")
        try? FileManager.default.removeItem(at: url)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
