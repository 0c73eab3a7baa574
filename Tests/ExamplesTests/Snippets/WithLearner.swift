import Foundation
import Graft

/// The tutorial's run with the training object (FineTuningTutorial.md), in its two forms; each returns the learner after
/// `fit()`, with the best checkpoint in `runDirectory`.
enum TutorialWithLearner {
    /// The explicit parts: the hand-written loop's model, loaders, optimizer and schedule, with the phases, the
    /// checkpoints and the progress display as callbacks.
    static func fromParts(trainDirectory: String, validationDirectory: String, epochs: Int, runDirectory: URL) throws -> Learner {
        // snippet: parts
        Engine.manualSeed(42)
        let train = try ImageFolder(root: trainDirectory), validation = try ImageFolder(root: validationDirectory)
        let model = try PretrainedModel("mobilenet_v2", numClasses: train.classes.count).model
        try model.freeze()  // the phases unfreeze what trains

        let config = model.pretrainedConfig
        let mean = config.mean.map(Float.init), std = config.std.map(Float.init)
        let trainLoader = try DataLoader(
            dataset: AnyImageDataset(train), transform: .trainTransform(inputSize: 64, resizeSize: 73, mean: mean, std: std),
            batchSize: 32, seed: 42)
        let validationLoader = try DataLoader(
            dataset: AnyImageDataset(validation), transform: .evalTransform(inputSize: 64, resizeSize: 73, mean: mean, std: std),
            batchSize: 64, shuffle: false)

        let learner = try Learner(
            model: model, trainLoader: trainLoader, validationLoader: validationLoader,
            optimizer: Adam(groups: [], decoupledWeightDecay: true), schedule: .cosine(CosineAnnealingSchedule(tMax: epochs)),
            epochs: epochs,
            callbacks: [
                PhasedUnfreezing(phases: [
                    Phase(atEpoch: 0, unfreeze: ["head"], learningRate: 1e-3),
                    Phase(atEpoch: 0, unfreeze: ["stage6"], learningRate: 1e-4),
                    Phase(atEpoch: epochs / 2, unfreeze: ["stage5"], learningRate: 5e-5),
                ]),
                NaNGuard(),
                CheckpointCallback(store: RunStore(directory: runDirectory, data: nil)),
                ProgressCallback(),
            ],
            weightDecay: 1e-4)
        try learner.fit()
        // snippet: end
        return learner
    }

    /// The same run described by settings, which add the phase plan and the NaN guard themselves.
    static func fromSettings(trainDirectory: String, validationDirectory: String, epochs: Int, runDirectory: URL) throws -> Learner {
        // snippet: settings
        var settings = FineTuneSettings()  // AdamW, weight decay 1e-4, cosine annealing, seed 42
        settings.epochs = epochs
        settings.imageSize = 64
        settings.phases = [
            Phase(atEpoch: 0, unfreeze: ["head"], learningRate: 1e-3),
            Phase(atEpoch: 0, unfreeze: ["stage6"], learningRate: 1e-4),
            Phase(atEpoch: epochs / 2, unfreeze: ["stage5"], learningRate: 5e-5),
        ]

        Engine.manualSeed(settings.seed)
        var pretrained = try PretrainedModel("mobilenet_v2")
        let data = try DataSpec(source: trainDirectory, validation: validationDirectory)
            .load(config: pretrained.model.pretrainedConfig, settings: settings)
        try pretrained.replaceHead(numClasses: data.train.classes.count)

        let store = try RunStore(directory: runDirectory, data: nil)
        let learner = try Learner(model: pretrained.model, data: data, settings: settings,
                                  callbacks: [CheckpointCallback(store: store), ProgressCallback()])
        try learner.fit()

        let best = try LoadedCheckpoint(contentsOf: store.bestURL)
        let predictions = try Evaluator.run(model: best.model(), dataset: data.validation, transform: data.evalTransform)
        print(try predictions.report(classNames: learner.classes).text(digits: 4))
        // snippet: end
        return learner
    }
}
