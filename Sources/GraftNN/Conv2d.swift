import GraftTensor

/// 2-D convolution (`nn.Conv2d`), including grouped and depthwise forms.
public final class Conv2d: Module {
    public let inChannels: Int, outChannels: Int
    public let kernelSize: (Int, Int), stride: (Int, Int), padding: (Int, Int), dilation: (Int, Int)
    public let groups: Int
    /// TensorFlow's "SAME" padding, computed from each input's size (asymmetric when needed) instead of `padding`.
    public let tensorFlowSamePadding: Bool
    /// [out, in / groups, kh, kw].
    public let weight: Tensor
    /// [out], or nil for `bias=False`.
    public let bias: Tensor?

    /// A convolution initialised like PyTorch's (seeded by `Engine.manualSeed`).
    public init(
        _ inChannels: Int, _ outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
        dilation: Int = 1, groups: Int = 1, bias: Bool = true, tensorFlowSamePadding: Bool = false
    ) throws {
        guard inChannels % groups == 0, outChannels % groups == 0 else {
            throw NNError.invalidConfiguration("Conv2d: channels \(inChannels)→\(outChannels) not divisible by groups \(groups)")
        }
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.kernelSize = (kernelSize, kernelSize)
        self.stride = (stride, stride)
        self.padding = (padding, padding)
        self.dilation = (dilation, dilation)
        self.groups = groups
        self.tensorFlowSamePadding = tensorFlowSamePadding
        let fanIn = inChannels / groups * kernelSize * kernelSize
        weight = try Initialization.defaultWeight([outChannels, inChannels / groups, kernelSize, kernelSize], fanIn: fanIn)
        self.bias = bias ? try Initialization.defaultBias(outChannels, fanIn: fanIn) : nil
        super.init()
    }

    public override var ownParameters: [(String, Tensor)] {
        [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
    }

    public override func forward(_ input: Tensor) throws -> Tensor { try convolve(input, weight: weight, bias: bias) }

    /// This layer's convolution of `input` with the given weight and bias (the own ones, or batch-norm-folded ones).
    func convolve(_ input: Tensor, weight: Tensor, bias: Tensor?) throws -> Tensor {
        guard tensorFlowSamePadding else {
            return try input.conv2d(weight: weight, bias: bias, stride: stride, padding: padding, dilation: dilation, groups: groups)
        }
        let pads = samePads(height: input.shape[2], width: input.shape[3])
        // Symmetric (or no) padding is left to the convolution itself: same zeros, no padded copy of the input.
        if pads[0] == pads[1], pads[2] == pads[3] {
            return try input.conv2d(weight: weight, bias: bias, stride: stride, padding: (pads[2], pads[0]), dilation: dilation,
                                    groups: groups)
        }
        return try input.pad(pads).conv2d(weight: weight, bias: bias, stride: stride, padding: padding, dilation: dilation,
                                          groups: groups)
    }

    /// (left, right, top, bottom) so that the output size is ceil(input / stride), the extra pixel going right/bottom.
    func samePads(height: Int, width: Int) -> [Int] {
        func split(_ size: Int, _ k: Int, _ s: Int, _ d: Int) -> (Int, Int) {
            let out = (size + s - 1) / s
            let total = max((out - 1) * s + (k - 1) * d + 1 - size, 0)
            return (total / 2, total - total / 2)
        }
        let h = split(height, kernelSize.0, stride.0, dilation.0), w = split(width, kernelSize.1, stride.1, dilation.1)
        return [w.0, w.1, h.0, h.1]
    }

    public override var extraDescription: String {
        var text = "\(inChannels), \(outChannels), kernel_size=\(pair(kernelSize)), stride=\(pair(stride))"
        if padding != (0, 0) { text += ", padding=\(pair(padding))" }
        if tensorFlowSamePadding { text += ", padding=same(TensorFlow)" }
        if dilation != (1, 1) { text += ", dilation=\(pair(dilation))" }
        if groups != 1 { text += ", groups=\(groups)" }
        if bias == nil { text += ", bias=False" }
        return text
    }
}
