import GraftNN
import GraftTensor

/// torchvision's Swin Transformer V1 (`swin_t`, `swin_s`, `swin_b`) with torchvision's parameter names
/// (`features.0` patch embedding, `features.1/3/5/7` stages of shifted-window blocks, `features.2/4/6` patch merging,
/// `norm`, `head`), working on channels-last activations [N, H, W, C] as torchvision does. Any image size works: windows
/// are padded to a multiple of 7, odd sides padded before merging.
public final class SwinTransformer: ImageClassifier {
    /// The published sizes.
    public enum Size: String, Sendable, CaseIterable {
        /// `swin_t`: width 96, depths 2-2-6-2.
        case t
        /// `swin_s`: width 96, depths 2-2-18-2.
        case s
        /// `swin_b`: width 128, depths 2-2-18-2.
        case b

        /// (embedding width, blocks per stage, heads per stage, stochastic depth rate) as torchvision's builders set them.
        var shape: (width: Int, depths: [Int], heads: [Int], stochasticDepth: Double) {
            switch self {
            case .t: return (96, [2, 2, 6, 2], [3, 6, 12, 24], 0.2)
            case .s: return (96, [2, 2, 18, 2], [3, 6, 12, 24], 0.3)
            case .b: return (128, [2, 2, 18, 2], [4, 8, 16, 32], 0.5)
            }
        }

        /// The transforms of torchvision's `Swin_*_Weights.DEFAULT` (IMAGENET1K_V1: crop 224, bicubic, resize 232 / 246
        /// / 238) and the head's name, for 1000 classes.
        public var pretrainedConfig: PretrainedConfig {
            let resize = [Size.t: 232, .s: 246, .b: 238][self] ?? 232
            return PretrainedConfig(inputSize: 224, resizeSize: resize, interpolation: "bicubic", classifierName: "head")
        }
    }

    let featureLayers: Sequential
    let norm: LayerNorm

    /// The network of `size` with torchvision's defaults (window 7, MLP ratio 4, dropouts 0, stochastic depth rising
    /// linearly over the blocks to the size's rate).
    public init(_ size: Size, numClasses: Int = 1000) throws {
        let (width, depths, heads, stochasticDepth) = size.shape
        let patchEmbedding = Sequential([try Conv2d(3, width, kernelSize: 4, stride: 4), Permute([0, 2, 3, 1]), try LayerNorm(width)])
        var layers: [Module] = [patchEmbedding]
        let blockCount = depths.reduce(0, +)
        var blockIndex = 0
        for (stageIndex, depth) in depths.enumerated() {
            let dim = width << stageIndex
            layers.append(Sequential(try (0..<depth).map { index in
                defer { blockIndex += 1 }
                return try SwinTransformerBlock(
                    dim: dim, heads: heads[stageIndex], shiftSize: index % 2 == 0 ? 0 : 3,
                    stochasticDepth: stochasticDepth * Double(blockIndex) / Double(blockCount - 1))
            }))
            if stageIndex < depths.count - 1 { layers.append(try PatchMerging(dim: dim)) }
        }
        featureLayers = Sequential(layers)
        let features = width << (depths.count - 1)
        norm = try LayerNorm(features)
        let head = try Linear(features, numClasses)
        var config = size.pretrainedConfig
        config.numClasses = numClasses
        super.init(name: "swin_\(size.rawValue)", pretrainedConfig: config, classifier: head)
        // torchvision's last initialisation pass: every linear layer truncated normal (std 0.02) with zero bias.
        try withNoGrad {
            for case let (_, linear as Linear) in namedModules() {
                try linear.weight.copy_(from: Initialization.truncatedNormal(linear.weight.shape, std: 0.02))
                try linear.bias?.fill_(0)
            }
        }
    }

    public override var typeName: String { "SwinTransformer" }

    public override var namedChildren: [(String, Module)] { [("features", featureLayers), ("norm", norm), ("head", classifier)] }

    /// stem (`features.0`, the patch embedding), stage1 (`features.1`), stage2…4 (each patch merging with the blocks
    /// after it; stage4 also holds the final `norm`, which comes before pooling), then `head`.
    public override var layerGroups: [LayerGroup] {
        [LayerGroup("stem", ["features.0"]), LayerGroup("stage1", ["features.1"]), LayerGroup("stage2", ["features.2", "features.3"]),
         LayerGroup("stage3", ["features.4", "features.5"]), LayerGroup("stage4", ["features.6", "features.7", "norm"]),
         LayerGroup("head", ["head"])]
    }

    /// Stage 0 embeds images [N, 3, H, W] into [N, H/4, W/4, C]; the later stages run on that layout, the last ending
    /// with `norm`.
    public override func stage(_ index: Int, _ input: Tensor) throws -> Tensor {
        let range = [0...0, 1...1, 2...3, 4...5, 6...7][index]
        let output = try featureLayers.layers[range].reduce(input) { try $1($0) }
        return index == 4 ? try norm(output) : output
    }

    /// Average over positions of [N, H, W, C]: [N, C].
    public override func pool(_ input: Tensor) throws -> Tensor { try input.mean(dims: [1, 2]) }
}

/// torchvision's `SwinTransformerBlock`: pre-norm shifted-window attention and a GELU MLP, each a residual branch
/// dropped per sample by stochastic depth while training.
final class SwinTransformerBlock: Module {
    let norm1: LayerNorm, norm2: LayerNorm
    let attn: ShiftedWindowAttention
    let stochasticDepth: StochasticDepth
    let mlp: Sequential

    init(dim: Int, heads: Int, shiftSize: Int, stochasticDepth probability: Double) throws {
        norm1 = try LayerNorm(dim)
        attn = try ShiftedWindowAttention(dim: dim, windowSize: 7, shiftSize: shiftSize, heads: heads)
        stochasticDepth = try StochasticDepth(p: probability)
        norm2 = try LayerNorm(dim)
        mlp = try transformerMLP(width: dim, hidden: 4 * dim, typeName: "MLP")
        super.init()
    }

    override var namedChildren: [(String, Module)] {
        [("norm1", norm1), ("attn", attn), ("stochastic_depth", stochasticDepth), ("norm2", norm2), ("mlp", mlp)]
    }

    override func forward(_ input: Tensor) throws -> Tensor {
        let x = try input + stochasticDepth(attn(norm1(input)))
        return try x + stochasticDepth(mlp(norm2(x)))
    }
}

/// torchvision's `PatchMerging`: each 2 × 2 neighbourhood of [N, H, W, C] (odd sides padded) concatenated, normalised
/// and projected to [N, H/2, W/2, 2C].
final class PatchMerging: Module {
    let reduction: Linear
    let norm: LayerNorm

    init(dim: Int) throws {
        reduction = try Linear(4 * dim, 2 * dim, bias: false)
        norm = try LayerNorm(4 * dim)
        super.init()
    }

    override var namedChildren: [(String, Module)] { [("reduction", reduction), ("norm", norm)] }

    override func forward(_ input: Tensor) throws -> Tensor {
        let (height, width) = (input.shape[1], input.shape[2])
        let x = try input.pad([0, 0, 0, width % 2, 0, height % 2])
        func quarter(_ row: Int, _ column: Int) throws -> Tensor {
            try x.slice(dim: 1, start: row, end: x.shape[1], step: 2).slice(dim: 2, start: column, end: x.shape[2], step: 2)
        }
        return try reduction(norm(Tensor.cat([quarter(0, 0), quarter(1, 0), quarter(0, 1), quarter(1, 1)], dim: -1)))
    }
}
