import GraftTensor

/// torchvision's `StochasticDepth(p, "row")`: during training, zeroes each sample's residual branch with probability
/// `p` and scales the survivors by 1 / (1 − p); the identity in evaluation mode or when `p` is 0. The keep mask is
/// drawn as torchvision draws it, `empty([N, 1, …]).bernoulli_(1 − p)`, so after the same seed both drop the same rows.
public final class StochasticDepth: Module {
    /// Probability of dropping a sample's branch.
    public let p: Double

    /// A layer dropping rows with probability `p` in [0, 1].
    public init(p: Double) throws {
        guard (0...1).contains(p) else { throw NNError.invalidConfiguration("StochasticDepth: p must be in [0, 1], got \(p)") }
        self.p = p
        super.init()
    }

    public override func forward(_ input: Tensor) throws -> Tensor {
        guard isTraining, p > 0 else { return input }
        let survival = 1 - p
        let noise = try Tensor.empty([input.shape[0]] + Array(repeating: 1, count: input.rank - 1), dtype: input.dtype, device: input.device)
        try noise.bernoulli_(survival)
        if survival > 0 { try noise.div_(survival) }
        return try input * noise
    }

    public override var extraDescription: String { "p=\(pythonRepr(p)), mode=row" }
}

extension Tensor {
    /// Drop connect of a batch as lukemelas' EfficientNet draws it: in training, each sample (index along dim 0) is
    /// zeroed with probability `p` and the others scaled by 1 / (1 − p); otherwise `self`. The per-sample draw is
    /// floor(u + 1 − p) with u uniform in [0, 1) from the seeded generator (torchvision's `StochasticDepth` draws
    /// differently, with `bernoulli_`).
    public func droppingRows(p: Double, training: Bool) throws -> Tensor {
        guard training, p > 0 else { return self }
        let survival = 1 - p
        let mask = try (Tensor.rand([shape[0]] + Array(repeating: 1, count: rank - 1), dtype: dtype, device: device) + survival).floor()
        return survival > 0 ? try self * (mask / survival) : try self * mask
    }
}
