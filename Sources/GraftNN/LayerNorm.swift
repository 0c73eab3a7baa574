import GraftTensor

/// Layer normalisation over the trailing dimension (`nn.LayerNorm(features, eps)` with an affine weight and bias).
public class LayerNorm: Module {
    /// Size of the normalised (last) dimension.
    public let features: Int
    /// Added to the variance for numerical stability.
    public let eps: Double
    /// [features], initialised to ones.
    public let weight: Tensor
    /// [features], initialised to zeros.
    public let bias: Tensor

    /// A layer normalising the last dimension of size `features`, initialised like PyTorch's (weight 1, bias 0).
    public init(_ features: Int, eps: Double = 1e-5) throws {
        guard features >= 1 else { throw NNError.invalidConfiguration("LayerNorm: features must be at least 1, got \(features)") }
        guard eps > 0 else { throw NNError.invalidConfiguration("LayerNorm: eps must be positive, got \(eps)") }
        self.features = features
        self.eps = eps
        weight = try Initialization.constant([features], 1)
        bias = try Initialization.constant([features], 0)
        super.init()
    }

    public override var ownParameters: [(String, Tensor)] { [("weight", weight), ("bias", bias)] }

    public override func forward(_ input: Tensor) throws -> Tensor {
        try input.layerNorm(normalizedShape: [features], weight: weight, bias: bias, eps: eps)
    }

    public override var extraDescription: String { "(\(features),), eps=\(pythonRepr(eps)), elementwise_affine=True" }
}
