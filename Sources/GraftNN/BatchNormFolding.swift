import GraftTensor

extension Conv2d {
    /// `norm(self(input))`. When `norm` normalises with its running statistics and no gradient can flow through either
    /// layer (inference, or frozen layers whose input needs no gradient), the normalisation is folded into the
    /// convolution's weight and bias: one convolution, no separate pass over the activations and no extra activation
    /// tensor. The result equals the two-layer form to float rounding.
    public func forward(_ input: Tensor, normalizedBy norm: BatchNorm2d) throws -> Tensor {
        guard norm.foldsIntoConvolution, !norm.usesBatchStatistics, !gradientCanFlow([input, weight, bias, norm.weight, norm.bias]) else {
            return try norm(self(input))
        }
        let (foldedWeight, foldedBias) = try withNoGrad { try folded(into: norm) }
        return try convolve(input, weight: foldedWeight, bias: foldedBias)
    }

    /// `forward(_:normalizedBy:)`.
    public func callAsFunction(_ input: Tensor, normalizedBy norm: BatchNorm2d) throws -> Tensor {
        try forward(input, normalizedBy: norm)
    }

    /// With s = γ / √(σ² + ε) per output channel: (weight · s, β + (bias − μ) · s).
    private func folded(into norm: BatchNorm2d) throws -> (weight: Tensor, bias: Tensor) {
        let scale = try norm.weight / (norm.runningVar + norm.eps).sqrt()
        let centred = try bias.map { try $0 - norm.runningMean } ?? (-norm.runningMean)
        return (try weight * scale.reshape([outChannels, 1, 1, 1]), try norm.bias + centred * scale)
    }
}

extension Module {
    /// Sets `BatchNorm2d.foldsIntoConvolution` on every batch norm in this module and its descendants.
    public func setBatchNormFolding(_ enabled: Bool) {
        for case let (_, norm as BatchNorm2d) in namedModules() { norm.foldsIntoConvolution = enabled }
    }
}
