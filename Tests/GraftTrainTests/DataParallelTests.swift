import Dispatch
import Foundation
import GraftDistributed
import GraftTensor
import GraftTestSupport
import GraftTrain
import XCTest

/// Two ranks (threads of this process, each with its own Gloo connection over loopback) training with
/// `DataParallel` take the same steps as one process on the same global batches: batches of 5 split 2 + 3, so the
/// ranks' gradients must be weighted by their samples. BatchNorm statistics are frozen (per-rank batch statistics
/// would differ from one process's, as they do under PyTorch's DDP).
final class DataParallelTests: XCTestCase {
    func learner(cacheFeatures: Bool = false) throws -> Learner {
        let learner = try SmallFashionLearner.make(trainImages: 40, batchSize: 5, cacheFeatures: cacheFeatures)
        learner.batchNorm = .frozen
        return learner
    }

    func testTwoRanksTakeTheStepsOfOneProcess() throws {
        try checkTwoRanksTakeTheStepsOfOneProcess(cacheFeatures: false)
    }

    /// The same with the frozen stages' outputs cached: each rank computes its share and the ranks exchange them.
    func testTwoRanksWithCachedFrozenStagesTakeTheStepsOfOneProcess() throws {
        try checkTwoRanksTakeTheStepsOfOneProcess(cacheFeatures: true)
    }

    func checkTwoRanksTakeTheStepsOfOneProcess(cacheFeatures: Bool) throws {
        let reference = try learner(cacheFeatures: cacheFeatures)
        try reference.fit()
        // Built one after the other: model initialisation draws from the process-wide generator.
        let ranks = UncheckedBox([try learner(cacheFeatures: cacheFeatures), try learner(cacheFeatures: cacheFeatures)])
        let port = try LoopbackPort.free()
        let outcomes = ThreadOutcomes(count: 2)
        DispatchQueue.concurrentPerform(iterations: 2) { rank in
            outcomes.set(rank, Result {
                let group = try ProcessGroup(masterAddress: "127.0.0.1", masterPort: port, rank: rank, worldSize: 2, timeout: 60)
                ranks.value[rank].dataParallel = try DataParallel(group: group)
                try ranks.value[rank].fit()
            })
        }
        for outcome in outcomes.values { try outcome.get() }

        let expected = Dictionary(uniqueKeysWithValues: reference.model.stateDict())
        for (rank, learner) in ranks.value.enumerated() {
            var worst = 0.0
            for (name, tensor) in learner.model.stateDict() {
                let difference = try (tensor - XCTUnwrap(expected[name])).abs().max().item()
                worst = difference.isNaN ? .infinity : max(worst, difference)
            }
            XCTAssertLessThan(worst, 1e-5, "rank \(rank): parameters after 8 steps differ from one process's by \(worst)")
            XCTAssertEqual(learner.trainMetrics.samples, 40, "training metrics count every rank's samples")
            XCTAssertEqual(learner.validationMetrics.samples, reference.validationMetrics.samples)
            XCTAssertEqual(learner.validationMetrics.accuracy, reference.validationMetrics.accuracy)
            XCTAssertEqual(learner.trainMetrics.meanLoss, reference.trainMetrics.meanLoss, accuracy: 1e-5)
            print("data-parallel rank \(rank)\(cacheFeatures ? " (cached)" : ""): max |parameter − one process's| = \(worst)")
        }
    }

    func testShareSplitsEachBatchContiguously() throws {
        let groups = [[0, 1, 2, 3, 4], [5]]
        let port = try LoopbackPort.free()
        let group = try ProcessGroup(masterAddress: "127.0.0.1", masterPort: port, rank: 0, worldSize: 1, timeout: 10)
        XCTAssertEqual(try DataParallel(group: group).share(of: groups), groups, "one rank keeps every batch")
        XCTAssertThrowsError(try DataParallel(group: group, bucketCapBytes: 0))
    }
}

/// Learners handed to the rank threads, each touching only its own.
final class UncheckedBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

/// Results written by concurrent threads, one slot each.
final class ThreadOutcomes: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [Result<Void, Error>]

    init(count: Int) { results = Array(repeating: .success(()), count: count) }

    func set(_ index: Int, _ result: Result<Void, Error>) {
        lock.lock()
        results[index] = result
        lock.unlock()
    }

    var values: [Result<Void, Error>] {
        lock.lock()
        defer { lock.unlock() }
        return results
    }
}
