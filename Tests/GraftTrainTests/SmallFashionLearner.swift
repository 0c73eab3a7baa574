import Foundation
import GraftData
import GraftModels
import GraftTensor
import GraftTestSupport
import GraftTrain

/// The small problem the learner tests train: a from-scratch ResNet-18 (seeded) on a few Fashion-MNIST images at
/// 32 px, everything frozen but `layer4` and the head.
enum SmallFashion {
    /// Throws `Prerequisite.missing` without Debian's dataset-fashion-mnist.
    static func requireData() throws {
        guard FileManager.default.fileExists(atPath: DataSpec.fashionMNISTDirectory) else {
            throw Prerequisite.missing("Debian's dataset-fashion-mnist is not installed")
        }
    }

    /// A fresh ResNet-18 seeded with `seed` and about `trainImages` / `validationImages` images for it.
    static func modelAndData(trainImages: Int, validationImages: Int, seed: UInt64) throws -> (ImageClassifier, TrainingData) {
        try requireData()
        Engine.manualSeed(seed)
        let model = try Models.make("resnet18", numClasses: 10)
        let data = try DataSpec(source: "fashion-mnist", trainLimit: trainImages, validationLimit: validationImages)
            .load(config: model.pretrainedConfig, settings: FineTuneSettings(imageSize: 32))
        return (model, data)
    }

    /// Freezes `model` but `layer4` and the head, returned as two parameter groups at these rates.
    static func layer4AndHead(of model: ImageClassifier, layer4: Double, head: Double) throws -> [ParameterGroup] {
        try model.freeze()
        try model.setTrainable(true, matching: "layer4")
        try model.setTrainable(true, matching: "fc")
        return [
            ParameterGroup(name: "layer4", parameters: model.parameters(in: try model.layerGroup(named: "layer4")).map(\.1), learningRate: layer4),
            ParameterGroup(name: "head", parameters: model.classifier.parameters(), learningRate: head),
        ]
    }
}

/// `layer4` (SGD lr 1e-2) and the head (1e-1) with momentum 0.9 trained on the deterministic evaluation transform, a
/// constant schedule, one epoch, no feature cache — so two learners differing only in batching train on identical data.
enum SmallFashionLearner {
    static func make(trainImages: Int = 32, batchSize: Int, callbacks: [Callback] = [], cacheFeatures: Bool = false) throws -> Learner {
        let (model, data) = try SmallFashion.modelAndData(trainImages: trainImages, validationImages: 10, seed: 7)
        let train = try DataLoader(dataset: data.train, transform: data.evalTransform, batchSize: batchSize, workers: 2, seed: 7)
        let validation = try DataLoader(dataset: data.validation, transform: data.evalTransform, batchSize: 10, shuffle: false, workers: 2)
        let optimizer = try SGD(groups: SmallFashion.layer4AndHead(of: model, layer4: 1e-2, head: 1e-1), momentum: 0.9)
        return try Learner(model: model, trainLoader: train, validationLoader: validation, optimizer: optimizer,
                           epochs: 1, callbacks: callbacks, seed: 7, cacheFeatures: cacheFeatures)
    }
}

/// Counts optimizer steps.
final class StepCounter: Callback {
    var steps = 0
    func beforeOptimizerStep(_ learner: Learner) throws { steps += 1 }
}
