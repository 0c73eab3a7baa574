import GraftNN
import GraftTensor
import GraftTestSupport
import GraftTrain
import XCTest

/// `Learner.batchNorm`: `.frozen` keeps a trained group's BatchNorm running statistics bit-identical while its affine
/// weight trains; `.train` updates the statistics (PyTorch's `model.train()`).
final class BatchNormPolicyTests: XCTestCase {
    private func fit(_ policy: FineTuneSettings.BatchNormPolicy) throws -> (statistics: Bool, weight: Bool) {
        let learner = try SmallFashionLearner.make(batchSize: 8)
        learner.batchNorm = policy
        let norm = try XCTUnwrap(learner.model.namedModules().lazy.compactMap { $0.1 as? BatchNorm2d }.first { $0.weight.requiresGrad },
                                 "layer4 trains and has batch norms")
        let (mean, variance, weight) = (try norm.runningMean.clone(), try norm.runningVar.clone(), try norm.weight.detached().clone())
        try learner.fit()
        let statisticsChanged = try !norm.runningMean.allClose(mean, rtol: 0, atol: 0) || !norm.runningVar.allClose(variance, rtol: 0, atol: 0)
        return (statisticsChanged, try !norm.weight.detached().allClose(weight, rtol: 0, atol: 0))
    }

    func testFrozenPolicyKeepsRunningStatisticsAndTrainsTheAffineWeights() throws {
        let frozen = try fit(.frozen)
        XCTAssertFalse(frozen.statistics, "frozen: running statistics stay the pretrained ones")
        XCTAssertTrue(frozen.weight, "frozen: the affine weight still trains")
        let trained = try fit(.train)
        XCTAssertTrue(trained.statistics, "train: batch statistics update the running ones")
        XCTAssertTrue(trained.weight)
    }

    func testFrozenPolicyPutsEveryBatchNormInEvaluationModeAndLeavesOtherLayersTraining() throws {
        let learner = try SmallFashionLearner.make(batchSize: 8)
        learner.model.trainUnfrozenParts(freezingBatchNormStatistics: true)
        let modules = learner.model.namedModules().map(\.1)
        XCTAssertTrue(modules.compactMap { $0 as? BatchNorm2d }.allSatisfy { !$0.isTraining })
        XCTAssertTrue(learner.model.classifier.isTraining, "the head trains")
        learner.model.trainUnfrozenParts()
        XCTAssertTrue(modules.compactMap { $0 as? BatchNorm2d }.contains { $0.isTraining }, "without the policy the trained group's norms train")
    }
}
