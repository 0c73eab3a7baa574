import Foundation
import GraftTestSupport
import GraftTrain
import XCTest

/// The launcher starts real worker processes (`/bin/sh` scripts): each is told its rank, its whole lines come back
/// tagged with it, a failing worker stops the others, and an interrupt reaches every worker and what it started.
final class WorkerLauncherTests: XCTestCase {
    /// Longest a launch in these tests may take; the workers that would run longer sleep 60 s.
    let timeLimit: TimeInterval = 30

    /// A launcher of two workers on this node running `/bin/sh -c script`, its lines collected into `lines`.
    func launcher(_ script: String, _ lines: LineCollector, gracePeriod: TimeInterval = 5) throws -> WorkerLauncher {
        let plan = try DistributedLaunch(processesPerNode: 2, masterPort: 0).plan()
        return WorkerLauncher(plan: plan, executable: URL(fileURLWithPath: "/bin/sh"), arguments: ["-c", script],
                              environment: ["PATH": "/usr/bin:/bin"], gracePeriod: gracePeriod, forwardsSignals: false,
                              output: { lines.append($0) })
    }

    /// Runs `launcher` on another thread, `whileRunning` on this one, and returns what `run()` threw (nil when it
    /// returned); past the time limit every worker's group is killed and the test fails.
    func outcome(of launcher: WorkerLauncher, whileRunning: () throws -> Void = {}) rethrows -> Error? {
        let result = LaunchResult()
        Thread.detachNewThread {
            do { try launcher.run() } catch { result.error = error }
            result.done.signal()
        }
        try whileRunning()
        if result.done.wait(timeout: .now() + timeLimit) == .timedOut {
            for pid in launcher.workerProcessIdentifiers.compactMap({ $0 }) { kill(-pid, SIGKILL) }
            XCTFail("the launch did not end within \(Int(timeLimit)) s")
            result.done.wait()
        }
        return result.error
    }

    /// Waits (at most the time limit) until `file` holds a process id, and returns it.
    func processID(in file: URL) throws -> pid_t {
        try XCTUnwrap(ProcessProbe.processID(in: file, within: timeLimit), "no process id appeared in \(file.path)")
    }

    func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("graft-launch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    func testEachWorkerIsToldItsPlaceAndItsWholeLinesComeBackTaggedWithItsRank() throws {
        let lines = LineCollector()
        // A line written in two pieces, a line on standard error, and a last line without a newline.
        let script = #"echo "$RANK $WORLD_SIZE $LOCAL_RANK $LOCAL_WORLD_SIZE $GROUP_RANK $MASTER_ADDR $MASTER_PORT $OMP_NUM_THREADS"; "#
            + #"printf 'par'; sleep 0.2; printf 'tial\n'; echo "to stderr" >&2; printf 'unterminated'"#
        let launch = try launcher(script, lines)
        XCTAssertNil(try outcome(of: launch))
        let threads = LaunchPlan.threadsPerWorker(processesPerNode: 2)
        for rank in 0..<2 {
            XCTAssertEqual(lines.texts(rank: rank, stream: .output),
                           ["\(rank) 2 \(rank) 2 0 127.0.0.1 \(launch.plan.masterPort) \(threads)", "partial", "unterminated"])
            XCTAssertEqual(lines.texts(rank: rank, stream: .error), ["to stderr"])
        }
        XCTAssertEqual(WorkerOutputLine(rank: 1, stream: .output, text: "epoch 1/3").prefixed, "[rank 1] epoch 1/3")
    }

    func testAFailingWorkerStopsTheOtherAndWhatItStarted() throws {
        let directory = try temporaryDirectory()
        // Rank 0 starts a background sleeper (not holding its output open) and waits; rank 1 fails once rank 0 is up.
        let script = """
            if [ "$RANK" = 0 ]; then sleep 60 > /dev/null 2>&1 & echo $! > "\(directory.path)/child.pid"; echo $$ > "\(directory.path)/rank0.pid"; wait; fi
            while [ ! -s "\(directory.path)/rank0.pid" ]; do sleep 0.05; done
            echo "giving up" >&2; exit 3
            """
        let lines = LineCollector()
        let error = try outcome(of: launcher(script, lines))
        XCTAssertEqual(error as? TrainingError, .workerFailed(WorkerExit(rank: 1, code: 3, killedBySignal: false)))
        XCTAssertEqual((error as? TrainingError)?.launcherExitStatus, 3)
        XCTAssertEqual(lines.texts(rank: 1, stream: .error), ["giving up"])
        let worker = try processID(in: directory.appendingPathComponent("rank0.pid"))
        let child = try processID(in: directory.appendingPathComponent("child.pid"))
        XCTAssertTrue(ProcessProbe.hasEnded(worker), "rank 0 was stopped")
        XCTAssertTrue(ProcessProbe.hasEnded(child), "the process rank 0 started was stopped with it")
    }

    func testAWorkerKilledByASignalIsReportedSo() throws {
        let script = #"if [ "$RANK" = 1 ]; then kill -KILL $$; fi; exec sleep 60"#
        let error = try outcome(of: launcher(script, LineCollector()))
        XCTAssertEqual(error as? TrainingError, .workerFailed(WorkerExit(rank: 1, code: SIGKILL, killedBySignal: true)))
        XCTAssertEqual((error as? TrainingError)?.launcherExitStatus, 137)
    }

    func testAWorkerIgnoringSIGTERMIsKilledAfterTheGracePeriod() throws {
        let ready = try temporaryDirectory().appendingPathComponent("ignoring")
        let script = """
            if [ "$RANK" = 0 ]; then trap '' TERM; touch "\(ready.path)"; while true; do sleep 0.1; done; fi
            while [ ! -e "\(ready.path)" ]; do sleep 0.05; done; exit 4
            """
        let error = try outcome(of: launcher(script, LineCollector(), gracePeriod: 1))
        XCTAssertEqual(error as? TrainingError, .workerFailed(WorkerExit(rank: 1, code: 4, killedBySignal: false)))
    }

    func testOutputHeldOpenByAProcessOutsideTheWorkersGroupDoesNotHoldTheLauncher() throws {
        let escaped = try temporaryDirectory().appendingPathComponent("escaped.pid")
        // Rank 0 leaves behind a process in a session of its own that keeps its standard output open.
        let script = #"if [ "$RANK" = 0 ]; then setsid sh -c 'echo $$ > "\#(escaped.path)"; exec sleep 60' & fi; echo done"#
        let lines = LineCollector()
        XCTAssertNil(try outcome(of: launcher(script, lines, gracePeriod: 1)))
        let pid = try processID(in: escaped)
        kill(pid, SIGKILL)
        XCTAssertEqual(lines.texts(rank: 1, stream: .output), ["done"])
        XCTAssertEqual(lines.texts(rank: 0, stream: .output), ["done"])
    }

    func testAWorkerThatCannotStartIsNamed() throws {
        let plan = try DistributedLaunch(processesPerNode: 2, masterPort: 0).plan()
        let launch = WorkerLauncher(plan: plan, executable: URL(fileURLWithPath: "/nonexistent/worker"), arguments: [],
                                    forwardsSignals: false, output: { _ in })
        let error = try outcome(of: launch)
        guard case .workerLaunchFailed(let rank, let reason)? = error as? TrainingError else { return XCTFail("\(String(describing: error))") }
        XCTAssertEqual(rank, 0)
        XCTAssertTrue(reason.contains("/nonexistent/worker"), reason)
        XCTAssertEqual(launch.workerProcessIdentifiers, [nil, nil], "no worker started after the first failed")
    }

    func testAnInterruptReachesEveryWorker() throws {
        let directory = try temporaryDirectory()
        let script = #"echo $$ > "\#(directory.path)/$RANK.pid"; exec sleep 60"#
        let launch = try launcher(script, LineCollector())
        var workers: [pid_t] = []
        let error = try outcome(of: launch) {
            workers = try (0..<2).map { try processID(in: directory.appendingPathComponent("\($0).pid")) }
            launch.interrupt(SIGTERM)
        }
        XCTAssertEqual(error as? TrainingError, .launchInterrupted(signal: SIGTERM))
        XCTAssertEqual(Set(workers), Set(launch.workerProcessIdentifiers.compactMap { $0 }), "exec kept the workers' ids")
        for pid in workers { XCTAssertTrue(ProcessProbe.hasEnded(pid), "worker \(pid) ended") }
    }
}

/// The lines a launcher passed on, from any thread.
final class LineCollector: @unchecked Sendable {
    // @unchecked: `lines` is only touched under `lock`.
    private let lock = NSLock()
    private var lines: [WorkerOutputLine] = []

    func append(_ line: WorkerOutputLine) {
        lock.lock()
        lines.append(line)
        lock.unlock()
    }

    /// The texts of one worker's stream, in order.
    func texts(rank: Int, stream: WorkerOutputLine.Stream) -> [String] {
        lock.lock()
        defer { lock.unlock() }
        return lines.filter { $0.rank == rank && $0.stream == stream }.map(\.text)
    }
}

/// What a launch on another thread threw, and when it ended.
private final class LaunchResult: @unchecked Sendable {
    // @unchecked: `error` is written before `done` is signalled and read after waiting on it.
    var error: Error?
    let done = DispatchSemaphore(value: 0)
}
