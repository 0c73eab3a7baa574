import Foundation

/// How one worker process ended.
public struct WorkerExit: Equatable, Sendable, CustomStringConvertible {
    /// The worker's global rank.
    public let rank: Int
    /// Its exit code, or the number of the signal that killed it.
    public let code: Int32
    /// Whether `code` is a signal number.
    public let killedBySignal: Bool

    /// A worker's ending.
    public init(rank: Int, code: Int32, killedBySignal: Bool) {
        self.rank = rank
        self.code = code
        self.killedBySignal = killedBySignal
    }

    /// Whether the worker succeeded (exit code 0).
    public var succeeded: Bool { !killedBySignal && code == 0 }

    /// The status a shell reports for it: the exit code, or 128 + the signal number.
    public var exitStatus: Int32 { killedBySignal ? 128 + code : code }

    /// "worker rank 1 exited with status 3" or "worker rank 1 was killed by SIGKILL".
    public var description: String {
        killedBySignal ? "worker rank \(rank) was killed by \(Self.signalName(code))" : "worker rank \(rank) exited with status \(code)"
    }

    /// "SIGTERM", "SIGINT", … or "signal N".
    public static func signalName(_ signal: Int32) -> String {
        let names: [Int32: String] = [SIGHUP: "SIGHUP", SIGINT: "SIGINT", SIGQUIT: "SIGQUIT", SIGABRT: "SIGABRT", SIGKILL: "SIGKILL",
                                      SIGSEGV: "SIGSEGV", SIGPIPE: "SIGPIPE", SIGTERM: "SIGTERM", SIGBUS: "SIGBUS", SIGILL: "SIGILL"]
        return names[signal] ?? "signal \(signal)"
    }
}

extension TrainingError {
    /// The status a launcher exits with for this error: a failed worker's (`WorkerExit.exitStatus`) or 128 + the
    /// signal that interrupted the launch; nil for other errors.
    public var launcherExitStatus: Int32? {
        switch self {
        case .workerFailed(let exit): return exit.exitStatus
        case .launchInterrupted(let signal): return 128 + signal
        default: return nil
        }
    }
}
