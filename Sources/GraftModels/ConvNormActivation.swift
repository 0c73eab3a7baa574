import GraftNN

/// The batch-norm hyperparameters a torchvision network gives every `BatchNorm2d` it builds.
struct BatchNormSettings {
    let eps: Double, momentum: Double

    /// PyTorch's defaults (eps 1e-5, momentum 0.1).
    static let pyTorch = BatchNormSettings(eps: 1e-5, momentum: 0.1)
    /// TensorFlow's, which torchvision uses for ports of TensorFlow models (eps 0.001, momentum 0.01).
    static let tensorFlow = BatchNormSettings(eps: 1e-3, momentum: 0.01)
}

/// torchvision's `Conv2dNormActivation`: conv (no bias, "same" padding for odd kernels), batch norm, then `activation`
/// when given; named 0, 1, 2.
func convNormActivation(
    _ inChannels: Int, _ outChannels: Int, kernel: Int, stride: Int = 1, groups: Int = 1, norm: BatchNormSettings = .pyTorch,
    activation: Module?
) throws -> Sequential {
    let layers: [Module] = [
        try Conv2d(inChannels, outChannels, kernelSize: kernel, stride: stride, padding: (kernel - 1) / 2, groups: groups, bias: false),
        try BatchNorm2d(outChannels, eps: norm.eps, momentum: norm.momentum),
    ]
    return Sequential(layers + (activation.map { [$0] } ?? []), typeName: "Conv2dNormActivation")
}

/// torchvision's `_make_divisible(value, 8)`: the nearest multiple of 8, at least 8, never more than 10% below `value`.
func roundedToMultipleOfEight(_ value: Double) -> Int {
    let rounded = max(8, Int(value + 4) / 8 * 8)
    return Double(rounded) < 0.9 * value ? rounded + 8 : rounded
}
