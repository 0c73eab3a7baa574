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
        lastNorm = try Self.clip(learner.trainedGradients(), maxNorm: maxNorm)
    }

    /// Scales `gradients` in place by `maxNorm / (norm + 1e-6)` when that is below 1, `norm` being their global L2
    /// norm, exactly as `torch.nn.utils.clip_grad_norm_` (1.13); returns the norm before clipping.
    @discardableResult
    public static func clip(_ gradients: [Tensor], maxNorm: Double) throws -> Double {
        try withNoGrad {
            let norm = try gradients.reduce(0.0) { $0 + (try ($1 * $1).sum().item()) }.squareRoot()
            let scale = maxNorm / (norm + 1e-6)
            if scale < 1 { for gradient in gradients { try gradient.mul_(scale) } }
            return norm
        }
    }
}
