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
        let output = Pipe(), errors = Pipe()
        let (process, exited) = try launch(executable, arguments, environment, output: output, errors: errors)
        // Both pipes drain on their own threads so neither can fill up and block the child.
        let outputData = PipeCollector(output.fileHandleForReading), errorData = PipeCollector(errors.fileHandleForReading)
        if exited.wait(timeout: .now() + timeLimit) == .timedOut {
            stop(process.processIdentifier, exited: exited)
            let printed = String(decoding: outputData.finish() + errorData.finish(), as: UTF8.self)
            throw TimedOut(command: ([executable.path] + arguments).joined(separator: " "), limit: timeLimit,
                           outputTail: printed.split(separator: "\n").suffix(20).joined(separator: "\n"))
        }
        return Result(status: process.terminationStatus, output: String(decoding: outputData.finish(), as: UTF8.self),
                      errors: String(decoding: errorData.finish(), as: UTF8.self))
    }

    /// Starts `executable` with `arguments` without waiting, its output discarded (standard error into `errors` when
    /// given), for tests that watch or signal a running program. Past `timeLimit` seconds a watchdog stops it as `run` does, so it never outlives a test that
    /// loses track of it; a test should still kill it in its teardown.
    public static func start(_ executable: URL, arguments: [String], environment: [String: String] = [:],
                             errors: Pipe? = nil, timeLimit: TimeInterval) throws -> Process {
        let (process, exited) = try launch(executable, arguments, environment,
                                           output: FileHandle.nullDevice, errors: errors ?? FileHandle.nullDevice)
        let pid = process.processIdentifier
        Thread.detachNewThread {
            if exited.wait(timeout: .now() + timeLimit) == .timedOut { stop(pid, exited: exited) }
        }
        return process
    }

    /// Starts the process with `output` and `errors` (a `Pipe` or `FileHandle`) as its standard output and error;
    /// `exited` is signalled once it has ended.
    private static func launch(_ executable: URL, _ arguments: [String], _ environment: [String: String],
                               output: Any, errors: Any) throws -> (Process, exited: DispatchSemaphore) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = output
        process.standardError = errors
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        try process.run()
        return (process, exited)
    }

    /// Sends SIGTERM, then SIGKILL if the process has not ended five seconds later, and waits until it has.
    private static func stop(_ pid: pid_t, exited: DispatchSemaphore) {
        kill(pid, SIGTERM)
        if exited.wait(timeout: .now() + 5) == .timedOut {
            kill(pid, SIGKILL)
            exited.wait()
        }
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
