import Foundation

/// Stops the run after `patience` epochs without a better validation accuracy (the epoch is still checkpointed).
public final class EarlyStopping: Callback {
    /// Epochs without improvement tolerated.
    public let patience: Int

    /// Stops after `patience` (≥ 1) epochs without improvement.
    public init(patience: Int) {
        self.patience = patience
    }

    public func epochEnded(_ learner: Learner) throws {
        let progress = learner.runProgress
        guard progress.epochsWithoutImprovement >= patience, learner.runProgress.nextEpoch < learner.epochs else { return }
        learner.send(LearnerMessage(.note, "early stopping: no validation improvement for \(patience) epochs (best \(String(format: "%.4f", progress.bestAccuracy ?? 0)) at epoch \(progress.bestEpoch + 1))"))
        learner.requestStop()
    }
}
