import Foundation
import GraftData
import GraftModels
import GraftTensor
import GraftTestSupport
import GraftTrain
import XCTest

/// Data a learner cannot learn from is a clear `TrainingError` before or during `fit()`, never a crash or a silent
/// NaN record: a single class, a NaN validation loss, an epoch whose images are all unreadable.
final class LearnerBadDataTests: XCTestCase {
    /// A learner over ImageFolders `train` and `validation` at 32 px: a from-scratch ResNet-18 frozen but for its head.
    func makeLearner(train: URL, validation: URL, loss: LossFunction? = nil, cacheFeatures: Bool = true,
                     callbacks: [Callback] = []) throws -> Learner {
        let transform = try TransformPipeline.evalTransform(inputSize: 32, resizeSize: 32)
        let loader = { (root: URL, shuffle: Bool) in
            try DataLoader(dataset: AnyImageDataset(try ImageFolder(root: root.path)), transform: transform, batchSize: 4,
                           shuffle: shuffle, workers: 0)
        }
        let trainLoader = try loader(train, true), validationLoader = try loader(validation, false)
        Engine.manualSeed(7)
        let model = try Models.make("resnet18", numClasses: trainLoader.dataset.classes.count)
        try model.freeze()
        try model.setTrainable(true, matching: "fc")
        let optimizer = try Adam(groups: [ParameterGroup(name: "head", parameters: model.classifier.parameters(), learningRate: 1e-3)])
        return try Learner(model: model, trainLoader: trainLoader, validationLoader: validationLoader, optimizer: optimizer,
                           loss: loss ?? Learner.crossEntropy(), epochs: 1, callbacks: callbacks, cacheFeatures: cacheFeatures)
    }

    func folder(_ name: String, classes: [String] = ["cat", "dog"], readable: Bool = true) throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("graft-bad-data-\(UUID().uuidString)/\(name)")
        addTeardownBlock { try? FileManager.default.removeItem(at: root.deletingLastPathComponent()) }
        return try ImageFolderFixture.write(to: root, classes: classes, imagesPerClass: 3, readable: readable)
    }

    func testASingleClassIsRefusedBeforeTraining() throws {
        let cats = try folder("train", classes: ["cat"])
        XCTAssertThrowsError(try makeLearner(train: cats, validation: cats)) { error in
            XCTAssertEqual(error as? TrainingError, .tooFewClasses(["cat"]))
            XCTAssertTrue("\(error)".contains("at least two classes, but the data has 1 (cat)"), "\(error)")
        }
    }
}
