import GraftNN

extension Trainer {
    /// Continues from a `last` checkpoint: restores weights, the phases up to it, optimizer and scheduler state
    /// and the history, so the remaining epochs run exactly as they would have without the interruption.
    public func restore(from checkpoint: LoadedCheckpoint) throws {
        let meta = checkpoint.metadata
        guard meta.model == model.name else {
            throw TrainingError.resume("the checkpoint is a \(meta.model), this run builds a \(model.name)")
        }
        guard meta.classes == data.train.classes else {
            throw TrainingError.resume("the checkpoint's classes \(meta.classes) differ from the data's \(data.train.classes)")
        }
        try model.load(stateDict: checkpoint.weights, strict: true)
        for epoch in 0..<meta.progress.nextEpoch { try startPhases(at: epoch, announce: false) }
        guard unfrozenGroups == meta.optimizerGroups else {
            throw TrainingError.resume("its parameter groups \(meta.optimizerGroups) do not match the phase plan's \(unfrozenGroups)")
        }
        scheduler = meta.scheduler
        try optimizer.load(state: checkpoint.optimizerState)
        try optimizer.setLearningRates(scheduler.learningRates)
        progress = meta.progress
        history = meta.history
        observer.note("resumed after epoch \(meta.progress.nextEpoch) of \(settings.epochs)")
    }
}
