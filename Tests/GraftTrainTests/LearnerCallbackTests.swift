import Foundation
import GraftData
import GraftModels
import GraftNN
import GraftTensor
import GraftTrain
import GraftTestSupport
import XCTest

/// Logs every event with the learner state a callback sees, and can skip batches or stop the run.
final class EventLog: Callback {
    var events: [String] = []
    var skipTrainingBatches = false
    var stopAfterEpoch: Int?
    var gradientSeenAfterBackward = false

    func fitBegan(_ learner: Learner) throws { events.append("fit") }
    func epochBegan(_ learner: Learner) throws { events.append("epoch \(learner.epoch)") }
    func batchBegan(_ learner: Learner) throws {
        events.append("begin \(learner.stage.rawValue) \(learner.batchIndex)")
        if learner.stage == .train && skipTrainingBatches { learner.skipBatch = true }
    }
    func afterBackward(_ learner: Learner) throws {
        events.append("backward")
        gradientSeenAfterBackward = learner.optimizer.groups.flatMap(\.parameters).contains { $0.grad != nil }
    }
    func beforeOptimizerStep(_ learner: Learner) throws { events.append("step") }
    func batchEnded(_ learner: Learner) throws { events.append("end \(learner.stage.rawValue) \(learner.batchIndex)") }
    func validationEnded(_ learner: Learner) throws { events.append("validated \(learner.validationMetrics.samples)") }
    func epochEnded(_ learner: Learner) throws {
        events.append("epoch ended \(learner.history.epochs.count)")
        if learner.epoch == stopAfterEpoch { learner.requestStop() }
    }
    func fitEnded(_ learner: Learner) throws { events.append("fit ended") }
}

/// A learner subclass whose training step adds a penalty to the loss (the override route).
final class PenalisedLearner: Learner {
    var steps = 0
    override func computeStep(_ batch: LearnerBatch) throws -> StepOutput {
        steps += 1
        let output = try super.computeStep(batch)
        return StepOutput(loss: try output.loss + 10, logits: output.logits)
    }
}

/// The training object built from explicit parts, in memory: callback events, skipping, stopping, custom steps.
final class LearnerCallbackTests: XCTestCase {
    /// About 48 training / 24 validation Fashion-MNIST images at 32 px, batch 16, a from-scratch ResNet-18 with only
    /// `layer4` and the head in two Adam groups (the tutorial's 1e-4 / 1e-3).
    func makeLearner(as type: Learner.Type = Learner.self, epochs: Int = 1, callbacks: [Callback]) throws -> Learner {
        let (model, data) = try SmallFashion.modelAndData(trainImages: 48, validationImages: 24, seed: 7)
        let train = try DataLoader(dataset: data.train, transform: data.trainTransform, batchSize: 16, workers: 2, seed: 7)
        let validation = try DataLoader(dataset: data.validation, transform: data.evalTransform, batchSize: 16, shuffle: false, workers: 2)
        let optimizer = try Adam(groups: SmallFashion.layer4AndHead(of: model, layer4: 1e-4, head: 1e-3))
        return try type.init(model: model, trainLoader: train, validationLoader: validation, optimizer: optimizer,
                             schedule: .cosine(CosineAnnealingSchedule(tMax: epochs)), epochs: epochs, callbacks: callbacks, seed: 7)
    }

    func testEventsArriveInOrderWithTheStateTheyNeed() throws {
        let log = EventLog()
        let learner = try makeLearner(callbacks: [log])
        let directory = FileManager.default.currentDirectoryPath
        let before = try FileManager.default.contentsOfDirectory(atPath: directory)
        try learner.fit()
        let trainCount = learner.trainLoader.sampleCount, validationCount = learner.validationLoader.sampleCount
        let trainBatches = (trainCount + 15) / 16
        var expected = ["fit", "epoch 0"]
        // layer1–layer3 are frozen: their outputs are computed once (batches of 16), then training runs on them and
        // validation on cached outputs in batches of at least 64.
        expected += (1...trainBatches).map { "end cache \($0)" }
        expected += (1...(validationCount + 15) / 16).map { "end cache validation \($0)" }
        for batch in 1...trainBatches { expected += ["begin train \(batch)", "backward", "step", "end train \(batch)"] }
        expected += ["begin validate 1", "end validate 1", "validated \(validationCount)", "epoch ended 1", "fit ended"]
        XCTAssertEqual(log.events, expected)
        XCTAssertTrue(log.gradientSeenAfterBackward)
        XCTAssertEqual(learner.history.epochs.first?.phase, "layer4 + head")
        XCTAssertEqual(learner.trainMetrics.samples, trainCount)
        XCTAssertEqual(try learner.validationMetrics.confusionMatrix(classNames: learner.classes).total, validationCount)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory), before, "an in-memory run writes no files")
    }

    func testSkippedBatchesLeaveTheWeightsAloneAndAStopEndsTheRunAfterItsEpoch() throws {
        let log = EventLog()
        log.skipTrainingBatches = true
        log.stopAfterEpoch = 0
        let learner = try makeLearner(epochs: 3, callbacks: [log])
        let before = try learner.model.classifier.weight.clone()
        try learner.fit()
        XCTAssertTrue(try learner.model.classifier.weight.allClose(before, rtol: 0, atol: 0), "no step was taken")
        XCTAssertFalse(log.events.contains("step"))
        XCTAssertEqual(learner.history.epochs.count, 1, "the stop request ends the run after epoch 1")
        XCTAssertEqual(learner.trainMetrics.samples, 0)
        XCTAssertEqual(learner.runProgress.nextEpoch, 1)
    }

    func testCustomStepAsClosureAndAsOverride() throws {
        let closure = try makeLearner(callbacks: [])
        var calls = 0
        closure.trainingStep = { learner, batch in
            calls += 1
            let logits = try learner.forward(batch)
            return StepOutput(loss: try learner.loss(logits, batch.labels) * 0 + 5, logits: logits)
        }
        try closure.fit()
        XCTAssertEqual(calls, closure.trainLoader.batchCount)
        XCTAssertEqual(try XCTUnwrap(closure.history.epochs.first?.trainLoss), 5, accuracy: 1e-6, "the closure's loss is the one recorded")

        let reference = try makeLearner(callbacks: [])
        try reference.fit()
        let overridden = try makeLearner(as: PenalisedLearner.self, callbacks: [])
        try overridden.fit()
        XCTAssertEqual((overridden as? PenalisedLearner)?.steps, overridden.trainLoader.batchCount)
        let a = try XCTUnwrap(reference.history.epochs.first?.trainLoss), b = try XCTUnwrap(overridden.history.epochs.first?.trainLoss)
        XCTAssertEqual(b - a, 10, accuracy: 1e-4, "a constant penalty shifts the loss but not the gradients")
        XCTAssertEqual(reference.history.epochs.first?.validationAccuracy, overridden.history.epochs.first?.validationAccuracy)
    }

    func testGradientClippingBoundsTheGlobalNorm() throws {
        let clipping = try GradientClipping(maxNorm: 1e-3)
        final class NormProbe: Callback {
            var norms: [Double] = []
            func beforeOptimizerStep(_ learner: Learner) throws {
                let gradients = learner.optimizer.groups.flatMap(\.parameters).compactMap(\.grad)
                norms.append(try gradients.reduce(0.0) { $0 + (try ($1 * $1).sum().item()) }.squareRoot())
            }
        }
        let probe = NormProbe()
        let learner = try makeLearner(callbacks: [clipping, probe])
        try learner.fit()
        XCTAssertEqual(probe.norms.count, learner.trainLoader.batchCount)
        XCTAssertTrue(try XCTUnwrap(clipping.lastNorm) > 1e-3, "the unclipped norm exceeds the limit, so clipping acts")
        for norm in probe.norms { XCTAssertLessThanOrEqual(norm, 1e-3 * (1 + 1e-4)) }
        XCTAssertThrowsError(try GradientClipping(maxNorm: 0))
    }

    func testACallbackChangesARateAndTheScheduleScalesTheNewBase() throws {
        final class HalveHeadAfterFirstEpoch: Callback {
            func epochEnded(_ learner: Learner) throws {
                if learner.epoch == 0 { try learner.setBaseLearningRate(5e-4, forGroup: "head") }
            }
        }
        let learner = try makeLearner(epochs: 2, callbacks: [HalveHeadAfterFirstEpoch()])
        try learner.fit()
        let rates = learner.history.epochs.map(\.learningRates)
        let factor = 0.5 * (1 + cos(Double.pi / 2))  // cosine over 2 epochs at step 1
        XCTAssertEqual(rates[0], [1e-4, 1e-3])
        XCTAssertEqual(rates[1][0], 1e-4 * factor, accuracy: 1e-15)
        XCTAssertEqual(rates[1][1], 5e-4 * factor, accuracy: 1e-15, "the new base, scaled by the schedule")
        XCTAssertThrowsError(try learner.setBaseLearningRate(1e-3, forGroup: "layer1")) { XCTAssertTrue("\($0)".contains("trained groups are layer4, head")) }
    }

    func testOneCycleCyclesAdamsBeta1FromConstructionAndAcrossBatches() throws {
        final class Beta1Probe: Callback {
            var seen: [Double] = []
            func beforeOptimizerStep(_ learner: Learner) throws { seen.append(try XCTUnwrap(learner.optimizer as? Adam).beta1) }
        }
        let parts = try makeLearner(callbacks: [])
        let batches = 2 * parts.trainLoader.batchCount
        let oneCycle = try OneCycleSchedule(cycleSteps: batches)
        let probe = Beta1Probe()
        let learner = try Learner(model: parts.model, trainLoader: parts.trainLoader, validationLoader: parts.validationLoader,
                                  optimizer: parts.optimizer, schedule: .oneCycle(oneCycle), scheduleInterval: .batch, epochs: 2,
                                  callbacks: [probe], seed: 7)
        XCTAssertEqual(try XCTUnwrap(learner.optimizer as? Adam).beta1, 0.95, "set to the max momentum at construction")
        try learner.fit()
        XCTAssertEqual(probe.seen.count, batches)
        for (step, beta1) in probe.seen.enumerated() { XCTAssertEqual(beta1, oneCycle.momentum(step: step), accuracy: 1e-15, "batch \(step)") }
        XCTAssertGreaterThan(Set(probe.seen).count, 3, "beta1 changes across batches")
        XCTAssertEqual(try XCTUnwrap(learner.optimizer as? Adam).beta1, oneCycle.momentum(step: batches), accuracy: 1e-15)
    }

    func testTheSchedulesFirstStepAppliesWhenTheLearnerIsBuilt() throws {
        let parts = try makeLearner(callbacks: [])
        let learner = try Learner(model: parts.model, trainLoader: parts.trainLoader, validationLoader: parts.validationLoader,
                                  optimizer: parts.optimizer, schedule: .oneCycle(OneCycleSchedule(cycleSteps: 10)),
                                  scheduleInterval: .batch, epochs: 1)
        let rates = learner.optimizer.groups.map(\.learningRate)
        XCTAssertEqual(rates[0], 1e-4 / 25, accuracy: 1e-15, "one-cycle starts at max / divFactor, as OneCycleLR's constructor sets")
        XCTAssertEqual(rates[1], 1e-3 / 25, accuracy: 1e-15)
        XCTAssertEqual(learner.scheduler.baseLearningRates, [1e-4, 1e-3], "the groups' rates were the maxima")
    }

    func testMismatchedHeadAndEmptyPartsAreClearErrors() throws {
        let learner = try makeLearner(callbacks: [])
        try learner.model.replaceHead(numClasses: 3)
        XCTAssertThrowsError(try Learner(model: learner.model, trainLoader: learner.trainLoader, validationLoader: learner.validationLoader,
                                         optimizer: learner.optimizer, epochs: 1)) { error in
            XCTAssertTrue("\(error)".contains("replaceHead(numClasses: 10)"), "\(error)")
        }
        XCTAssertThrowsError(try learner.unfreeze("layer9", learningRate: 1e-4)) { error in
            XCTAssertTrue("\(error)".contains("groups are"), "\(error)")
        }
    }
}
