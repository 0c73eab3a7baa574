import GraftTensor

/// torchvision's `StochasticDepth(p, "row")`: in training, zeroes each sample's whole input with probability `p` and
/// scales the survivors by 1 / (1 - p); the identity in evaluation. It draws its mask as torchvision does (an empty
/// [N, 1, …] tensor filled by `bernoulli_(1 - p)`), so after the same seed both drop the same rows.
public final class StochasticDepth: Module {
    /// The probability of dropping a sample's residual branch.
    public let p: Double

    /// A layer dropping rows with probability `p` in [0, 1].
    public init(p: Double) throws {
        guard (0...1).contains(p) else { throw NNError.invalidConfiguration("StochasticDepth: p must be in [0, 1], got \(p)") }
        self.p = p
        super.init()
    }

    public override func forward(_ input: Tensor) throws -> Tensor {
        guard isTraining && p > 0 else { return input }
        let survival = 1 - p
        let noise = try Tensor.empty([input.shape[0]] + Array(repeating: 1, count: input.rank - 1), dtype: input.dtype, device: input.device)
        try noise.bernoulli_(survival)
        if survival > 0 { try noise.div_(survival) }
        return try input * noise
    }

    public override var extraDescription: String { "p=\(pythonRepr(p)), mode=row" }
}
