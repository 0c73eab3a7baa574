import Foundation
import GraftData
import GraftModels
import GraftNN
import GraftReport
import GraftTensor
import GraftTrain
import GraftTestSupport
import XCTest

/// Records what the learner reports.
final class RecordingCallback: Callback {
    var notes: [String] = []
    var warnings: [String] = []
    var records: [EpochRecord] = []
    /// Called after each epoch (its checkpoints are written by then).
    var afterEpoch: (Int) -> Void = { _ in }
    func received(_ message: LearnerMessage, from learner: Learner) {
        switch message.kind {
        case .note: notes.append(message.text)
        case .warning: warnings.append(message.text)
        }
    }
    func epochEnded(_ learner: Learner) throws {
        guard let record = learner.history.epochs.last else { return }
        records.append(record)
        afterEpoch(record.epoch)
    }
}

/// The learner built from settings, on a small Fashion-MNIST subset with a ResNet-18 at 32 px, with checkpoints.
final class LearnerSettingsTests: XCTestCase {
    func makeTrainer(epochs: Int = 3, directory: URL, cache: Bool = true, adjust: (inout FineTuneSettings) -> Void = { _ in }) throws -> (Learner, RecordingCallback, RunStore) {
        guard FileManager.default.fileExists(atPath: DataSpec.fashionMNISTDirectory) else {
            throw Prerequisite.missing("Debian's dataset-fashion-mnist is not installed")
        }
        var settings = FineTuneSettings()
        settings.epochs = epochs
        settings.batchSize = 16
        settings.headEpochs = 1
        settings.imageSize = 32
        settings.workers = 2
        settings.cacheFeatures = cache
        settings.strategy = .progressive
        settings.unfreezeDepth = 2
        adjust(&settings)
        let spec = DataSpec(source: "fashion-mnist", trainLimit: 80, validationLimit: 40)
        Engine.manualSeed(settings.seed)
        let model = try Models.make("resnet18", numClasses: 10)
        let data = try spec.load(config: model.pretrainedConfig, settings: settings)
        let recorder = RecordingCallback()
        let store = try RunStore(directory: directory, data: spec)
        let learner = try Learner(model: model, data: data, settings: settings, callbacks: [CheckpointCallback(store: store), recorder])
        return (learner, recorder, store)
    }

    func temporaryDirectory() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("graft-trainer-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    func snapshot(_ module: Module, prefixes: [String]) throws -> [String: [Float]] {
        var values: [String: [Float]] = [:]
        for (name, tensor) in module.stateDict() where prefixes.contains(where: { name.hasPrefix($0) }) && tensor.dtype == .float32 {
            values[name] = try tensor.detached().scalars(as: Float.self)
        }
        return values
    }

    func testProgressiveRunLeavesFrozenGroupsBitIdenticalAndUnfreezesOnSchedule() throws {
        let directory = temporaryDirectory()
        let (trainer, observer, store) = try makeTrainer(directory: directory)
        let frozen = ["conv1.", "bn1.", "layer1.", "layer2."]
        let before = try snapshot(trainer.model, prefixes: frozen)
        let headBefore = try trainer.model.classifier.weight.detached().scalars(as: Float.self)
        try trainer.fit()
        XCTAssertEqual(try snapshot(trainer.model, prefixes: frozen), before, "frozen weights and BatchNorm statistics must not change")
        XCTAssertNotEqual(try trainer.model.classifier.weight.detached().scalars(as: Float.self), headBefore)
        XCTAssertEqual(observer.records.map(\.phase), ["head", "head + layer4", "head + layer4 + layer3"])
        XCTAssertEqual(observer.records.map(\.learningRates.count), [1, 2, 3])
        XCTAssertEqual(observer.records[1].learningRates[1] / observer.records[1].learningRates[0], 0.1, accuracy: 1e-9,
                       "layer4 keeps a tenth of the head's rate through the schedule")
        XCTAssertTrue(observer.notes.contains { $0.contains("caching backbone features") })
        for url in [store.bestURL, store.lastURL] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: url.path))
        }
        let last = try LoadedCheckpoint(contentsOf: store.lastURL)
        XCTAssertEqual(last.metadata.progress.nextEpoch, 3)
        XCTAssertEqual(last.metadata.optimizerGroups, ["head", "layer4", "layer3"])
        XCTAssertFalse(last.optimizerState.tensors.isEmpty)
        XCTAssertFalse(last.optimizerState.tensors.contains { $0.0.hasPrefix("0.") == false && $0.0.hasPrefix("1.") == false && $0.0.hasPrefix("2.") == false })
    }

    /// The default strategy, `auto`, is resolved for the data when the learner is built: 80 images × 1 epoch at 32 of
    /// 224 px is a small run, so the whole network trains from the first epoch, and the checkpoint records `full`.
    func testAutoStrategyIsResolvedForTheDataAndSaved() throws {
        let directory = temporaryDirectory()
        let (learner, observer, store) = try makeTrainer(epochs: 1, directory: directory) {
            $0.strategy = .auto
            $0.headEpochs = nil  // head epochs would ask for progressive unfreezing
        }
        XCTAssertEqual(learner.settings?.strategy, .full)
        try learner.fit()
        XCTAssertEqual(observer.records.map(\.phase), ["head + layer4 + layer3 + layer2 + layer1 + stem"])
        XCTAssertEqual(try LoadedCheckpoint(contentsOf: store.lastURL).metadata.settings?.strategy, .full)
    }

    func testHeadEpochOnCachedFeaturesMatchesRecomputingTheBackbone() throws {
        let (cached, _, _) = try makeTrainer(epochs: 1, directory: temporaryDirectory(), cache: true)
        let (direct, _, _) = try makeTrainer(epochs: 1, directory: temporaryDirectory(), cache: false)
        let a = try cached.fit(), b = try direct.fit()
        XCTAssertEqual(try XCTUnwrap(a.epochs.first?.validationAccuracy), try XCTUnwrap(b.epochs.first?.validationAccuracy), accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(a.epochs.first?.validationLoss), try XCTUnwrap(b.epochs.first?.validationLoss), accuracy: 1e-4)
    }

    func testResumedRunEndsWhereTheUninterruptedOneDoes() throws {
        let (reference, _, _) = try makeTrainer(epochs: 3, directory: temporaryDirectory())
        let full = try reference.fit()

        // An identical run whose last checkpoint after epoch 2 is kept, as if the process had died in epoch 3.
        let directory = temporaryDirectory()
        let (first, firstObserver, firstStore) = try makeTrainer(epochs: 3, directory: directory)
        let saved = directory.appendingPathComponent("after-epoch-2.safetensors")
        firstObserver.afterEpoch = { epoch in
            if epoch == 2 { try? FileManager.default.copyItem(at: firstStore.lastURL, to: saved) }
        }
        try first.fit()
        let checkpoint = try LoadedCheckpoint(contentsOf: saved)
        let (second, observer, _) = try makeTrainer(epochs: 3, directory: temporaryDirectory())
        try second.restore(from: checkpoint)
        let resumed = try second.fit()
        XCTAssertTrue(observer.notes.contains { $0.contains("resumed after epoch 2") })
        XCTAssertEqual(resumed.epochs.count, 3)
        XCTAssertEqual(resumed.epochs.last?.validationAccuracy, full.epochs.last?.validationAccuracy)
        XCTAssertEqual(try XCTUnwrap(resumed.epochs.last?.trainLoss), try XCTUnwrap(full.epochs.last?.trainLoss), accuracy: 1e-5)
    }

    func testDivergingLossStopsTheRunAndKeepsTheLastGoodCheckpoint() throws {
        let directory = temporaryDirectory()
        let (trainer, _, store) = try makeTrainer(epochs: 2, directory: directory) { settings in
            settings.phases = [Phase(atEpoch: 0, unfreeze: ["head"], learningRate: 1e-3),
                               Phase(atEpoch: 1, unfreeze: ["layer4"], learningRate: 1e30)]
        }
        XCTAssertThrowsError(try trainer.fit()) { error in
            guard case TrainingError.nonFiniteLoss(let epoch, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(epoch, 2)
            XCTAssertTrue("\(error)".contains("last good checkpoint"))
        }
        let last = try LoadedCheckpoint(contentsOf: store.lastURL)
        XCTAssertEqual(last.metadata.progress.nextEpoch, 1)
        XCTAssertTrue(try last.model().classifier.weight.isFinite())
    }

    func testPitfallsAreWarnedAboutBeforeTraining() throws {
        let (learner, _, _) = try makeTrainer(epochs: 2, directory: temporaryDirectory()) { settings in
            settings.strategy = .full
            settings.backboneLearningRate = 1e-2
            settings.batchSize = 4
            settings.batchNorm = .train
            settings.mean = [0.5, 0.5, 0.5]
        }
        let text = learner.pitfalls.joined(separator: "\n")
        XCTAssertTrue(text.contains("lr 0.01 (> 1e-3)"), text)
        XCTAssertTrue(text.contains("batch size 4 is below 8"), text)
        XCTAssertTrue(text.contains("every layer trains from epoch 0"), text)
        XCTAssertTrue(text.contains("normalization mean [0.5, 0.5, 0.5] differs"), text)
        let (quiet, _, _) = try makeTrainer(epochs: 2, directory: temporaryDirectory())
        XCTAssertEqual(quiet.pitfalls, [])
        let (frozenStatistics, _, _) = try makeTrainer(epochs: 2, directory: temporaryDirectory()) { settings in
            settings.strategy = .full
            settings.batchSize = 4
        }
        XCTAssertFalse(frozenStatistics.pitfalls.joined().contains("below 8"), "BatchNorm statistics that stay frozen need no large batch")
    }

    func testRecipeSettingsReachTheLearner() throws {
        let (learner, _, _) = try makeTrainer(epochs: 2, directory: temporaryDirectory()) { settings in
            settings.schedule = .onecycle
            settings.batchNorm = .train
            settings.accumulateBatches = 2
            settings.clipGradNorm = 2
        }
        XCTAssertEqual(learner.batchNorm, .train)
        XCTAssertEqual(learner.accumulateBatches, 2)
        XCTAssertFalse(learner.decayNormAndBias, "norms and biases are exempt from weight decay by default")
        XCTAssertEqual(learner.callbacks.compactMap { $0 as? GradientClipping }.map(\.maxNorm), [2])
        XCTAssertEqual(learner.trainLoader.batchCount, 5)
        XCTAssertEqual(learner.scheduler.schedule.totalSteps, 6, "one-cycle spans optimizer steps: 2 epochs of 5 batches, 2 per step")
        try learner.fit()
        XCTAssertEqual(learner.scheduler.stepCount, 6)
        let head = try XCTUnwrap(learner.optimizer.groups.first)
        XCTAssertEqual(head.decayExempt, [1], "the head's bias takes no weight decay, its weight does")
        XCTAssertEqual(head.weightDecay, 1e-4)
    }
}
