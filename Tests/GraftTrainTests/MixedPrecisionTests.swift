import Foundation
import GraftIO
import GraftTensor
import GraftTestSupport
import GraftTrain
import XCTest

/// `Learner.precision` and `Learner.gradientScaler` on the small Fashion-MNIST problem: loss scaling that changes
/// nothing but the gradients' range, skipped steps on overflow, bfloat16 training end to end with float32 weights, and
/// float16 refused on a CPU that cannot autocast to it.
final class MixedPrecisionTests: XCTestCase {
    func testLossScalingLeavesTheUpdatesUnchanged() throws {
        let plain = try SmallFashionLearner.make(batchSize: 8)
        try plain.fit()
        let scaled = try SmallFashionLearner.make(batchSize: 8)
        scaled.gradientScaler = GradientScaler()
        try scaled.fit()
        let difference = try CheckpointRig.difference(scaled.model.stateDict(), StateDict(tensors: plain.model.stateDict()))
        XCTAssertEqual(difference.absolute, 0, "a power-of-two scale is undone exactly (\(difference.worstEntry))")
        XCTAssertEqual(scaled.gradientScaler?.skippedSteps, 0)
        XCTAssertEqual(scaled.gradientScaler?.growthTracker, 4, "four good steps counted")
    }

    func testAnOverflowedStepIsSkippedAndTheScaleBacksOff() throws {
        let counter = StepCounter()
        let learner = try SmallFashionLearner.make(batchSize: 32, callbacks: [OverflowingGradient(), counter])
        learner.batchNorm = .frozen
        let before = try StateDict(tensors: learner.model.stateDict())
        learner.gradientScaler = try GradientScaler(initialScale: 1024)
        try learner.fit()
        XCTAssertEqual(learner.trainLoader.batchCount, 1)
        XCTAssertEqual(counter.steps, 0, "no optimizer step (nor the callbacks before one) on overflowed gradients")
        XCTAssertEqual(learner.gradientScaler?.skippedSteps, 1)
        XCTAssertEqual(learner.gradientScaler?.scale, 512)
        let difference = try CheckpointRig.difference(learner.model.stateDict(), before)
        XCTAssertEqual(difference.absolute, 0, "weights untouched (\(difference.worstEntry))")
        XCTAssertTrue(try XCTUnwrap(learner.history.epochs[0].trainLoss).isFinite, "the reported loss is the unscaled one")
    }

    func testTheLossScaleIsCheckpointedAndRestored() throws {
        let directory = try PackagePaths.temporaryDirectory(for: self, prefix: "graft-loss-scale")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try RunStore(directory: directory, data: nil)
        let learner = try SmallFashionLearner.make(batchSize: 8, callbacks: [CheckpointCallback(store: store)])
        learner.gradientScaler = try GradientScaler(initialScale: 1024, growthInterval: 3)
        try learner.fit()
        let saved = try XCTUnwrap(learner.gradientScaler?.state)
        XCTAssertEqual(saved, GradientScaler.State(scale: 2048, growthTracker: 1, skippedSteps: 0), "4 good steps: grown once")

        let resumed = try SmallFashionLearner.make(batchSize: 8)
        resumed.precision = .fp16
        try resumed.restore(from: RunStore.newestResumableCheckpoint(in: directory) { XCTFail($0) })
        XCTAssertEqual(resumed.gradientScaler?.state, saved)
    }

    func testBFloat16TrainsWithFloat32WeightsAndACachedBackbone() throws {
        let referenceFirst = FirstBatchLoss(), first = FirstBatchLoss()
        let reference = try SmallFashionLearner.make(batchSize: 8, callbacks: [referenceFirst], cacheFeatures: true)
        try reference.fit()
        let learner = try SmallFashionLearner.make(batchSize: 8, callbacks: [first], cacheFeatures: true)
        learner.precision = .bf16
        XCTAssertNil(learner.gradientScaler, "bfloat16 needs no loss scaling")
        try learner.fit()
        let trainLoss = try XCTUnwrap(learner.history.epochs.first?.trainLoss)
        let referenceLoss = try XCTUnwrap(reference.history.epochs.first?.trainLoss)
        XCTAssertTrue(trainLoss.isFinite && learner.validationMetrics.meanLoss.isFinite)
        for (name, tensor) in learner.model.stateDict() where tensor.dtype.isFloatingPoint {
            XCTAssertEqual(tensor.dtype, .float32, "\(name): master weights stay float32")
        }
        let difference = try CheckpointRig.difference(learner.model.stateDict(), StateDict(tensors: reference.model.stateDict()))
        print("bf16 vs fp32 training, one epoch: max |Δ| \(difference.absolute), scaled \(difference.scaled) (\(difference.worstEntry));",
              "first batch's loss \(first.loss ?? .nan) vs \(referenceFirst.loss ?? .nan); epoch's \(trainLoss) vs \(referenceLoss)")
        XCTAssertGreaterThan(difference.absolute, 0, "bfloat16 computes differently")
        // Before any update only bfloat16's rounding separates the two; after a few steps at these high rates the runs
        // drift apart as any two differently rounded runs do.
        let firstLoss = try XCTUnwrap(first.loss), referenceFirstLoss = try XCTUnwrap(referenceFirst.loss)
        XCTAssertEqual(firstLoss, referenceFirstLoss, accuracy: 1e-2 * referenceFirstLoss)
        XCTAssertEqual(trainLoss, referenceLoss, accuracy: 0.15 * referenceLoss)
        XCTAssertFalse(isAutocastEnabled(on: .cpu), "autocast is off after the run")
    }

    func testFloat16AttachesAScalerAndTrainsOrIsRefusedWhereItCannotRun() throws {
        let learner = try SmallFashionLearner.make(batchSize: 8)
        learner.precision = .fp16
        XCTAssertEqual(learner.gradientScaler?.scale, 65_536)
        learner.precision = .fp32
        XCTAssertNil(learner.gradientScaler)
        learner.precision = .fp16
        guard Engine.version.hasPrefix("1.") else {
            // libtorch 2.4 and later autocast the CPU to float16 too: the scaled run trains.
            try learner.fit()
            XCTAssertTrue(try XCTUnwrap(learner.history.epochs.first?.trainLoss).isFinite)
            let scaler = try XCTUnwrap(learner.gradientScaler)
            XCTAssertEqual(scaler.growthTracker + scaler.skippedSteps, 4, "every step unscaled and counted")
            return
        }
        XCTAssertThrowsError(try learner.fit()) { XCTAssertTrue("\($0)".contains("bfloat16"), "\($0)") }
    }
}

/// The loss of the first training batch.
private final class FirstBatchLoss: Callback {
    var loss: Double?
    func batchEnded(_ learner: Learner) throws {
        if learner.stage == .train, loss == nil { loss = learner.batchLoss }
    }
}

/// Makes the head's bias gradient overflow after every backward pass, as a float16 gradient past 65,504 does.
private final class OverflowingGradient: Callback {
    func afterBackward(_ learner: Learner) throws {
        try withNoGrad { try XCTUnwrap(learner.model.classifier.parameters().last?.grad).mul_(Double.infinity) }
    }
}
