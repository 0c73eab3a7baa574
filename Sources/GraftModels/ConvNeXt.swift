import GraftNN
import GraftTensor

/// torchvision's ConvNeXt (tiny, small, base, large) with torchvision's parameter names: `features.0` (4×4 stride-4
/// stem with `LayerNorm2d`), four stages of `CNBlock`s (`features.1`, `.3`, `.5`, `.7`) with downsampling layers
/// between them (`features.2`, `.4`, `.6`: `LayerNorm2d` + 2×2 stride-2 convolution), and the classifier
/// `classifier.0` (`LayerNorm2d`), `classifier.2` (Linear) after global average pooling.
public final class ConvNeXt: ImageClassifier {
    /// The published sizes.
    public enum Size: String, Sendable, CaseIterable {
        /// `convnext_tiny`: widths 96–768, 3-3-9-3 blocks.
        case tiny
        /// `convnext_small`: widths 96–768, 3-3-27-3 blocks.
        case small
        /// `convnext_base`: widths 128–1024, 3-3-27-3 blocks.
        case base
        /// `convnext_large`: widths 192–1536, 3-3-27-3 blocks.
        case large

        /// Width of the first stage (doubling at each later stage).
        var stemWidth: Int { [.tiny: 96, .small: 96, .base: 128, .large: 192][self]! }
        /// Blocks per stage.
        var depths: [Int] { self == .tiny ? [3, 3, 9, 3] : [3, 3, 27, 3] }
        /// torchvision's default stochastic-depth probability of the last block.
        var stochasticDepthProbability: Double { [.tiny: 0.1, .small: 0.4, .base: 0.5, .large: 0.5][self]! }
        /// Resize size of torchvision's DEFAULT weights (IMAGENET1K_V1; crop 224, bilinear).
        var resizeSize: Int { [.tiny: 236, .small: 230, .base: 232, .large: 232][self]! }
    }

    let featureLayers: Sequential
    let classifierBlock: Sequential
    /// Indices of `features` in each backbone group: the stem, then each stage with the downsampling before it.
    static let groupRanges = [0...0, 1...1, 2...3, 4...5, 6...7]

    /// The network of `size`; `stochasticDepthProbability` (that of the last block, the others growing linearly from
    /// 0) defaults to torchvision's for the size. Layer scales start at 1e-6 as in torchvision.
    public init(_ size: Size, numClasses: Int = 1000, stochasticDepthProbability: Double? = nil) throws {
        let lastProbability = stochasticDepthProbability ?? size.stochasticDepthProbability
        let totalBlocks = size.depths.reduce(0, +)
        let widths = (0..<4).map { size.stemWidth << $0 }
        var layers: [Module] = [Sequential([
            try Conv2d(3, widths[0], kernelSize: 4, stride: 4), try LayerNorm2d(widths[0], eps: 1e-6),
        ], typeName: "Conv2dNormActivation")]
        var blockIndex = 0
        for (stage, depth) in size.depths.enumerated() {
            if stage > 0 {
                layers.append(Sequential([
                    try LayerNorm2d(widths[stage - 1], eps: 1e-6), try Conv2d(widths[stage - 1], widths[stage], kernelSize: 2, stride: 2),
                ]))
            }
            var blocks: [Module] = []
            for _ in 0..<depth {
                let probability = lastProbability * Double(blockIndex) / Double(totalBlocks - 1)
                blocks.append(try CNBlock(widths[stage], layerScale: 1e-6, stochasticDepthProbability: probability))
                blockIndex += 1
            }
            layers.append(Sequential(blocks))
        }
        featureLayers = Sequential(layers)
        let head = try Linear(widths[3], numClasses)
        classifierBlock = Sequential([try LayerNorm2d(widths[3], eps: 1e-6), Flatten(), head])
        let config = PretrainedConfig(resizeSize: size.resizeSize, classifierName: "classifier.2", numClasses: numClasses)
        super.init(name: "convnext_\(size.rawValue)", pretrainedConfig: config, classifier: head)
    }

    public override var typeName: String { "ConvNeXt" }

    /// torchvision's names; its parameterless `avgpool` child is `pool(_:)`.
    public override var namedChildren: [(String, Module)] { [("features", featureLayers), ("classifier", classifierBlock)] }

    /// stem, stage1 (the first blocks), stage2–stage4 (each with the downsampling layer before it), head (the
    /// classifier's layer norm and linear layer).
    public override var layerGroups: [LayerGroup] {
        let names = ["stem", "stage1", "stage2", "stage3", "stage4"]
        return zip(names, Self.groupRanges).map { LayerGroup($0, $1.map { "features.\($0)" }) } + [LayerGroup("head", ["classifier"])]
    }

    public override func classifierDidChange() throws { try classifierBlock.replace(at: 2, with: classifier) }

    public override func stage(_ index: Int, _ input: Tensor) throws -> Tensor {
        try featureLayers.layers[Self.groupRanges[index]].reduce(input) { try $1($0) }
    }

    /// The classifier block (layer norm over channels, flatten, `classifier`) on pooled features [N, C].
    public override func classify(features: Tensor) throws -> Tensor {
        try classifierBlock(features.reshape([features.shape[0], features.shape[1], 1, 1]))
    }
}

/// ConvNeXt's block: depthwise 7×7 convolution, layer norm over channels (NHWC), Linear ×4, GELU, Linear, scaled per
/// channel by `layer_scale`, stochastic depth, plus the input; children under `block` as in torchvision.
final class CNBlock: Module {
    let block: Sequential
    /// [C, 1, 1].
    let layerScale: Tensor
    let stochasticDepth: StochasticDepth

    init(_ channels: Int, layerScale: Double, stochasticDepthProbability: Double) throws {
        block = Sequential([
            try Conv2d(channels, channels, kernelSize: 7, padding: 3, groups: channels), Permute([0, 2, 3, 1]),
            try LayerNorm(channels, eps: 1e-6), try Linear(channels, 4 * channels), GELU(), try Linear(4 * channels, channels),
            Permute([0, 3, 1, 2]),
        ])
        self.layerScale = try Initialization.constant([channels, 1, 1], layerScale)
        stochasticDepth = try StochasticDepth(p: stochasticDepthProbability)
        super.init()
    }

    override var ownParameters: [(String, Tensor)] { [("layer_scale", layerScale)] }

    override var namedChildren: [(String, Module)] { [("block", block), ("stochastic_depth", stochasticDepth)] }

    override func forward(_ input: Tensor) throws -> Tensor {
        let branch = try stochasticDepth(layerScale * block(input))
        return try branch.overwrittenDuringInference({ try $0.add_(input) }, otherwise: { try $0 + input })
    }
}
