import Foundation
import GraftTensor
import GraftTestSupport
import GraftTrain
import XCTest

/// What the data-parallel CLI tests share: the quick training recipe with BatchNorm statistics frozen (per-rank batch
/// statistics would differ from one process's), workers started by hand as a scheduler would start them, and weight
/// comparisons between runs.
enum DistributedRuns {
    /// `TrainResumeExportTests.trainArguments` with `--bn frozen`.
    static func arguments(epochs: Int) -> [String] {
        TrainResumeExportTests.trainArguments(epochs: epochs) + ["--bn", "frozen"]
    }

    /// torchrun's variables for rank `rank` of `worldSize` processes meeting at 127.0.0.1:`port`, each alone on its node.
    static func environment(rank: Int, worldSize: Int, port: Int) -> [String: String] {
        ["MASTER_ADDR": "127.0.0.1", "MASTER_PORT": String(port), "RANK": String(rank), "WORLD_SIZE": String(worldSize)]
    }

    /// Runs `graft` once per entry at the same time (arguments and added environment) and returns each one's result,
    /// in order; each is killed past `timeLimit` seconds.
    static func runTogether(_ runs: [(arguments: [String], environment: [String: String])], timeLimit: TimeInterval) throws -> [Subprocess.Result] {
        try concurrently(runs.map { run in { try CLI.run(run.arguments, environment: run.environment, timeLimit: timeLimit) } })
    }

    /// Calls every body at the same time and returns their results in order (rethrowing the first error, in order).
    static func concurrently<T: Sendable>(_ bodies: [@Sendable () throws -> T]) throws -> [T] {
        let results = Results<T>(count: bodies.count)
        DispatchQueue.concurrentPerform(iterations: bodies.count) { index in
            results.set(index, Result { try bodies[index]() })
        }
        return try results.values.map { try $0!.get() }
    }

    /// Results filled in from several threads.
    private final class Results<T: Sendable>: @unchecked Sendable {
        // @unchecked: `stored` is only touched under `lock`.
        private let lock = NSLock()
        private var stored: [Result<T, Error>?]

        init(count: Int) { stored = Array(repeating: nil, count: count) }

        func set(_ index: Int, _ result: Result<T, Error>) {
            lock.lock()
            stored[index] = result
            lock.unlock()
        }

        var values: [Result<T, Error>?] {
            lock.lock()
            defer { lock.unlock() }
            return stored
        }
    }

    /// The epochs the run's last checkpoint records as done; 0 while none has been written.
    static func completedEpochs(_ run: URL) -> Int {
        (try? LoadedCheckpoint(contentsOf: lastCheckpoint(run)).metadata.progress.nextEpoch) ?? 0
    }

    /// The run's checkpoints/last.safetensors.
    static func lastCheckpoint(_ run: URL) -> URL { run.appendingPathComponent("checkpoints/last.safetensors") }

    /// The largest absolute difference between the weights (and buffers) of two runs' last checkpoints; infinity when
    /// one holds a NaN.
    static func maxWeightDifference(_ run: URL, _ reference: URL) throws -> Double {
        let expected = Dictionary(uniqueKeysWithValues: try LoadedCheckpoint(contentsOf: lastCheckpoint(reference)).model().stateDict())
        let actual = try LoadedCheckpoint(contentsOf: lastCheckpoint(run)).model().stateDict()
        XCTAssertEqual(actual.count, expected.count, "the two checkpoints hold different tensors")
        var worst = 0.0
        for (name, tensor) in actual {
            let difference = try (tensor - XCTUnwrap(expected[name], name)).abs().max().item()
            worst = difference.isNaN ? .infinity : max(worst, difference)
        }
        return worst
    }

    /// Waits up to `limit` seconds for `condition`; returns whether it came true.
    static func wait(upTo limit: TimeInterval, for condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(limit)
        while !condition() {
            guard Date() < deadline else { return false }
            usleep(20_000)
        }
        return true
    }
}
