import GraftNN

/// The batch-norm hyperparameters a torchvision network gives every `BatchNorm2d` it builds.
struct BatchNormSettings {
    let eps: Double, momentum: Double

    /// PyTorch's defaults (eps 1e-5, momentum 0.1).
    static let pyTorch = BatchNormSettings(eps: 1e-5, momentum: 0.1)
    /// TensorFlow's, which torchvision uses for ports of TensorFlow models (eps 0.001, momentum 0.01).
    static let tensorFlow = BatchNormSettings(eps: 1e-3, momentum: 0.01)
}

/// torchvision's `Conv2dNormActivation` with batch norm: a convolution (no bias, "same" padding for odd kernels),
/// batch norm, then `activation` when given; children named 0, 1, 2. `typeName` names it in printouts (RegNet's stem
/// is a `SimpleStemIN`).
func convNormActivation(
    _ inChannels: Int, _ outChannels: Int, kernel: Int, stride: Int = 1, groups: Int = 1, norm: BatchNormSettings = .pyTorch,
    activation: Module?, typeName: String = "Conv2dNormActivation"
) throws -> Sequential {
    let layers: [Module] = [
        try Conv2d(inChannels, outChannels, kernelSize: kernel, stride: stride, padding: (kernel - 1) / 2, groups: groups, bias: false),
        try BatchNorm2d(outChannels, eps: norm.eps, momentum: norm.momentum),
    ]
    return Sequential(layers + (activation.map { [$0] } ?? []), typeName: typeName)
}
