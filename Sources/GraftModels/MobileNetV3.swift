import GraftNN
import GraftTensor

/// torchvision's MobileNetV3 (small and large) with torchvision's parameter names (`features.N…`, `classifier.0`,
/// `classifier.3`): inverted residual blocks with Hardswish or ReLU and Hardsigmoid-gated squeeze-excitation.
public final class MobileNetV3: ImageClassifier {
    /// The two published sizes.
    public enum Size: String, Sendable, CaseIterable {
        /// `mobilenet_v3_small`: 11 blocks, a 1024-wide classifier.
        case small
        /// `mobilenet_v3_large`: 15 blocks, a 1280-wide classifier.
        case large
    }

    let featureLayers: Sequential
    let classifierBlock: Sequential
    /// Indices of `features` in each backbone group: a new group starts at every stride-2 block.
    let groupRanges: [ClosedRange<Int>]

    /// The network of `size` with torchvision's defaults (width 1.0, batch norm eps 0.001 and momentum 0.01, dropout 0.2).
    public init(_ size: Size, numClasses: Int = 1000) throws {
        let settings = size == .large ? MobileNetV3BlockSetting.large : MobileNetV3BlockSetting.small
        var layers: [Module] = [try convNormActivation(3, 16, kernel: 3, stride: 2, norm: .tensorFlow, activation: Hardswish())]
        var starts = [0]
        var inChannels = 16
        for setting in settings {
            if setting.stride == 2 { starts.append(layers.count) }
            layers.append(try MobileNetV3Block(inChannels, setting))
            inChannels = setting.outChannels
        }
        let lastConvChannels = 6 * inChannels
        layers.append(try convNormActivation(inChannels, lastConvChannels, kernel: 1, norm: .tensorFlow, activation: Hardswish()))
        featureLayers = Sequential(layers)
        groupRanges = zip(starts, starts.dropFirst().map { $0 - 1 } + [layers.count - 1]).map { $0...$1 }

        let lastChannels = size == .large ? 1280 : 1024
        let head = try Linear(lastChannels, numClasses)
        classifierBlock = Sequential([try Linear(lastConvChannels, lastChannels), Hardswish(), try Dropout(p: 0.2), head])
        // torchvision's default weights: IMAGENET1K_V2 (resize 232) for large, IMAGENET1K_V1 (resize 256) for small.
        let config = PretrainedConfig(resizeSize: size == .large ? 232 : 256, classifierName: "classifier.3", numClasses: numClasses)
        super.init(name: "mobilenet_v3_\(size.rawValue)", pretrainedConfig: config, classifier: head, usesChannelsLast: true)
    }

    public override var typeName: String { "MobileNetV3" }

    public override var namedChildren: [(String, Module)] { [("features", featureLayers), ("classifier", classifierBlock)] }

    /// stem (the stride-2 convolution and any stride-1 blocks after it), one stage per further halving of the
    /// resolution (the last with the 1×1 head convolution), then the whole classifier.
    public override var layerGroups: [LayerGroup] {
        let names = ["stem"] + (1..<groupRanges.count).map { "stage\($0)" }
        return zip(names, groupRanges).map { LayerGroup($0, $1.map { "features.\($0)" }) } + [LayerGroup("head", ["classifier"])]
    }

    public override func classifierDidChange() throws { try classifierBlock.replace(at: 3, with: classifier) }

    public override func stage(_ index: Int, _ input: Tensor) throws -> Tensor {
        try featureLayers.layers[groupRanges[index]].reduce(input) { try $1($0) }
    }

    /// The classifier block on pooled features [N, 6 × the last block's width]: Linear, Hardswish, dropout, `classifier`.
    public override func classify(features: Tensor) throws -> Tensor { try classifierBlock(features) }
}

/// One row of torchvision's `_mobilenet_v3_conf`: an inverted residual block after the previous block's output.
struct MobileNetV3BlockSetting {
    let kernel: Int, expandedChannels: Int, outChannels: Int
    let usesSqueezeExcitation: Bool, usesHardswish: Bool
    let stride: Int

    init(_ kernel: Int, _ expandedChannels: Int, _ outChannels: Int, _ usesSqueezeExcitation: Bool, _ activation: String, _ stride: Int) {
        self.kernel = kernel
        self.expandedChannels = expandedChannels
        self.outChannels = outChannels
        self.usesSqueezeExcitation = usesSqueezeExcitation
        usesHardswish = activation == "HS"
        self.stride = stride
    }

    static let large = [
        MobileNetV3BlockSetting(3, 16, 16, false, "RE", 1), MobileNetV3BlockSetting(3, 64, 24, false, "RE", 2), MobileNetV3BlockSetting(3, 72, 24, false, "RE", 1),
        MobileNetV3BlockSetting(5, 72, 40, true, "RE", 2), MobileNetV3BlockSetting(5, 120, 40, true, "RE", 1), MobileNetV3BlockSetting(5, 120, 40, true, "RE", 1),
        MobileNetV3BlockSetting(3, 240, 80, false, "HS", 2), MobileNetV3BlockSetting(3, 200, 80, false, "HS", 1), MobileNetV3BlockSetting(3, 184, 80, false, "HS", 1),
        MobileNetV3BlockSetting(3, 184, 80, false, "HS", 1), MobileNetV3BlockSetting(3, 480, 112, true, "HS", 1), MobileNetV3BlockSetting(3, 672, 112, true, "HS", 1),
        MobileNetV3BlockSetting(5, 672, 160, true, "HS", 2), MobileNetV3BlockSetting(5, 960, 160, true, "HS", 1), MobileNetV3BlockSetting(5, 960, 160, true, "HS", 1),
    ]

    static let small = [
        MobileNetV3BlockSetting(3, 16, 16, true, "RE", 2), MobileNetV3BlockSetting(3, 72, 24, false, "RE", 2), MobileNetV3BlockSetting(3, 88, 24, false, "RE", 1),
        MobileNetV3BlockSetting(5, 96, 40, true, "HS", 2), MobileNetV3BlockSetting(5, 240, 40, true, "HS", 1), MobileNetV3BlockSetting(5, 240, 40, true, "HS", 1),
        MobileNetV3BlockSetting(5, 120, 48, true, "HS", 1), MobileNetV3BlockSetting(5, 144, 48, true, "HS", 1), MobileNetV3BlockSetting(5, 288, 96, true, "HS", 2),
        MobileNetV3BlockSetting(5, 576, 96, true, "HS", 1), MobileNetV3BlockSetting(5, 576, 96, true, "HS", 1),
    ]
}

/// MobileNetV3's inverted residual: expand (1×1, when the width changes), depthwise, optional squeeze-excitation,
/// project (1×1, linear), with a shortcut when shapes allow; children under `block` as in torchvision.
final class MobileNetV3Block: Module {
    let block: Sequential
    let useShortcut: Bool

    init(_ inChannels: Int, _ setting: MobileNetV3BlockSetting) throws {
        let hidden = setting.expandedChannels
        func activation() -> Module { setting.usesHardswish ? Hardswish() : ReLU(inPlace: true) }
        var layers: [Module] = []
        if hidden != inChannels { layers.append(try convNormActivation(inChannels, hidden, kernel: 1, norm: .tensorFlow, activation: activation())) }
        layers.append(try convNormActivation(
            hidden, hidden, kernel: setting.kernel, stride: setting.stride, groups: hidden, norm: .tensorFlow, activation: activation()))
        if setting.usesSqueezeExcitation { layers.append(try SqueezeExcitation(hidden, makeDivisible(Double(hidden / 4), 8), scaleActivation: Hardsigmoid())) }
        layers.append(try convNormActivation(hidden, setting.outChannels, kernel: 1, norm: .tensorFlow, activation: nil))
        block = Sequential(layers)
        useShortcut = setting.stride == 1 && inChannels == setting.outChannels
        super.init()
    }

    override var typeName: String { "InvertedResidual" }

    override var namedChildren: [(String, Module)] { [("block", block)] }

    override func forward(_ input: Tensor) throws -> Tensor {
        let out = try block(input)
        guard useShortcut else { return out }
        return try out.overwrittenDuringInference({ try $0.add_(input) }, otherwise: { try $0 + input })
    }
}
