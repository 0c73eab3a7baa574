import GraftNN
import GraftTensor

/// torchvision's DenseNet-BC (121, 161, 169, 201) with torchvision's parameter names (`features.conv0`,
/// `features.denseblock1.denselayer1.norm1`, `features.transition1`, `features.norm5`, `classifier`): dense blocks
/// whose layers each see the concatenation of all earlier outputs, halving transitions between them, a final batch
/// norm, ReLU and global average pooling. Checkpoints with torchvision's legacy names (`denselayer1.norm.1`) load
/// after `renamingLegacyKeys(_:)`.
public final class DenseNet: ImageClassifier {
    /// The four published depths.
    public enum Depth: Int, Sendable, CaseIterable {
        case layers121 = 121, layers161 = 161, layers169 = 169, layers201 = 201

        /// Channels each dense layer adds (torchvision's `growth_rate`).
        var growthRate: Int { self == .layers161 ? 48 : 32 }
        /// Dense layers per block (`block_config`).
        var blockLayers: [Int] {
            switch self {
            case .layers121: return [6, 12, 24, 16]
            case .layers161: return [6, 12, 36, 24]
            case .layers169: return [6, 12, 32, 32]
            case .layers201: return [6, 12, 48, 32]
            }
        }
        /// Channels of the stem convolution (`num_init_features`).
        var initialFeatures: Int { self == .layers161 ? 96 : 64 }
    }

    let featureLayers: DenseNetFeatures

    /// The network of `depth` with torchvision's defaults (bottleneck width 4 × growth rate, no dropout).
    public init(_ depth: Depth, numClasses: Int = 1000) throws {
        featureLayers = try DenseNetFeatures(depth)
        // torchvision's default (and only) weights, IMAGENET1K_V1: resize 256, crop 224, bilinear.
        let config = PretrainedConfig(classifierName: "classifier", numClasses: numClasses)
        super.init(name: "densenet\(depth.rawValue)", pretrainedConfig: config,
                   classifier: try Linear(featureLayers.outChannels, numClasses))
    }

    public override var typeName: String { "DenseNet" }

    public override var namedChildren: [(String, Module)] { [("features", featureLayers), ("classifier", classifier)] }

    /// stem (conv0, norm0), one group per dense block with the transition after it (the last with norm5), head.
    public override var layerGroups: [LayerGroup] {
        let blocks = (1...featureLayers.blocks.count).map { index in
            LayerGroup("denseblock\(index)", ["features.denseblock\(index)", index < featureLayers.blocks.count ? "features.transition\(index)" : "features.norm5"])
        }
        return [LayerGroup("stem", ["features.conv0", "features.norm0"])] + blocks + [LayerGroup("head", ["classifier"])]
    }

    public override func stage(_ index: Int, _ input: Tensor) throws -> Tensor {
        try featureLayers.stage(index, input)
    }

    /// The final ReLU (a new tensor: the input may be a cached stage output), then global average pooling.
    public override func pool(_ input: Tensor) throws -> Tensor {
        try super.pool(input.relu())
    }

    /// `stateDict` with torchvision's legacy dense-layer names (`…denselayer1.norm.1.weight`, as in torchvision's
    /// DenseNet checkpoint files) renamed to the current ones (`…denselayer1.norm1.weight`) by the pattern of
    /// torchvision's `densenet._load_state_dict`; other keys are kept.
    public override func renamingLegacyKeys(_ stateDict: [(String, Tensor)]) -> [(String, Tensor)] {
        stateDict.map { name, tensor in
            (name.replacing(/^(.*denselayer\d+\.(?:norm|relu|conv))\.([12]\.(?:weight|bias|running_mean|running_var))$/) { "\($0.1)\($0.2)" }, tensor)
        }
    }
}

/// DenseNet's `features`: conv0, norm0, relu0, pool0, then denseblockN and transitionN, and norm5.
final class DenseNetFeatures: Module {
    let conv0: Conv2d, norm0: BatchNorm2d, relu0 = ReLU(inPlace: true), pool0 = MaxPool2d(kernelSize: 3, stride: 2, padding: 1)
    let blocks: [DenseBlock]
    let transitions: [DenseTransition]
    let norm5: BatchNorm2d
    /// Channels of norm5's output.
    let outChannels: Int

    init(_ depth: DenseNet.Depth) throws {
        conv0 = try Conv2d(3, depth.initialFeatures, kernelSize: 7, stride: 2, padding: 3, bias: false)
        norm0 = try BatchNorm2d(depth.initialFeatures)
        var channels = depth.initialFeatures
        var blocks: [DenseBlock] = [], transitions: [DenseTransition] = []
        for (index, layers) in depth.blockLayers.enumerated() {
            blocks.append(try DenseBlock(layers: layers, inChannels: channels, growthRate: depth.growthRate))
            channels += layers * depth.growthRate
            if index < depth.blockLayers.count - 1 {
                transitions.append(try DenseTransition(channels, channels / 2))
                channels /= 2
            }
        }
        self.blocks = blocks
        self.transitions = transitions
        norm5 = try BatchNorm2d(channels)
        outChannels = channels
        super.init()
    }

    override var typeName: String { "Sequential" }

    override var namedChildren: [(String, Module)] {
        var children: [(String, Module)] = [("conv0", conv0), ("norm0", norm0), ("relu0", relu0), ("pool0", pool0)]
        for (index, block) in blocks.enumerated() {
            children.append(("denseblock\(index + 1)", block))
            if index < transitions.count { children.append(("transition\(index + 1)", transitions[index])) }
        }
        return children + [("norm5", norm5)]
    }

    /// Stage 0: the stem; stage i: dense block i and the transition after it (norm5 after the last block).
    func stage(_ index: Int, _ input: Tensor) throws -> Tensor {
        guard index > 0 else { return try pool0(relu0(conv0(input, normalizedBy: norm0))) }
        let out = try blocks[index - 1](input)
        return index - 1 < transitions.count ? try transitions[index - 1](out) : try norm5(out)
    }

    override func forward(_ input: Tensor) throws -> Tensor {
        try (0...blocks.count).reduce(input) { try stage($1, $0) }
    }
}

/// Dense layers named denselayer1, …; each gets the concatenation of the block input and all earlier layers' outputs,
/// and the block returns the concatenation of all of them.
final class DenseBlock: Module {
    let layers: [DenseLayer]

    init(layers count: Int, inChannels: Int, growthRate: Int) throws {
        layers = try (0..<count).map { try DenseLayer(inChannels + $0 * growthRate, growthRate: growthRate) }
        super.init()
    }

    override var typeName: String { "_DenseBlock" }

    override var namedChildren: [(String, Module)] { layers.enumerated().map { ("denselayer\($0.offset + 1)", $0.element) } }

    override func forward(_ input: Tensor) throws -> Tensor {
        var features = [input]
        for layer in layers { features.append(try layer(Tensor.cat(features, dim: 1))) }
        return try Tensor.cat(features, dim: 1)
    }
}

/// Batch norm, ReLU, 1×1 convolution to 4 × growth rate, batch norm, ReLU, 3×3 convolution to growth rate.
final class DenseLayer: Module {
    let norm1: BatchNorm2d, relu1 = ReLU(inPlace: true), conv1: Conv2d
    let norm2: BatchNorm2d, relu2 = ReLU(inPlace: true), conv2: Conv2d

    init(_ inChannels: Int, growthRate: Int) throws {
        let bottleneck = 4 * growthRate
        norm1 = try BatchNorm2d(inChannels)
        conv1 = try Conv2d(inChannels, bottleneck, kernelSize: 1, bias: false)
        norm2 = try BatchNorm2d(bottleneck)
        conv2 = try Conv2d(bottleneck, growthRate, kernelSize: 3, padding: 1, bias: false)
        super.init()
    }

    override var typeName: String { "_DenseLayer" }

    override var namedChildren: [(String, Module)] {
        [("norm1", norm1), ("relu1", relu1), ("conv1", conv1), ("norm2", norm2), ("relu2", relu2), ("conv2", conv2)]
    }

    /// The ReLUs overwrite only fresh batch-norm outputs (norm2 folded into conv1 during inference).
    override func forward(_ input: Tensor) throws -> Tensor {
        try conv2(relu2(conv1(relu1(norm1(input)), normalizedBy: norm2)))
    }
}

/// Batch norm, ReLU, 1×1 convolution, 2×2 average pooling with stride 2 (torchvision's `_Transition`).
final class DenseTransition: Module {
    let norm: BatchNorm2d, relu = ReLU(inPlace: true), conv: Conv2d, pool = AvgPool2d(kernelSize: 2, stride: 2)

    init(_ inChannels: Int, _ outChannels: Int) throws {
        norm = try BatchNorm2d(inChannels)
        conv = try Conv2d(inChannels, outChannels, kernelSize: 1, bias: false)
        super.init()
    }

    override var typeName: String { "_Transition" }

    override var namedChildren: [(String, Module)] { [("norm", norm), ("relu", relu), ("conv", conv), ("pool", pool)] }

    override func forward(_ input: Tensor) throws -> Tensor { try pool(conv(relu(norm(input)))) }
}
