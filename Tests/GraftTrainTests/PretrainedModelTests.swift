import Foundation
import GraftIO
import GraftModels
import GraftNN
import GraftTensor
import GraftTestSupport
import GraftTrain
import XCTest

/// Architecture name + weights file (or the installed asset) + number of classes → a model with a new head.
final class PretrainedModelTests: XCTestCase {
    func installedWeights(_ model: String) throws -> URL {
        guard let asset = OfflineAsset.weights(for: model) else {
            throw Prerequisite.missing("the offline \(model) weights are not installed (make setup)")
        }
        return asset.location
    }

    func testInstalledWeightsLoadAndTheHeadIsReplaced() throws {
        let weights = try installedWeights("mobilenet_v2")
        let reference = try PretrainedModel("mobilenet_v2", weights: weights, strict: true)
        XCTAssertEqual(reference.loadReport?.isExact, true)
        XCTAssertNil(reference.replacedHead)
        XCTAssertEqual(reference.model.classifier.outFeatures, 1000)

        Engine.manualSeed(1)
        let tuned = try PretrainedModel("mobilenet_v2", numClasses: 3)
        XCTAssertEqual(tuned.weights?.path, weights.path, "the installed asset is the default")
        XCTAssertEqual(tuned.loadReport?.loaded, 314)
        XCTAssertEqual(tuned.replacedHead?.inFeatures, 1280)
        XCTAssertEqual(tuned.replacedHead?.outFeatures, 1000)
        XCTAssertEqual(tuned.model.classifier.outFeatures, 3)
        XCTAssertEqual(tuned.summary, ["loaded 314 pretrained tensors from mobilenet_v2-b0353104.pth",
                                       "new head: Linear(1280 → 3) for your classes"])
        let backbone = { (model: ImageClassifier) in model.stateDict().first { $0.0 == "features.0.0.weight" }!.1 }
        XCTAssertTrue(try backbone(tuned.model).allClose(backbone(reference.model), rtol: 0, atol: 0), "the backbone keeps the pretrained weights")
    }

    func testEachEfficientNetLiteSizeDefaultsToItsOwnInstalledWeights() throws {
        for (name, file) in [("efficientnet_lite1", "efficientnet-lite1-77cc7160.pth"), ("efficientnet_lite2", "efficientnet-lite2-9656183e.pth")] {
            let weights = try installedWeights(name)
            let tuned = try PretrainedModel(name, numClasses: 3)
            XCTAssertEqual(tuned.weights?.path, weights.path, name)
            XCTAssertEqual(tuned.summary.first, "loaded 386 pretrained tensors from \(file)")
        }
        XCTAssertThrowsError(try PretrainedModel("efficientnet_lite2", weights: installedWeights("efficientnet_lite1"))) { error in
            XCTAssertTrue("\(error)".contains("does not fit efficientnet_lite2"), "\(error)")
        }
    }

    func testWeightsOfAnotherArchitectureAreRefusedByName() throws {
        let weights = try installedWeights("efficientnet_lite0")
        XCTAssertThrowsError(try PretrainedModel("mobilenet_v2", weights: weights)) { error in
            guard case TrainingError.invalidSetting("weights", let message) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(message.contains("does not fit mobilenet_v2"), message)
            XCTAssertTrue(message.contains("_conv_stem.weight"), "mismatches are listed by name: \(message)")
        }
        XCTAssertThrowsError(try PretrainedModel("resnet18", weights: nil)) { error in
            XCTAssertTrue("\(error)".contains("no pretrained weights for resnet18"), "\(error)")
        }
        XCTAssertThrowsError(try PretrainedModel("vgg16")) { error in
            XCTAssertTrue("\(error)".contains("unknown model 'vgg16'"), "\(error)")
        }
    }

    /// torchvision's DenseNet files use legacy names (`denselayer1.norm.1.weight`); `PretrainedModel` renames them.
    func testLegacyDenseNetNamesLoadExactly() throws {
        let weights = FileManager.default.temporaryDirectory.appendingPathComponent("graft-densenet-legacy-\(UUID().uuidString).pth")
        addTeardownBlock { try? FileManager.default.removeItem(at: weights) }
        let source = try Models.make("densenet121")
        let legacy = source.stateDict().filter { !$0.0.hasSuffix("num_batches_tracked") }.map { name, tensor in
            (name.replacing(/(denselayer\d+\.(?:norm|relu|conv))([12])\./) { "\($0.1).\($0.2)." }, tensor)
        }
        XCTAssertTrue(legacy.contains { $0.0 == "features.denseblock3.denselayer24.conv.2.weight" })
        try TorchPthWriter.write(StateDict(tensors: legacy), to: weights)
        let loaded = try PretrainedModel("densenet121", weights: weights, strict: true)
        XCTAssertEqual(loaded.loadReport?.isExact, true)
        XCTAssertEqual(loaded.loadReport?.loaded, legacy.count)
        let weight = { (model: ImageClassifier) in model.stateDict().first { $0.0 == "features.denseblock3.denselayer24.conv2.weight" }!.1 }
        XCTAssertTrue(try weight(loaded.model).allClose(weight(source), rtol: 0, atol: 0))
    }

    func testStrictLoadingRefusesAHeadOfAnotherSize() throws {
        let weights = FileManager.default.temporaryDirectory.appendingPathComponent("graft-r18-10classes-\(UUID().uuidString).pth")
        addTeardownBlock { try? FileManager.default.removeItem(at: weights) }
        try TorchPthWriter.write(StateDict(tensors: try Models.make("resnet18", numClasses: 10).stateDict()), to: weights)
        XCTAssertThrowsError(try PretrainedModel("resnet18", weights: weights, strict: true)) { error in
            guard case TrainingError.invalidSetting("weights", let message) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(message.contains("fc.weight: model [1000, 512], checkpoint [10, 512]"), message)
            XCTAssertTrue(message.contains("fc.bias: model [1000], checkpoint [10]"), message)
            XCTAssertTrue(message.contains("without a new head, the model needs the classifier's weights too"), message)
        }
        let tuned = try PretrainedModel("resnet18", weights: weights, numClasses: 10)
        XCTAssertEqual(tuned.loadReport?.shapeMismatches.map(\.name), ["fc.weight", "fc.bias"], "fine-tuning drops the head")
    }
}
