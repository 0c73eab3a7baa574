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

    func testANaNValidationLossStopsTheRunAndCheckpointsStillSaveIt() throws {
        let images = try folder("train")
        // Cross-entropy in training, NaN in validation (read from the learner the loss belongs to).
        weak var current: Learner?
        let nanInValidation: LossFunction = { logits, labels in
            let loss = try logits.crossEntropy(targets: labels)
            return current?.stage == .validate ? try loss * Double.nan : loss
        }
        let runs = images.deletingLastPathComponent()

        let guarded = try makeLearner(train: images, validation: images, loss: nanInValidation,
                                      callbacks: [NaNGuard(), CheckpointCallback(store: RunStore(directory: runs.appendingPathComponent("guarded"), data: nil))])
        current = guarded
        XCTAssertThrowsError(try guarded.fit()) { error in
            XCTAssertEqual(error as? TrainingError, .nonFiniteValidationLoss(epoch: 1))
        }
        XCTAssertTrue(guarded.history.epochs.isEmpty, "the NaN epoch is not recorded")

        let store = try RunStore(directory: runs.appendingPathComponent("unguarded"), data: nil)
        let unguarded = try makeLearner(train: images, validation: images, loss: nanInValidation, callbacks: [CheckpointCallback(store: store)])
        current = unguarded
        try unguarded.fit()
        let saved = try LoadedCheckpoint(contentsOf: store.lastURL).metadata.history.epochs
        XCTAssertEqual(saved.count, 1)
        XCTAssertEqual(saved.first?.validationLoss?.isNaN, true, "a NaN loss reads back as NaN")
        XCTAssertEqual(saved.first?.trainLoss?.isFinite, true)
    }

    func testAnEpochWithoutUsableImagesIsAClearError() throws {
        let good = try folder("good"), garbage = try folder("garbage", readable: false)
        for cacheFeatures in [true, false] {
            let noTraining = try makeLearner(train: garbage, validation: good, cacheFeatures: cacheFeatures)
            XCTAssertThrowsError(try noTraining.fit()) { error in
                guard case TrainingError.noUsableImages("training", 1, 6, let example) = error else { return XCTFail("\(error)") }
                XCTAssertTrue(example.contains(".png"), example)
                XCTAssertTrue("\(error)".contains("none of the training images could be used"), "\(error)")
            }
            let noValidation = try makeLearner(train: good, validation: garbage, cacheFeatures: cacheFeatures)
            XCTAssertThrowsError(try noValidation.fit()) { error in
                guard case TrainingError.noUsableImages("validation", 1, 6, _) = error else { return XCTFail("\(error)") }
            }
            XCTAssertTrue(noValidation.history.epochs.isEmpty, "no NaN record")
        }
    }
}
