import GraftNN
import GraftTensor

/// torchvision's `SqueezeExcitation`: the input [N, C, H, W] scaled per channel by
/// scaleActivation(fc2(activation(fc1(mean over space)))), where fc1 and fc2 are 1×1 convolutions with bias.
final class SqueezeExcitation: Module {
    let fc1: Conv2d, fc2: Conv2d
    let activation: Module, scaleActivation: Module

    /// A block squeezing `channels` to `squeezeChannels`; MobileNetV3 gates with `Hardsigmoid`, EfficientNet with
    /// `Sigmoid` after a `SiLU`.
    init(_ channels: Int, _ squeezeChannels: Int, activation: Module = ReLU(), scaleActivation: Module) throws {
        fc1 = try Conv2d(channels, squeezeChannels, kernelSize: 1)
        fc2 = try Conv2d(squeezeChannels, channels, kernelSize: 1)
        self.activation = activation
        self.scaleActivation = scaleActivation
        super.init()
    }

    /// torchvision's names; its parameterless `avgpool` child is the pooling call in `forward`.
    override var namedChildren: [(String, Module)] {
        [("fc1", fc1), ("fc2", fc2), ("activation", activation), ("scale_activation", scaleActivation)]
    }

    override func forward(_ input: Tensor) throws -> Tensor {
        let scale = try scaleActivation(fc2(activation(fc1(input.adaptiveAvgPool2d((1, 1))))))
        return try scale * input
    }
}
