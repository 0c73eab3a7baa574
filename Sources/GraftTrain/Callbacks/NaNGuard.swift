/// Stops the run with `TrainingError.nonFiniteLoss` when a training loss is NaN or infinite, before the optimizer
/// step, so no parameter takes a non-finite update and the last checkpoint stays good.
public final class NaNGuard: Callback {
    /// A guard.
    public init() {}

    public func afterBackward(_ learner: Learner) throws {
        guard let loss = learner.batchLoss, !loss.isFinite else { return }
        throw TrainingError.nonFiniteLoss(epoch: learner.epoch + 1, batch: learner.batchIndex)
    }
}
