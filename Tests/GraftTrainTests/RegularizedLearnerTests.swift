import Foundation
import GraftData
import GraftModels
import GraftNN
import GraftTensor
import GraftTestSupport
import GraftTrain
import XCTest

/// Sees each training batch after mixing, and copies the weight average at every epoch that sets a new best.
final class BatchProbe: Callback {
    var batches: [(count: Int, stagesApplied: Int, targets: [Float]?)] = []
    var stages: Set<String> = []
    var notes: [String] = []
    var averageAtBest: [(String, Tensor)] = []

    func batchEnded(_ learner: Learner) throws { stages.insert(learner.stage.rawValue) }
    func prepareTrainingBatch(_ batch: LearnerBatch, for learner: Learner) throws -> LearnerBatch {
        batches.append((batch.count, batch.stagesApplied, try batch.softTargets?.floats()))
        return batch
    }
    func epochEnded(_ learner: Learner) throws {
        guard learner.lastEpochWasBest, let ema = learner.ema else { return }
        averageAtBest = try ema.entries.map { ($0.0, try $0.1.clone()) }
    }
    func received(_ message: LearnerMessage, from learner: Learner) { notes.append(message.text) }
}

/// Mixup/CutMix and the weight average inside real runs: Fashion-MNIST at 32 px with a from-scratch ResNet-18.
final class RegularizedLearnerTests: XCTestCase {
    func temporaryDirectory() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("graft-regularize-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    /// A learner from settings (48 training / 24 validation images, batch 16, one head epoch) checkpointing into
    /// `directory`, with `probe` among its callbacks.
    func makeTrainer(directory: URL, probe: BatchProbe, adjust: (inout FineTuneSettings) -> Void) throws -> (Learner, TrainingData, RunStore) {
        try SmallFashion.requireData()
        var settings = FineTuneSettings(epochs: 2, batchSize: 16, headEpochs: 1, workers: 2, imageSize: 32)
        adjust(&settings)
        let spec = DataSpec(source: "fashion-mnist", trainLimit: 48, validationLimit: 24)
        Engine.manualSeed(settings.seed)
        let model = try Models.make("resnet18", numClasses: 10)
        let data = try spec.load(config: model.pretrainedConfig, settings: settings)
        let store = try RunStore(directory: directory, data: spec)
        return (try Learner(model: model, data: data, settings: settings, callbacks: [CheckpointCallback(store: store), probe]), data, store)
    }

    /// A learner from explicit parts whose last training batch holds one image; `layer1`–`layer3` frozen (so cached).
    func makeMixingLearner(batchSize: ((Int) -> Int)? = nil, probe: BatchProbe) throws -> Learner {
        let (model, data) = try SmallFashion.modelAndData(trainImages: 30, validationImages: 20, seed: 9)
        let size = batchSize?(data.train.count) ?? data.train.count - 1
        let train = try DataLoader(dataset: data.train, transform: data.trainTransform, batchSize: size, workers: 2, seed: 9)
        let validation = try DataLoader(dataset: data.validation, transform: data.evalTransform, batchSize: 16, shuffle: false, workers: 2)
        let optimizer = try Adam(groups: SmallFashion.layer4AndHead(of: model, layer4: 1e-4, head: 1e-3))
        let mixing = try BatchMixing(mixupAlpha: 0.4, cutmixAlpha: 1, labelSmoothing: 0.1)
        return try Learner(model: model, trainLoader: train, validationLoader: validation, optimizer: optimizer, epochs: 1,
                           callbacks: [MixupCutmix(mixing: mixing, seed: 9), probe], seed: 9)
    }

    func testMixedTrainingUsesImagesSoftTargetsAndCountsTheOriginalLabels() throws {
        let probe = BatchProbe()
        let learner = try makeMixingLearner(probe: probe)
        let count = learner.trainLoader.sampleCount
        let history = try learner.fit()
        XCTAssertEqual(probe.batches.map(\.count), [count - 1, 1])
        XCTAssertEqual(probe.batches.map(\.stagesApplied), [0, 0], "mixed batches are images, never cached activations")
        let targets = try XCTUnwrap(probe.batches[0].targets)
        XCTAssertEqual(targets.count, (count - 1) * 10)
        for row in stride(from: 0, to: targets.count, by: 10) {
            XCTAssertEqual(Double(targets[row..<row + 10].reduce(0, +)), 1, accuracy: 1e-5, "each target row is a distribution")
        }
        XCTAssertLessThan(targets.max() ?? 1, 0.99, "every target mixes two labels (with smoothing)")
        XCTAssertNil(probe.batches[1].targets, "a last batch of one image has no partner and trains on its label")
        XCTAssertEqual(learner.trainMetrics.samples, count, "the metrics count every image against its own label")
        XCTAssertTrue(probe.notes.contains { $0.contains("mixed as images") }, "\(probe.notes)")
        XCTAssertTrue(probe.stages.contains("cache validation"), "validation activations are still cached")
        XCTAssertFalse(probe.stages.contains("cache"), "training activations are not")

        let again = try makeMixingLearner(probe: BatchProbe()).fit()
        XCTAssertEqual(again.epochs.map(\.trainLoss), history.epochs.map(\.trainLoss), "the same seed mixes the same way")
    }

    func testBatchesOfOneAreRefused() throws {
        let learner = try makeMixingLearner(batchSize: { _ in 1 }, probe: BatchProbe())
        XCTAssertThrowsError(try learner.fit()) { error in
            guard case TrainingError.invalidSetting(let setting, let message) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(setting, "mixup")
            XCTAssertTrue(message.contains("at least 2 images"), message)
        }
    }

    func testTheBestCheckpointHoldsTheAverageThatValidationUsed() throws {
        let probe = BatchProbe()
        let (learner, data, store) = try makeTrainer(directory: temporaryDirectory(), probe: probe) {
            $0.strategy = .head
            $0.ema = 0.9
        }
        let history = try learner.fit()
        XCTAssertTrue(probe.notes.contains { $0.contains("caching backbone features") }, "head epochs train and validate on cached features")
        let best = try LoadedCheckpoint(contentsOf: store.bestURL)
        XCTAssertEqual(best.weights.map(\.0), probe.averageAtBest.map(\.0))
        for ((name, saved), (_, average)) in zip(best.weights, probe.averageAtBest) {
            XCTAssertTrue(try saved.allClose(average, rtol: 0, atol: 0), "\(name) of the best checkpoint is the weight average")
        }
        let raw = try learner.model.classifier.weight.detached()
        let saved = try XCTUnwrap(best.weights.first { $0.0 == "fc.weight" }?.1)
        XCTAssertFalse(try raw.allClose(saved, rtol: 0, atol: 1e-4), "training went on with the raw weights")

        // Recomputing the whole network from the images with the best checkpoint reproduces the validation accuracy
        // the learner measured on cached features with the averaged weights.
        let predictions = try Evaluator.run(model: best.model(), dataset: data.validation, transform: data.evalTransform, batchSize: 64)
        let accuracy = Double(zip(predictions.labels, predictions.predicted).filter { $0 == $1 }.count) / Double(predictions.labels.count)
        XCTAssertEqual(accuracy, try XCTUnwrap(history.epochs[best.metadata.progress.bestEpoch].validationAccuracy), accuracy: 1e-9)

        let last = try LoadedCheckpoint(contentsOf: store.lastURL)
        XCTAssertEqual(last.averagedWeights.map(\.0), learner.model.stateDict().map(\.0), "the last checkpoint keeps the average for resuming")
        XCTAssertEqual(last.weights.map(\.0), learner.model.stateDict().map(\.0))
    }

    func testResumingWithMixingAndAnAverageContinuesExactly() throws {
        func adjust(_ settings: inout FineTuneSettings) {
            settings.mixup = 0.4
            settings.cutmix = 1
            settings.labelSmoothing = 0.1
            settings.ema = 0.9
        }
        let (reference, _, _) = try makeTrainer(directory: temporaryDirectory(), probe: BatchProbe(), adjust: adjust)
        let full = try reference.fit()

        let directory = temporaryDirectory()
        let probe = BatchProbe()
        let (first, _, firstStore) = try makeTrainer(directory: directory, probe: probe, adjust: adjust)
        first.epochs = 1
        try first.fit()
        let checkpoint = try LoadedCheckpoint(contentsOf: firstStore.lastURL)
        let (second, _, _) = try makeTrainer(directory: temporaryDirectory(), probe: BatchProbe(), adjust: adjust)
        try second.restore(from: checkpoint)
        let resumed = try second.fit()
        XCTAssertEqual(resumed.epochs.map(\.validationAccuracy), full.epochs.map(\.validationAccuracy))
        XCTAssertEqual(try XCTUnwrap(resumed.epochs.last?.trainLoss), try XCTUnwrap(full.epochs.last?.trainLoss), accuracy: 1e-6)
        for (what, resumedState, fullState) in [("weights", second.model.stateDict(), reference.model.stateDict()),
                                                ("average", try XCTUnwrap(second.ema).entries, try XCTUnwrap(reference.ema).entries)] {
            XCTAssertEqual(resumedState.map(\.0), fullState.map(\.0))
            for ((name, a), (_, b)) in zip(resumedState, fullState) {
                XCTAssertTrue(try a.allClose(b, rtol: 0, atol: 1e-6), "\(what) \(name) differs after resuming")
            }
        }

        var withoutAverage = checkpoint
        withoutAverage.averagedWeights = []
        let (third, _, _) = try makeTrainer(directory: temporaryDirectory(), probe: BatchProbe(), adjust: adjust)
        XCTAssertThrowsError(try third.restore(from: withoutAverage)) { error in
            XCTAssertTrue("\(error)".contains("holds none"), "\(error)")
        }
    }
}

/// The new settings' validation and their decoding from checkpoints written before they existed.
final class RegularizationSettingsTests: XCTestCase {
    func testBadValuesAreRefusedByName() {
        let cases: [(FineTuneSettings, String)] = [
            (FineTuneSettings(batchSize: 1, mixup: 0.2), "mixup"),
            (FineTuneSettings(batchSize: 1, cutmix: 1), "cutmix"),
            (FineTuneSettings(mixup: -0.1), "mixup"),
            (FineTuneSettings(cutmix: .infinity), "cutmix"),
            (FineTuneSettings(ema: 1), "ema"),
            (FineTuneSettings(ema: 0), "ema"),
            (FineTuneSettings(ema: -0.5), "ema"),
        ]
        for (settings, name) in cases {
            XCTAssertThrowsError(try settings.validate(), name) { error in
                guard case TrainingError.invalidSetting(let setting, let message) = error else { return XCTFail("\(error)") }
                XCTAssertEqual(setting, name)
                XCTAssertTrue(message.hasPrefix(name + " "), message)
            }
        }
        XCTAssertNoThrow(try FineTuneSettings(batchSize: 2, mixup: 0.2, cutmix: 1, ema: 0.999).validate())
    }

    func testSettingsSavedBeforeTheseKeysExistedDecodeWithTheirDefaults() throws {
        let current = FineTuneSettings(epochs: 4, mixup: 0.2, cutmix: 1, ema: 0.99)
        var object = try XCTUnwrap(JSONSerialization.jsonObject(with: JSONEncoder().encode(current)) as? [String: Any])
        XCTAssertEqual(try JSONDecoder().decode(FineTuneSettings.self, from: JSONSerialization.data(withJSONObject: object)), current)
        for key in ["mixup", "cutmix", "ema"] { object.removeValue(forKey: key) }
        let old = try JSONDecoder().decode(FineTuneSettings.self, from: JSONSerialization.data(withJSONObject: object))
        XCTAssertEqual(old, FineTuneSettings(epochs: 4))
    }
}
