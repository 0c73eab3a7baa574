import GraftTensor

/// A loss from logits [N, C] and target class probabilities [N, C] (mixup/CutMix targets) to a scalar tensor.
public typealias SoftTargetLossFunction = (_ logits: Tensor, _ targets: Tensor) throws -> Tensor

extension Learner {
    /// timm's `SoftTargetCrossEntropy`, the mean over the batch of Σ_c −target_c · log_softmax(logits)_c. With class
    /// weights [C] each term is also scaled by w_c, as PyTorch's `cross_entropy` does for probability targets (the
    /// mean still divides by N); timm has no weighted form. Label smoothing belongs in the targets.
    public static func softTargetCrossEntropy(weight: Tensor? = nil) -> SoftTargetLossFunction {
        { logits, targets in
            var terms = try targets * logits.logSoftmax(dim: -1)
            if let weight { terms = try terms * weight.unsqueeze(dim: 0) }
            return try (terms.sum(dims: [-1]) * -1).mean()
        }
    }
}
