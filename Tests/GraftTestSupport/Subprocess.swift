import Foundation

/// Child processes with a time limit: every process a test starts is killed, and the test fails, when it runs too long.
public enum Subprocess {
    /// What a run printed and how it ended.
    public struct Result: Sendable {
        /// Exit status.
        public let status: Int32
        /// Standard output.
        public let output: String
        /// Standard error.
        public let errors: String
    }

    /// A run killed at its time limit, with what it had printed by then.
    public struct TimedOut: Error, CustomStringConvertible {
        /// The program and its arguments.
        public let command: String
        /// The limit in seconds.
        public let limit: TimeInterval
        /// The last lines of standard output and error.
        public let outputTail: String

        public var description: String { "\(command) was killed after running past its \(Int(limit)) s limit; it last printed:\n\(outputTail)" }
    }

    /// Runs `executable` with `arguments` to completion; past `timeLimit` seconds it is terminated (SIGTERM, then SIGKILL
    /// five seconds later) and the call throws `TimedOut`. `environment` entries are added to this process's.
    public static func run(_ executable: URL, arguments: [String], environment: [String: String] = [:],
                           timeLimit: TimeInterval) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        try process.run()
        // Both pipes drain on their own threads so neither can fill up and block the child.
        let outputData = PipeCollector(output.fileHandleForReading), errorData = PipeCollector(errors.fileHandleForReading)
        if exited.wait(timeout: .now() + timeLimit) == .timedOut {
            process.terminate()
            if exited.wait(timeout: .now() + 5) == .timedOut {
                kill(process.processIdentifier, SIGKILL)
                exited.wait()
            }
            let printed = String(decoding: outputData.finish() + errorData.finish(), as: UTF8.self)
            throw TimedOut(command: ([executable.path] + arguments).joined(separator: " "), limit: timeLimit,
                           outputTail: printed.split(separator: "\n").suffix(20).joined(separator: "\n"))
        }
        return Result(status: process.terminationStatus, output: String(decoding: outputData.finish(), as: UTF8.self),
                      errors: String(decoding: errorData.finish(), as: UTF8.self))
    }
}

/// Drains a pipe on a background thread.
private final class PipeCollector: @unchecked Sendable {
    // `data` is written by the reader thread before `done` is signalled and read only after waiting on it.
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    /// Everything the pipe delivered until it closed; call once.
    func finish() -> Data {
        done.wait()
        return data
    }
}
