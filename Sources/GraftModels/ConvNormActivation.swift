import GraftNN

/// torchvision's `Conv2dNormActivation` with batch norm: a convolution (no bias, "same" padding for odd kernels),
/// `BatchNorm2d(eps, momentum)`, then `activation` when given; children named 0, 1, 2. `typeName` names it in
/// printouts (RegNet's stem is a `SimpleStemIN`).
func convNormActivation(
    _ inChannels: Int, _ outChannels: Int, kernel: Int, stride: Int = 1, groups: Int = 1, eps: Double = 1e-5,
    momentum: Double = 0.1, activation: Module?, typeName: String = "Conv2dNormActivation"
) throws -> Sequential {
    let layers: [Module] = [
        try Conv2d(inChannels, outChannels, kernelSize: kernel, stride: stride, padding: (kernel - 1) / 2, groups: groups, bias: false),
        try BatchNorm2d(outChannels, eps: eps, momentum: momentum),
    ]
    return Sequential(layers + (activation.map { [$0] } ?? []), typeName: typeName)
}
