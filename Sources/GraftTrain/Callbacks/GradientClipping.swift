import GraftTensor

/// Scales all gradients down so their global L2 norm is at most `maxNorm` (PyTorch's `clip_grad_norm_`) right before
/// each optimizer step — with gradient accumulation, once, on the accumulated gradient.
public final class GradientClipping: Callback {
    /// The largest global gradient norm allowed.
    public let maxNorm: Double
    /// The norm before clipping at the last optimizer step.
    public private(set) var lastNorm: Double?

    /// Clips to `maxNorm` (> 0).
    public init(maxNorm: Double) throws {
        guard maxNorm > 0, maxNorm.isFinite else {
            throw TrainingError.invalidConfiguration("gradient clipping needs a positive finite maxNorm (got \(maxNorm))")
        }
        self.maxNorm = maxNorm
    }

    public func beforeOptimizerStep(_ learner: Learner) throws {
        let gradients = learner.optimizer.groups.flatMap(\.parameters).compactMap(\.grad)
        let norm = try withNoGrad { try gradients.reduce(0.0) { $0 + (try ($1 * $1).sum().item()) }.squareRoot() }
        lastNorm = norm
        let scale = maxNorm / (norm + 1e-6)
        guard scale < 1 else { return }
        try withNoGrad { for gradient in gradients { try gradient.mul_(scale) } }
    }
}
