import Foundation
import GraftNN
import GraftTensor

/// torchvision's EfficientNet B0–B7 and EfficientNetV2 S/M/L with torchvision's parameter names (`features.N.M.block.K…`,
/// `classifier.1`): MBConv blocks (SiLU, squeeze-excitation) and, in V2, FusedMBConv blocks, each residual branch
/// dropped by stochastic depth whose probability grows linearly over the blocks.
public final class EfficientNet: ImageClassifier {
    /// The published sizes.
    public enum Variant: String, Sendable, CaseIterable {
        /// EfficientNet B0, the base network (5.3 M parameters).
        case b0
        /// B1–B7: B0 compound-scaled in width and depth (7.8 M to 66 M parameters).
        case b1, b2, b3, b4, b5, b6, b7
        /// EfficientNetV2 S, M and L: fused MBConv blocks in the early stages (21 M, 54 M and 119 M parameters).
        case v2S = "v2_s", v2M = "v2_m", v2L = "v2_l"

        /// The registry name, e.g. `efficientnet_b0`, `efficientnet_v2_s`.
        public var modelName: String { "efficientnet_\(rawValue)" }
    }

    let featureLayers: Sequential
    let classifierBlock: Sequential
    /// Indices of `features` in each backbone group: a new group starts at every stride-2 stage.
    let groupRanges: [ClosedRange<Int>]

    /// The network of `variant` with torchvision's builder settings; `stochasticDepthProbability` is the drop
    /// probability reached by the last block (torchvision's `stochastic_depth_prob`).
    public init(_ variant: Variant, numClasses: Int = 1000, stochasticDepthProbability: Double = 0.2) throws {
        let architecture = EfficientNetArchitecture(variant)
        let stages = architecture.stages
        var layers: [Module] = [try convNormActivation(
            3, stages[0].inChannels, kernel: 3, stride: 2, norm: architecture.norm, activation: SiLU())]
        var starts = [0]
        let totalBlocks = stages.reduce(0) { $0 + $1.layers }
        var blockIndex = 0
        for stage in stages {
            if stage.stride == 2 { starts.append(layers.count) }
            var blocks: [Module] = []
            for i in 0..<stage.layers {
                let dropProbability = stochasticDepthProbability * Double(blockIndex) / Double(totalBlocks)
                blocks.append(try EfficientNetBlock(
                    stage, inChannels: i == 0 ? stage.inChannels : stage.outChannels, stride: i == 0 ? stage.stride : 1,
                    norm: architecture.norm, stochasticDepthProbability: dropProbability))
                blockIndex += 1
            }
            layers.append(Sequential(blocks))
        }
        let lastChannels = architecture.lastChannels
        layers.append(try convNormActivation(stages.last!.outChannels, lastChannels, kernel: 1, norm: architecture.norm, activation: SiLU()))
        featureLayers = Sequential(layers)
        groupRanges = zip(starts, starts.dropFirst().map { $0 - 1 } + [layers.count - 1]).map { $0...$1 }

        let head = try Linear(lastChannels, numClasses)
        classifierBlock = Sequential([try Dropout(p: architecture.dropout), head])
        var config = architecture.pretrainedConfig
        config.numClasses = numClasses
        super.init(name: variant.modelName, pretrainedConfig: config, classifier: head, usesChannelsLast: true)
    }

    public override var typeName: String { "EfficientNet" }

    public override var namedChildren: [(String, Module)] { [("features", featureLayers), ("classifier", classifierBlock)] }

    /// stem (the stride-2 convolution and the stride-1 stage after it), one stage per further halving of the
    /// resolution (the last with the 1×1 head convolution), then the classifier.
    public override var layerGroups: [LayerGroup] {
        let names = ["stem"] + (1..<groupRanges.count).map { "stage\($0)" }
        return zip(names, groupRanges).map { LayerGroup($0, $1.map { "features.\($0)" }) } + [LayerGroup("head", ["classifier"])]
    }

    public override func classifierDidChange() throws { try classifierBlock.replace(at: 1, with: classifier) }

    public override func stage(_ index: Int, _ input: Tensor) throws -> Tensor {
        try featureLayers.layers[groupRanges[index]].reduce(input) { try $1($0) }
    }

    /// Dropout, then `classifier`, on pooled features [N, C].
    public override func classify(features: Tensor) throws -> Tensor { try classifierBlock(features) }
}

/// One stage of torchvision's `_efficientnet_conf` (after width and depth scaling): `layers` blocks, the first
/// from `inChannels` with `stride`, the rest from `outChannels` with stride 1.
struct EfficientNetStage {
    let fused: Bool
    let expandRatio: Double
    let kernel: Int, stride: Int
    let inChannels: Int, outChannels: Int
    let layers: Int
}

/// What distinguishes the variants: stages, head width, dropout, batch-norm settings, pretrained preprocessing.
struct EfficientNetArchitecture {
    let stages: [EfficientNetStage]
    let lastChannels: Int
    let dropout: Double
    let norm: BatchNormSettings
    let pretrainedConfig: PretrainedConfig

    /// Width, depth and dropout of torchvision's builders; preprocessing from the transforms of each
    /// `*_Weights.DEFAULT` (IMAGENET1K_V1, except IMAGENET1K_V2 for B1).
    init(_ variant: EfficientNet.Variant) {
        func config(_ resize: Int, _ crop: Int, _ interpolation: String, meanAndStd: Double? = nil) -> PretrainedConfig {
            PretrainedConfig(
                inputSize: crop, resizeSize: resize, mean: meanAndStd.map { [$0, $0, $0] } ?? PretrainedConfig.imageNetMean,
                std: meanAndStd.map { [$0, $0, $0] } ?? PretrainedConfig.imageNetStd, interpolation: interpolation,
                classifierName: "classifier.1")
        }
        // torchvision gives B5–B7 (ported from TensorFlow) TensorFlow's batch-norm settings, B0–B4 PyTorch's.
        switch variant {
        case .b0: self.init(width: 1.0, depth: 1.0, dropout: 0.2, norm: .pyTorch, config(256, 224, "bicubic"))
        case .b1: self.init(width: 1.0, depth: 1.1, dropout: 0.2, norm: .pyTorch, config(255, 240, "bilinear"))
        case .b2: self.init(width: 1.1, depth: 1.2, dropout: 0.3, norm: .pyTorch, config(288, 288, "bicubic"))
        case .b3: self.init(width: 1.2, depth: 1.4, dropout: 0.3, norm: .pyTorch, config(320, 300, "bicubic"))
        case .b4: self.init(width: 1.4, depth: 1.8, dropout: 0.4, norm: .pyTorch, config(384, 380, "bicubic"))
        case .b5: self.init(width: 1.6, depth: 2.2, dropout: 0.4, norm: .tensorFlow, config(456, 456, "bicubic"))
        case .b6: self.init(width: 1.8, depth: 2.6, dropout: 0.5, norm: .tensorFlow, config(528, 528, "bicubic"))
        case .b7: self.init(width: 2.0, depth: 3.1, dropout: 0.5, norm: .tensorFlow, config(600, 600, "bicubic"))
        case .v2S:
            self.init(v2: [(true, 1, 3, 1, 24, 24, 2), (true, 4, 3, 2, 24, 48, 4), (true, 4, 3, 2, 48, 64, 4),
                           (false, 4, 3, 2, 64, 128, 6), (false, 6, 3, 1, 128, 160, 9), (false, 6, 3, 2, 160, 256, 15)],
                      dropout: 0.2, config(384, 384, "bilinear"))
        case .v2M:
            self.init(v2: [(true, 1, 3, 1, 24, 24, 3), (true, 4, 3, 2, 24, 48, 5), (true, 4, 3, 2, 48, 80, 5),
                           (false, 4, 3, 2, 80, 160, 7), (false, 6, 3, 1, 160, 176, 14), (false, 6, 3, 2, 176, 304, 18),
                           (false, 6, 3, 1, 304, 512, 5)],
                      dropout: 0.3, config(480, 480, "bilinear"))
        case .v2L:
            self.init(v2: [(true, 1, 3, 1, 32, 32, 4), (true, 4, 3, 2, 32, 64, 7), (true, 4, 3, 2, 64, 96, 7),
                           (false, 4, 3, 2, 96, 192, 10), (false, 6, 3, 1, 192, 224, 19), (false, 6, 3, 2, 224, 384, 25),
                           (false, 6, 3, 1, 384, 640, 7)],
                      dropout: 0.4, config(480, 480, "bicubic", meanAndStd: 0.5))
        }
    }

    /// An EfficientNet (V1): Table 1 of the paper, widths scaled by `width` (`_make_divisible`), repeats by `depth`
    /// (rounded up), a head 4× as wide as the last stage.
    private init(width: Double, depth: Double, dropout: Double, norm: BatchNormSettings, _ pretrainedConfig: PretrainedConfig) {
        // (expansion, kernel, stride, in, out, layers)
        let base: [(Double, Int, Int, Int, Int, Int)] = [
            (1, 3, 1, 32, 16, 1), (6, 3, 2, 16, 24, 2), (6, 5, 2, 24, 40, 2), (6, 3, 2, 40, 80, 3),
            (6, 5, 1, 80, 112, 3), (6, 5, 2, 112, 192, 4), (6, 3, 1, 192, 320, 1),
        ]
        stages = base.map { e, k, s, i, o, n in
            EfficientNetStage(
                fused: false, expandRatio: e, kernel: k, stride: s, inChannels: makeDivisible(Double(i) * width, 8),
                outChannels: makeDivisible(Double(o) * width, 8), layers: Int((Double(n) * depth).rounded(.up)))
        }
        lastChannels = 4 * stages.last!.outChannels
        self.dropout = dropout
        self.norm = norm
        self.pretrainedConfig = pretrainedConfig
    }

    /// An EfficientNetV2: Table 4 of its paper as torchvision lists it, (fused, expansion, kernel, stride, in, out,
    /// layers) per stage, a 1280-wide head, batch norm with eps 0.001 and PyTorch's momentum.
    private init(v2 table: [(Bool, Double, Int, Int, Int, Int, Int)], dropout: Double, _ pretrainedConfig: PretrainedConfig) {
        stages = table.map { f, e, k, s, i, o, n in
            EfficientNetStage(fused: f, expandRatio: e, kernel: k, stride: s, inChannels: i, outChannels: o, layers: n)
        }
        lastChannels = 1280
        self.dropout = dropout
        norm = BatchNormSettings(eps: 1e-3, momentum: 0.1)
        self.pretrainedConfig = pretrainedConfig
    }
}

/// torchvision's `MBConv` (expand 1×1, depthwise, squeeze-excitation, project 1×1) or `FusedMBConv` (one full
/// convolution expanding, then project 1×1; a single convolution when it does not expand), with SiLU, and a
/// stochastic-depth-dropped shortcut when shapes allow; children under `block` as in torchvision.
final class EfficientNetBlock: Module {
    let block: Sequential
    let stochasticDepth: StochasticDepth
    let fused: Bool
    let useShortcut: Bool

    init(_ stage: EfficientNetStage, inChannels: Int, stride: Int, norm: BatchNormSettings, stochasticDepthProbability: Double) throws {
        let out = stage.outChannels, kernel = stage.kernel
        let expanded = makeDivisible(Double(inChannels) * stage.expandRatio, 8)
        var layers: [Module] = []
        if stage.fused {
            if expanded != inChannels {
                layers.append(try convNormActivation(inChannels, expanded, kernel: kernel, stride: stride, norm: norm, activation: SiLU()))
                layers.append(try convNormActivation(expanded, out, kernel: 1, norm: norm, activation: nil))
            } else {
                layers.append(try convNormActivation(inChannels, out, kernel: kernel, stride: stride, norm: norm, activation: SiLU()))
            }
        } else {
            if expanded != inChannels {
                layers.append(try convNormActivation(inChannels, expanded, kernel: 1, norm: norm, activation: SiLU()))
            }
            layers.append(try convNormActivation(
                expanded, expanded, kernel: kernel, stride: stride, groups: expanded, norm: norm, activation: SiLU()))
            layers.append(try SqueezeExcitation(expanded, max(1, inChannels / 4), activation: SiLU(), scaleActivation: Sigmoid()))
            layers.append(try convNormActivation(expanded, out, kernel: 1, norm: norm, activation: nil))
        }
        block = Sequential(layers)
        stochasticDepth = try StochasticDepth(p: stochasticDepthProbability)
        fused = stage.fused
        useShortcut = stride == 1 && inChannels == out
        super.init()
    }

    override var typeName: String { fused ? "FusedMBConv" : "MBConv" }

    override var namedChildren: [(String, Module)] { [("block", block), ("stochastic_depth", stochasticDepth)] }

    override func forward(_ input: Tensor) throws -> Tensor {
        let out = try block(input)
        guard useShortcut else { return out }
        return try stochasticDepth(out).overwrittenDuringInference({ try $0.add_(input) }, otherwise: { try $0 + input })
    }
}
