import Foundation
import GraftData
import GraftModels
import GraftTensor
import GraftTestSupport
import GraftTrain

/// A from-scratch ResNet-18 (seeded) on Fashion-MNIST at 32 px with the deterministic evaluation transform for
/// training too, everything frozen but `layer4` (SGD lr 1e-2) and `fc` (1e-1) with momentum 0.9, a constant schedule,
/// one epoch, no feature cache — so two learners differing only in batching train on identical data.
enum SmallFashionLearner {
    static func make(trainImages: Int = 32, batchSize: Int, callbacks: [Callback] = []) throws -> Learner {
        guard FileManager.default.fileExists(atPath: DataSpec.fashionMNISTDirectory) else {
            throw Prerequisite.missing("Debian's dataset-fashion-mnist is not installed")
        }
        var settings = FineTuneSettings()
        settings.imageSize = 32
        Engine.manualSeed(7)
        let model = try Models.make("resnet18", numClasses: 10)
        let data = try DataSpec(source: "fashion-mnist", trainLimit: trainImages, validationLimit: 10).load(config: model.pretrainedConfig, settings: settings)
        let train = try DataLoader(dataset: data.train, transform: data.evalTransform, batchSize: batchSize, workers: 2, seed: 7)
        let validation = try DataLoader(dataset: data.validation, transform: data.evalTransform, batchSize: 10, shuffle: false, workers: 2)
        try model.freeze()
        try model.setTrainable(true, matching: "layer4")
        try model.setTrainable(true, matching: "fc")
        let optimizer = try SGD(groups: [
            ParameterGroup(name: "layer4", parameters: model.parameters(in: model.layerGroup(named: "layer4")).map(\.1), learningRate: 1e-2),
            ParameterGroup(name: "head", parameters: model.classifier.parameters(), learningRate: 1e-1),
        ], momentum: 0.9)
        return try Learner(model: model, trainLoader: train, validationLoader: validation, optimizer: optimizer,
                           epochs: 1, callbacks: callbacks, seed: 7, cacheFeatures: false)
    }
}

/// Counts optimizer steps.
final class StepCounter: Callback {
    var steps = 0
    func beforeOptimizerStep(_ learner: Learner) throws { steps += 1 }
}
