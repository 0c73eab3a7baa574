import Foundation
import XCTest

/// Debian's Python (python3-torch, torchvision, PIL, scikit-learn), the reference the parity tests compare with.
/// Never the `python3` first on PATH, which may be another interpreter without those modules.
public enum ReferencePython {
    /// The interpreter's path.
    public static let interpreter = "/usr/bin/python3"

    /// What a run printed and how it ended.
    public struct Result: Sendable {
        /// Exit status.
        public let status: Int32
        /// Standard output.
        public let output: String
        /// Standard error.
        public let errors: String
    }

    /// Runs the interpreter with `arguments` (a script path and its arguments, or `-c CODE …`) to completion.
    public static func run(_ arguments: [String]) throws -> Result {
        guard FileManager.default.isExecutableFile(atPath: interpreter) else {
            throw unavailable("\(interpreter) is missing; install python3-torch to run this parity check")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: interpreter)
        process.arguments = arguments
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // Read standard error on another thread so neither pipe can fill up and block the child.
        let errorData = ErrorCollector(errors.fileHandleForReading)
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, output: String(decoding: outputData, as: UTF8.self),
                      errors: String(decoding: errorData.finish(), as: UTF8.self))
    }

    /// Runs `code` with `arguments` in `sys.argv[1:]`.
    public static func run(code: String, arguments: [String] = []) throws -> Result {
        try run(["-c", code] + arguments)
    }

    /// Skips the test (visibly) unless every module imports; fails it instead under `GRAFT_REQUIRE_REFERENCE=1`.
    public static func require(modules: [String]) throws {
        let check = try run(code: "import " + modules.joined(separator: ", "))
        if check.status != 0 {
            throw unavailable("\(interpreter) cannot import \(modules.joined(separator: ", ")) (Debian python3-torch, python3-torchvision, python3-pil, python3-sklearn)")
        }
    }

    /// Whether a missing reference engine fails the tests (`GRAFT_REQUIRE_REFERENCE=1`, which CI sets) instead of
    /// skipping them.
    public static var isRequired: Bool { ProcessInfo.processInfo.environment["GRAFT_REQUIRE_REFERENCE"] == "1" }

    /// The error for a missing reference engine: a skip, or a failure when the reference is required.
    public static func unavailable(_ reason: String) -> Error {
        isRequired ? Unavailable(reason: reason) : XCTSkip(reason)
    }

    /// Thrown when the reference engine is missing but `GRAFT_REQUIRE_REFERENCE=1` demands it.
    public struct Unavailable: Error, CustomStringConvertible {
        /// What is missing and how to install it.
        public let reason: String
        /// The reason, prefixed with why it fails.
        public var description: String { "GRAFT_REQUIRE_REFERENCE=1 but the reference is unavailable: \(reason)" }
    }
}

/// Drains a pipe on a background thread.
private final class ErrorCollector: @unchecked Sendable {
    // `data` is written by the reader thread before `done` is signalled and read only after waiting on it.
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    func finish() -> Data {
        done.wait()
        return data
    }
}
