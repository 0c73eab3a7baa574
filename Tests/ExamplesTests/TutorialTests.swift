import Foundation
import Graft
import GraftTestSupport
import XCTest

/// Runs the code the DocC articles show on a small Fashion-MNIST PNG folder (50 training and 20 validation images per
/// class, 64 pixels), checking that each does what its article says.
final class TutorialTests: XCTestCase {
    /// The ImageFolder pair, written for each test; skips (or fails under GRAFT_REQUIRE_REFERENCE=1) without the data
    /// or the offline MobileNetV2 weights.
    func fashionFolder() throws -> (train: String, validation: String) {
        try OfflineWeights.require("mobilenet_v2")
        let folder = try FashionMNISTFolder.write(
            to: PackagePaths.temporaryDirectory(for: self, prefix: "graft-tutorial"), trainPerClass: 50, validationPerClass: 20)
        return (folder.train.path, folder.validation.path)
    }

    func testHandWrittenLoopKeepsTheBestCheckpointAsAPyTorchStateDict() throws {
        let data = try fashionFolder()
        let best = try PackagePaths.temporaryDirectory(for: self).appendingPathComponent("best.pth")
        let accuracy = try fineTuneByHand(trainDirectory: data.train, validationDirectory: data.validation, epochs: 2, bestCheckpoint: best)
        XCTAssertGreaterThanOrEqual(accuracy, 0.6, "measured 0.725 after two epochs on 500 images")
        let model = try Models.make("mobilenet_v2", numClasses: 10)
        let report = try model.load(stateDict: CheckpointReader.read(contentsOf: best).tensors())
        XCTAssertTrue(report.isExact, "the best checkpoint holds the whole fine-tuned model: \(report)")

        try ReferencePython.require(modules: ["torch", "torchvision"])
        let script = """
        import sys, torch, torchvision
        torchvision.models.mobilenet_v2(num_classes=10).load_state_dict(torch.load(sys.argv[1]), strict=True)
        """
        let python = try ReferencePython.run(code: script, arguments: [best.path])
        XCTAssertEqual(python.status, 0, "PyTorch loads the best checkpoint into torchvision's mobilenet_v2: \(python.errors)")
    }

    func testLearnerFromPartsFollowsThePhasesAndCheckpoints() throws {
        let data = try fashionFolder()
        let run = try PackagePaths.temporaryDirectory(for: self)
        let learner = try TutorialWithLearner.fromParts(
            trainDirectory: data.train, validationDirectory: data.validation, epochs: 2, runDirectory: run)
        XCTAssertEqual(learner.history.epochs.map(\.phase), ["head + stage6", "head + stage6 + stage5"])
        XCTAssertEqual(learner.history.epochs[0].learningRates, [1e-3, 1e-4], "two parameter groups with the tutorial's rates")
        XCTAssertGreaterThanOrEqual(learner.runProgress.bestAccuracy ?? 0, 0.6, "measured 0.715 after two epochs on 500 images")
        XCTAssertTrue(FileManager.default.fileExists(atPath: run.appendingPathComponent("checkpoints/best.safetensors").path))
    }

    func testLearnerFromSettingsRunsTheSamePlan() throws {
        let data = try fashionFolder()
        let learner = try TutorialWithLearner.fromSettings(
            trainDirectory: data.train, validationDirectory: data.validation, epochs: 2, runDirectory: PackagePaths.temporaryDirectory(for: self))
        XCTAssertEqual(learner.history.epochs.map(\.phase), ["head + stage6", "head + stage6 + stage5"])
        XCTAssertGreaterThanOrEqual(learner.runProgress.bestAccuracy ?? 0, 0.6, "measured 0.715, like the explicit parts")
    }

    func testCustomCallbacksRecordScaleAndUnfreeze() throws {
        let folder = try fashionFolder()
        var settings = FineTuneSettings()
        settings.epochs = 6
        settings.imageSize = 64
        Engine.manualSeed(settings.seed)
        var pretrained = try PretrainedModel("mobilenet_v2")
        let data = try DataSpec(source: folder.train, validation: folder.validation).load(config: pretrained.model.pretrainedConfig, settings: settings)
        try pretrained.replaceHead(numClasses: 10)
        var log = ""
        let learner = try learnerWithCustomCallbacks(model: pretrained.model, data: data, settings: settings) { log += $0 }
        try learner.fit()

        let recorder = try XCTUnwrap(learner.callbacks.lazy.compactMap { $0 as? BatchLossRecorder }.first)
        XCTAssertEqual(recorder.losses.count, 6 * 16, "one loss per training batch (500 images in batches of 32)")
        XCTAssertTrue(recorder.losses.allSatisfy(\.isFinite))
        let records = learner.history.epochs
        let stalled = records.indices.filter { $0 > 0 && records[$0].validationLoss! >= records[..<$0].compactMap(\.validationLoss).min()! }
        let plateau = try XCTUnwrap(learner.callbacks.lazy.compactMap { $0 as? ReduceOnPlateau }.first)
        XCTAssertEqual(plateau.factor, pow(0.5, Double(stalled.count)), "halved once per epoch without a lower validation loss")
        let notBest = (0..<5).filter { epoch in records[epoch].validationAccuracy! <= records[...epoch].dropLast().compactMap(\.validationAccuracy).max() ?? -1 }
        XCTAssertEqual(learner.trainedGroups, ["head"] + ["stage6", "stage5", "stage4", "stage3"].prefix(notBest.count),
                       "a group joins after each epoch but the last that was not the best:\n\(log)")
        XCTAssertFalse(learner.callbacks.contains { $0 is PhasedUnfreezing })
        XCTAssertNotNil(learner.callbacks.lazy.compactMap { $0 as? GradientClipping }.first?.lastNorm)
        XCTAssertNotNil(learner.trainingStep, "the label-smoothing step is in place")
        XCTAssertTrue(log.contains("epoch 6/6 ["), log)
    }

    func testTinyConvNetHasGroupsStagesAndTorchNames() throws {
        Engine.manualSeed(0)
        let model = try TinyConvNet(numClasses: 10)
        XCTAssertEqual(model.stageCount, 2)
        XCTAssertEqual(model.namedParameters().map(\.0).filter { $0.hasPrefix("fc") }, ["fc.weight", "fc.bias"])
        let images = try Tensor.randn([2, 3, 32, 32])
        XCTAssertEqual(try model.features(images).shape, [2, 32])
        XCTAssertEqual(try model(images).shape, [2, 10])
        try model.replaceHead(numClasses: 3)
        XCTAssertEqual(try model(images).shape, [2, 3])
        XCTAssertEqual(model.stateDict().first { $0.0 == "fc.weight" }?.1.shape, [3, 32], "the new head is saved under fc")
    }

    func testTinyConvNetTrainsFromScratchThenFineTunesFromItsWeights() throws {
        let folder = try fashionFolder()
        let spec = DataSpec(source: folder.train, validation: folder.validation)
        let data = try spec.load(config: TinyConvNet().pretrainedConfig, settings: FineTuneSettings())
        let weights = try PackagePaths.temporaryDirectory(for: self).appendingPathComponent("tiny.safetensors")
        let scratch = try TinyConvNetUses.trainFromScratch(data: data, epochs: 3, weights: weights)
        XCTAssertGreaterThanOrEqual(scratch.runProgress.bestAccuracy ?? 0, 0.35, "measured 0.46 (chance is 0.10)")
        let run = try PackagePaths.temporaryDirectory(for: self).appendingPathComponent("run")
        let tuned = try TinyConvNetUses.fineTune(weights: weights, spec: spec, epochs: 4, run: run)
        XCTAssertEqual(tuned.history.epochs.map(\.phase), ["head", "head + block", "head + block", "head + block"])
        XCTAssertGreaterThanOrEqual(tuned.runProgress.bestAccuracy ?? 0, 0.4, "measured 0.50; the head alone on the loaded features reaches 0.44")
        XCTAssertThrowsError(try Models.register(Architecture("Tiny-ConvNet") { try TinyConvNet(numClasses: $0) }), "the name is taken")

        // The checkpoint records the registered name, so it rebuilds the same network.
        let checkpoint = try LoadedCheckpoint(contentsOf: RunStore(directory: run, data: nil).lastURL)
        let reloaded = try XCTUnwrap(try checkpoint.model() as? TinyConvNet)
        let images = try Tensor.randn([2, 3, 32, 32])
        reloaded.eval()
        tuned.model.eval()
        let expected = try withNoGrad { try tuned.model(images) }
        XCTAssertLessThan(try (withNoGrad { try reloaded(images) } - expected).abs().max().item(), 1e-6, "the last checkpoint holds the final weights")
    }

    func testRecipeFindsTheHeadRateTrainsWithTheRecipeAndEvaluatesWithTTA() throws {
        let data = try fashionFolder()
        let run = try PackagePaths.temporaryDirectory(for: self)
        let outcome = try RecipeExample.run(trainDirectory: data.train, validationDirectory: data.validation, epochs: 2, runDirectory: run)
        for file in ["lr_find.svg", "lr_find.png", "lr_find.json", "checkpoints/best.safetensors"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: run.appendingPathComponent(file).path), "\(file) written")
        }
        let found = outcome.sweep.suggestedRate(fallback: FineTuneSettings().headLearningRate)
        XCTAssertGreaterThan(outcome.sweep.rates.count, 10, "the sweep ran")
        XCTAssertEqual(outcome.learner.settings?.headLearningRate, found, "the run trains the head at the finder's rate")
        XCTAssertEqual(outcome.learner.history.epochs.first?.learningRates.first ?? 0, found, accuracy: found * 1e-9)
        XCTAssertNotNil(outcome.learner.ema, "the weights are averaged")
        XCTAssertEqual(outcome.learner.history.epochs.count, 2)
        XCTAssertEqual(outcome.predictions.labels.count, 200, "every validation image evaluated")
        let correct = zip(outcome.predictions.labels, outcome.predictions.predicted).filter { $0 == $1 }.count
        XCTAssertGreaterThanOrEqual(Double(correct) / 200, 0.4, "measured 0.485 (two epochs of strong regularization on 500 images); chance is 0.1")
    }

    func testDevicesArticleTrainsInBFloat16WithFloat32Weights() throws {
        let data = try fashionFolder()
        let (learner, logits) = try DevicesExample.run(trainDirectory: data.train, validationDirectory: data.validation, epochs: 1)
        XCTAssertEqual(learner.precision, .bf16)
        XCTAssertEqual(learner.history.epochs.count, 1)
        let accuracy = try XCTUnwrap(learner.history.epochs.first?.validationAccuracy)
        XCTAssertGreaterThanOrEqual(accuracy, 0.4, "one head epoch on 500 images; chance is 0.1")
        for (name, tensor) in learner.model.stateDict() where tensor.dtype.isFloatingPoint {
            XCTAssertEqual(tensor.dtype, .float32, "\(name) stays float32")
        }
        XCTAssertEqual(logits.dtype, .bfloat16)
        XCTAssertEqual(logits.shape, [2, 10])
    }
}
