import Foundation
import Graft

/// The data-parallel run of TrainingOnSeveralProcesses.md: every worker process (started by `graft launch`, torchrun
/// or a scheduler) runs the same function; started alone, it trains alone.
enum DataParallelTraining {
    /// Fine-tunes EfficientNet-Lite0 on the folders, data-parallel when the environment describes a worker; returns
    /// the run's history (the same global figures on every rank).
    static func train(trainDirectory: String, validationDirectory: String, runDirectory: URL) throws -> RunHistory {
        // snippet: worker
        let worker = try DistributedEnvironment.fromEnvironment()  // nil when not started as a worker
        var settings = FineTuneSettings()
        settings.batchSize = 64  // the global batch: 32 samples on each of 2 ranks
        settings.imageSize = 96

        Engine.manualSeed(settings.seed)  // the same seed on every rank: the same head, the same shuffling
        var pretrained = try PretrainedModel("efficientnet_lite0")
        let data = try DataSpec(source: trainDirectory, validation: validationDirectory)
            .load(config: pretrained.model.pretrainedConfig, settings: settings)
        try pretrained.replaceHead(numClasses: data.train.classes.count)

        // Rank 0 alone shows progress and writes the checkpoints.
        var callbacks: [Callback] = []
        if worker?.isRankZero ?? true {
            callbacks = [CheckpointCallback(store: try RunStore(directory: runDirectory, data: nil)), ProgressCallback()]
        }
        let learner = try Learner(model: pretrained.model, data: data, settings: settings, callbacks: callbacks)
        if let worker {
            learner.dataParallel = try DataParallel(group: ProcessGroup(joining: worker))
        }
        return try learner.fit()
        // snippet: end
    }
}
