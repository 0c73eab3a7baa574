import GraftNN

extension Learner {
    /// Continues from a `last` checkpoint: restores the weights, the trained groups with their base learning rates,
    /// the optimizer and scheduler state, the weight average (when this learner keeps an `ema`), the loss scale (when
    /// it has a `gradientScaler`: set `precision` first), the progress and the history, so the remaining epochs run
    /// exactly as they would have without the interruption. When `epochs` is larger than the checkpointed run's
    /// (extending a run), the learner's own schedule — planned for the new length — continues from the checkpoint's
    /// step.
    public func restore(from checkpoint: LoadedCheckpoint) throws {
        let meta = checkpoint.metadata
        guard meta.model == model.name else {
            throw TrainingError.resume("the checkpoint is a \(meta.model), this learner trains a \(model.name)")
        }
        guard meta.classes == classes else {
            throw TrainingError.resume("the checkpoint's classes \(meta.classes) differ from the data's \(classes)")
        }
        guard meta.progress.nextEpoch <= epochs else {
            throw TrainingError.resume("the checkpoint has \(meta.progress.nextEpoch) epochs done, more than the \(epochs) asked for")
        }
        if ema != nil && checkpoint.averagedWeights.isEmpty {
            throw TrainingError.resume("this learner keeps a weight average (ema) but the checkpoint holds none; resume with the settings it was written with")
        }
        try model.load(stateDict: checkpoint.weights, strict: true)
        try ema?.load(checkpoint.averagedWeights)
        if let lossScale = meta.lossScale { gradientScaler?.state = lossScale }
        let saved = meta.scheduler
        guard trainedGroups == Array(meta.optimizerGroups.prefix(trainedGroups.count)),
              saved.baseLearningRates.count == meta.optimizerGroups.count else {
            throw TrainingError.resume("its parameter groups \(meta.optimizerGroups) do not match this learner's \(trainedGroups)")
        }
        for (index, name) in meta.optimizerGroups.enumerated().dropFirst(trainedGroups.count) {
            try unfreeze(name, learningRate: saved.baseLearningRates[index])
        }
        scheduler = try scheduler.schedule == saved.schedule
            ? saved : LearningRateScheduler(schedule: scheduler.schedule, baseLearningRates: saved.baseLearningRates, stepCount: saved.stepCount)
        try optimizer.load(state: checkpoint.optimizerState)
        try optimizer.setLearningRates(scheduler.learningRates)
        try scheduler.applyMomentum(to: optimizer)
        runProgress = meta.progress
        history = meta.history
        send(LearnerMessage(.note, "resumed after epoch \(meta.progress.nextEpoch) of \(epochs)"))
    }
}
