import Foundation

/// Starts this node's workers of a distributed run — the same executable with the same arguments, each told its place
/// through torchrun's variables (`LaunchPlan.environment`) — and supervises them as torchrun does: each worker's
/// lines are shown prefixed with its rank, SIGINT/SIGTERM/SIGHUP to the launcher are passed on to every worker, and
/// when one worker fails the others are stopped (SIGTERM, then SIGKILL after `gracePeriod`).
///
/// Each worker runs in its own process group and signals go to the whole group, so processes a worker started end with
/// it.
public final class WorkerLauncher: @unchecked Sendable {
    // @unchecked: the mutable state below is only touched under `lock`.
    /// This node's workers and what they are told.
    public let plan: LaunchPlan
    /// The program every worker runs.
    public let executable: URL
    /// Its arguments, the same for every worker.
    public let arguments: [String]
    /// The environment the workers inherit, before their own variables are set.
    public let environment: [String: String]
    /// How long stopped workers get between SIGTERM and SIGKILL.
    public let gracePeriod: TimeInterval
    /// Whether `run()` catches SIGINT, SIGTERM and SIGHUP and passes them on (`interrupt`) while the workers run.
    public let forwardsSignals: Bool
    private let output: @Sendable (WorkerOutputLine) -> Void

    private let lock = NSLock()
    private let changed = DispatchSemaphore(value: 0)
    private var workers: [WorkerProcess?]
    private var exits: [WorkerExit?]
    private var failure: TrainingError?
    private var interruption: Int32?
    private var killDeadline: DispatchTime?

    /// A launcher of `plan`'s workers running `executable arguments`, with `environment` (this process's by default)
    /// as their base environment; every whole line they print goes to `output` (by default this process's standard
    /// output or error, prefixed "[rank K] ").
    public init(plan: LaunchPlan, executable: URL = WorkerLauncher.currentExecutable, arguments: [String],
                environment: [String: String] = ProcessInfo.processInfo.environment, gracePeriod: TimeInterval = 30,
                forwardsSignals: Bool = true,
                output: @escaping @Sendable (WorkerOutputLine) -> Void = WorkerOutputLine.writeToStandardStreams) {
        self.plan = plan
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
        self.gracePeriod = gracePeriod
        self.forwardsSignals = forwardsSignals
        self.output = output
        workers = Array(repeating: nil, count: plan.processesPerNode)
        exits = Array(repeating: nil, count: plan.processesPerNode)
    }

    /// This program's own executable, for a launcher that starts copies of itself.
    public static var currentExecutable: URL {
        Bundle.main.executableURL ?? URL(fileURLWithPath: "/proc/self/exe")
    }

    /// The process ids of the workers started so far (nil for one not started), by local rank.
    public var workerProcessIdentifiers: [pid_t?] {
        lock.lock()
        defer { lock.unlock() }
        return workers.map { $0?.pid }
    }

    /// Starts the workers and returns once every one has ended and its output has been passed on; call it once. Throws
    /// `TrainingError.workerFailed` for the first worker that failed (the others having been stopped),
    /// `.launchInterrupted` when a signal was passed on, or `.workerLaunchFailed` when a worker could not start.
    public func run() throws {
        let forwarding = forwardsSignals ? SignalForwarding { [weak self] in self?.interrupt($0) } : nil
        defer { forwarding?.stop() }
        var relays: [(WorkerOutputRelay, localRank: Int)] = []
        for localRank in 0..<plan.processesPerNode {
            guard let started = start(localRank) else { break }
            relays += started.map { ($0, localRank) }
        }
        superviseUntilAllEnded()
        finishOutput(relays)
        lock.lock()
        defer { lock.unlock() }
        if let failure { throw failure }
        if let interruption { throw TrainingError.launchInterrupted(signal: interruption) }
    }

    /// Passes `signal` on to every running worker's process group, as a launcher does with the signals it receives;
    /// a second call, or one after a worker failed, kills the workers (SIGKILL).
    public func interrupt(_ signal: Int32) {
        lock.lock()
        if interruption == nil && failure == nil {
            interruption = signal
            signalRunningWorkers(signal)
        } else {
            signalRunningWorkers(SIGKILL)
        }
        lock.unlock()
        changed.signal()
    }

    /// Starts worker `localRank` with its output relayed; nil when the launch is already stopping or the start failed
    /// (then the launch stops).
    private func start(_ localRank: Int) -> [WorkerOutputRelay]? {
        lock.lock()
        let stopping = failure != nil || interruption != nil
        lock.unlock()
        if stopping { return nil }
        let rank = plan.rank(localRank: localRank)
        let process: WorkerProcess
        do {
            process = try WorkerProcess(executable: executable, arguments: arguments,
                                        environment: plan.environment(localRank: localRank, inheriting: environment)) { [weak self] status in
                let ending = WorkerProcess.ending(status)
                self?.ended(localRank, WorkerExit(rank: rank, code: ending.code, killedBySignal: ending.killedBySignal))
            }
        } catch {
            lock.lock()
            if failure == nil { failure = .workerLaunchFailed(rank: rank, reason: "\(error)") }
            stopRunningWorkers()
            lock.unlock()
            return nil
        }
        lock.lock()
        workers[localRank] = process
        // A signal or failure that came while this worker was starting has not reached it yet.
        if exits[localRank] == nil, let stop = interruption ?? (failure != nil ? SIGTERM : nil) { signalGroup(process.pid, stop) }
        lock.unlock()
        return [WorkerOutputRelay(process.output, rank: rank, stream: .output, sink: output),
                WorkerOutputRelay(process.errors, rank: rank, stream: .error, sink: output)]
    }

    /// Records a worker's end; the first failure stops the others.
    private func ended(_ localRank: Int, _ exit: WorkerExit) {
        lock.lock()
        exits[localRank] = exit
        if !exit.succeeded && failure == nil && interruption == nil {
            failure = .workerFailed(exit)
            stopRunningWorkers()
        }
        lock.unlock()
        changed.signal()
    }

    /// Waits for every started worker to end, killing those still running once the grace period after a stop is over.
    private func superviseUntilAllEnded() {
        while true {
            lock.lock()
            let running = (0..<plan.processesPerNode).filter { workers[$0] != nil && exits[$0] == nil }
            if running.isEmpty {
                lock.unlock()
                return
            }
            if let deadline = killDeadline, DispatchTime.now() >= deadline {
                signalRunningWorkers(SIGKILL)
                killDeadline = .distantFuture
            }
            let wakeUp = killDeadline ?? .distantFuture
            lock.unlock()
            _ = changed.wait(timeout: wakeUp)
        }
    }

    /// Waits for every worker's output to close. A stream still open a grace period after the workers ended is held by
    /// a process a worker left behind: that worker's process group is killed; one still open a second later is held
    /// by a process outside the group (it left with `setsid`) and is abandoned, so the launcher never waits forever.
    private func finishOutput(_ relays: [(WorkerOutputRelay, localRank: Int)]) {
        let deadline = DispatchTime.now() + gracePeriod
        for (relay, localRank) in relays where !relay.finish(before: deadline) {
            lock.lock()
            if let worker = workers[localRank] { kill(-worker.pid, SIGKILL) }
            lock.unlock()
            _ = relay.finish(before: .now() + 1)
        }
    }

    /// SIGTERM to every running worker, SIGKILL after the grace period; call under `lock`.
    private func stopRunningWorkers() {
        signalRunningWorkers(SIGTERM)
        if killDeadline == nil { killDeadline = .now() + gracePeriod }
    }

    /// Sends `signal` to the process group of every started worker that has not ended; call under `lock`.
    private func signalRunningWorkers(_ signal: Int32) {
        for localRank in 0..<plan.processesPerNode where exits[localRank] == nil {
            if let worker = workers[localRank] { signalGroup(worker.pid, signal) }
        }
    }

    private func signalGroup(_ pid: pid_t, _ signal: Int32) {
        if kill(-pid, signal) != 0 { kill(pid, signal) }
    }
}
