import GraftTensor

/// A fully connected layer (`nn.Linear`): y = x·Wᵀ + b.
public final class Linear: Module {
    public let inFeatures: Int, outFeatures: Int
    /// [out, in].
    public let weight: Tensor
    /// [out], or nil.
    public let bias: Tensor?

    /// A layer initialised like PyTorch's (seeded by `Engine.manualSeed`: weight first, then bias).
    public init(_ inFeatures: Int, _ outFeatures: Int, bias: Bool = true) throws {
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
        weight = try Initialization.defaultWeight([outFeatures, inFeatures], fanIn: inFeatures)
        self.bias = bias ? try Initialization.defaultBias(outFeatures, fanIn: inFeatures) : nil
        super.init()
    }

    public override var ownParameters: [(String, Tensor)] {
        [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
    }

    /// x·Wᵀ + b; by oneDNN's inner product for large layers (see `Tensor.linearPickingKernel`).
    public override func forward(_ input: Tensor) throws -> Tensor {
        try input.linearPickingKernel(weight: weight, bias: bias)
    }

    public override var extraDescription: String {
        "in_features=\(inFeatures), out_features=\(outFeatures), bias=\(bias == nil ? "False" : "True")"
    }
}
