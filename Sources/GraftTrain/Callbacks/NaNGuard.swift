/// Stops the run when the loss is NaN or infinite: a training batch's with `TrainingError.nonFiniteLoss`, before the
/// optimizer step, so no parameter takes a non-finite update; an epoch's validation loss with
/// `TrainingError.nonFiniteValidationLoss`, before the epoch is recorded. Either way the last checkpoint stays good.
public final class NaNGuard: Callback {
    /// A guard.
    public init() {}

    public func afterBackward(_ learner: Learner) throws {
        guard let loss = learner.batchLoss, !loss.isFinite else { return }
        throw TrainingError.nonFiniteLoss(epoch: learner.epoch + 1, batch: learner.batchIndex)
    }

    public func validationEnded(_ learner: Learner) throws {
        guard !learner.validationMetrics.meanLoss.isFinite else { return }
        throw TrainingError.nonFiniteValidationLoss(epoch: learner.epoch + 1)
    }
}
