import GraftNN
import GraftTensor

/// torchvision's Vision Transformer (`vit_b_16`, `vit_b_32`, `vit_l_16`, `vit_l_32`) with torchvision's parameter names (`conv_proj`,
/// `class_token`, `encoder.pos_embedding`, `encoder.layers.encoder_layer_N…`, `encoder.ln`, `heads.head`). Images may
/// have any size that is a multiple of the patch size: the position embeddings of the patch grid are then resized
/// bicubically as `torchvision.models.vision_transformer.interpolate_embeddings` does (the class token's stays).
public final class VisionTransformer: ImageClassifier {
    /// The published sizes.
    public enum Size: String, Sendable, CaseIterable {
        /// `vit_b_16`: 12 layers of width 768, 16-pixel patches.
        case b16 = "b_16"
        /// `vit_b_32`: 12 layers of width 768, 32-pixel patches.
        case b32 = "b_32"
        /// `vit_l_16`: 24 layers of width 1024, 16-pixel patches.
        case l16 = "l_16"
        /// `vit_l_32`: 24 layers of width 1024, 32-pixel patches.
        case l32 = "l_32"

        /// (patch size, layers, heads, hidden width, MLP width) as torchvision's builders set them.
        var shape: (patch: Int, layers: Int, heads: Int, hidden: Int, mlp: Int) {
            switch self {
            case .b16: return (16, 12, 12, 768, 3072)
            case .b32: return (32, 12, 12, 768, 3072)
            case .l16: return (16, 24, 16, 1024, 4096)
            case .l32: return (32, 24, 16, 1024, 4096)
            }
        }

        /// The transforms of torchvision's `ViT_*_Weights.DEFAULT` (IMAGENET1K_V1: crop 224, bilinear, resize 256 except
        /// vit_l_16's 242) and the head's name, for 1000 classes.
        public var pretrainedConfig: PretrainedConfig {
            PretrainedConfig(inputSize: 224, resizeSize: self == .l16 ? 242 : 256, classifierName: "heads.head")
        }
    }

    /// Side of a square patch, in pixels.
    public let patchSize: Int
    /// The image side the position embeddings were made for (the pretrained weights' crop size).
    public let imageSize: Int
    let convProj: Conv2d
    /// [1, 1, hidden]: the learnt token whose final state is classified.
    let classToken: Tensor
    let encoder: ViTEncoder
    let heads: Sequential

    /// The network of `size` with torchvision's defaults (dropouts 0, layer-norm eps 1e-6), sized for its default
    /// weights' images.
    public init(_ size: Size, numClasses: Int = 1000) throws {
        let (patch, layers, headCount, hidden, mlp) = size.shape
        var config = size.pretrainedConfig
        config.numClasses = numClasses
        patchSize = patch
        imageSize = config.inputSize
        let convProj = try Conv2d(3, hidden, kernelSize: patch, stride: patch)
        try withNoGrad {
            try convProj.weight.copy_(from: Initialization.truncatedNormal(convProj.weight.shape, std: (1 / Double(3 * patch * patch)).squareRoot()))
            try convProj.bias?.fill_(0)
        }
        self.convProj = convProj
        classToken = try Initialization.constant([1, 1, hidden], 0)
        let grid = imageSize / patch
        encoder = try ViTEncoder(sequenceLength: grid * grid + 1, layers: layers, heads: headCount, hidden: hidden, mlp: mlp)
        // torchvision starts the head at zero.
        let head = try Linear(hidden, numClasses)
        try withNoGrad {
            try head.weight.fill_(0)
            try head.bias?.fill_(0)
        }
        heads = Sequential(named: [("head", head)])
        super.init(name: "vit_\(size.rawValue)", pretrainedConfig: config, classifier: head)
    }

    public override var typeName: String { "VisionTransformer" }

    public override var ownParameters: [(String, Tensor)] { [("class_token", classToken)] }

    public override var namedChildren: [(String, Module)] { [("conv_proj", convProj), ("encoder", encoder), ("heads", heads)] }

    /// stem: the embeddings (`conv_proj`, `class_token`, `encoder.pos_embedding`); one group per encoder layer (`layer1` …),
    /// then `head` (`encoder.ln` and `heads`).
    public override var layerGroups: [LayerGroup] {
        [LayerGroup("stem", ["conv_proj", "class_token", "encoder.pos_embedding"])]
            + encoder.layers.names.enumerated().map { LayerGroup("layer\($0.offset + 1)", ["encoder.layers.\($0.element)"]) }
            + [LayerGroup("head", ["encoder.ln", "heads"])]
    }

    public override func classifierDidChange() throws { try heads.replace(at: 0, with: classifier) }

    /// Stage 0 embeds images [N, 3, H, W] into tokens [N, 1 + (H/p)(W/p), hidden]; stage i > 0 runs encoder layer i - 1.
    public override func stage(_ index: Int, _ input: Tensor) throws -> Tensor {
        guard index > 0 else { return try embed(input) }
        return try encoder.layers.layers[index - 1](input)
    }

    /// The class token's final state [N, hidden] (layer normalisation is per token, so `classify` applies it after).
    public override func pool(_ input: Tensor) throws -> Tensor { try input.select(dim: 1, index: 0) }

    /// `encoder.ln`, then `heads`, on the class token's state [N, hidden].
    public override func classify(features: Tensor) throws -> Tensor { try classifier(encoder.ln(features)) }

    /// Patch tokens with the class token in front, plus the position embeddings (resized to the patch grid if needed).
    func embed(_ images: Tensor) throws -> Tensor {
        guard images.rank == 4, images.shape[2] % patchSize == 0, images.shape[3] % patchSize == 0 else {
            throw NNError.invalidConfiguration(
                "\(name) needs images [N, 3, H, W] whose sides are multiples of \(patchSize) pixels, got \(images.shape)")
        }
        let patches = try convProj(images).flatten(start: 2).transpose(1, 2)
        let n = patches.shape[0], hidden = patches.shape[2]
        let tokens = try Tensor.cat([classToken.expand([n, 1, hidden]), patches], dim: 1)
        let grid = (images.shape[2] / patchSize, images.shape[3] / patchSize)
        let native = imageSize / patchSize
        let positions = grid == (native, native)
            ? encoder.posEmbedding : try Self.interpolatedPositionEmbedding(encoder.posEmbedding, grid: grid)
        return try tokens + positions
    }

    /// `interpolate_embeddings`' arithmetic on position embeddings [1, 1 + s², hidden] of a square s × s patch grid: the
    /// first (class token) row kept, the grid rows resized bicubically (corners aligned) to `grid` (rows, columns).
    public static func interpolatedPositionEmbedding(_ embedding: Tensor, grid: (Int, Int)) throws -> Tensor {
        let (count, hidden) = (embedding.shape[1] - 1, embedding.shape[2])
        let side = Int(Double(count).squareRoot())
        guard embedding.rank == 3, embedding.shape[0] == 1, side * side == count else {
            throw NNError.invalidConfiguration("position embeddings \(embedding.shape) are not [1, 1 + s², hidden]")
        }
        let token = try embedding.slice(dim: 1, start: 0, end: 1)
        let image = try embedding.slice(dim: 1, start: 1, end: count + 1).permute([0, 2, 1]).reshape([1, hidden, side, side])
        let resized = try image.upsampleBicubic2d(size: grid, alignCorners: true)
            .reshape([1, hidden, grid.0 * grid.1]).permute([0, 2, 1])
        return try Tensor.cat([token, resized], dim: 1)
    }
}

/// torchvision's `Encoder`: learnt position embeddings, the encoder layers (`encoder_layer_N`) and a final layer norm.
final class ViTEncoder: Module {
    /// [1, sequence length, hidden], initialised like BERT's (normal, std 0.02).
    let posEmbedding: Tensor
    let layers: Sequential
    let ln: LayerNorm

    init(sequenceLength: Int, layers count: Int, heads: Int, hidden: Int, mlp: Int) throws {
        posEmbedding = try (Tensor.randn([1, sequenceLength, hidden]) * 0.02).requiresGrad_()
        layers = Sequential(named: try (0..<count).map { ("encoder_layer_\($0)", try ViTEncoderBlock(heads: heads, hidden: hidden, mlp: mlp)) })
        ln = try LayerNorm(hidden, eps: 1e-6)
        super.init()
    }

    override var typeName: String { "Encoder" }

    override var ownParameters: [(String, Tensor)] { [("pos_embedding", posEmbedding)] }

    override var namedChildren: [(String, Module)] { [("layers", layers), ("ln", ln)] }
}

/// torchvision's `EncoderBlock`: pre-norm self-attention and a GELU MLP (`mlp.0`, `mlp.3`), each with a shortcut.
final class ViTEncoderBlock: Module {
    let ln1: LayerNorm, ln2: LayerNorm
    let selfAttention: MultiheadAttention
    let mlp: Sequential

    init(heads: Int, hidden: Int, mlp width: Int) throws {
        ln1 = try LayerNorm(hidden, eps: 1e-6)
        selfAttention = try MultiheadAttention(embedDim: hidden, heads: heads)
        ln2 = try LayerNorm(hidden, eps: 1e-6)
        mlp = try transformerMLP(width: hidden, hidden: width, typeName: "MLPBlock")
        super.init()
    }

    override var typeName: String { "EncoderBlock" }

    override var namedChildren: [(String, Module)] { [("ln_1", ln1), ("self_attention", selfAttention), ("ln_2", ln2), ("mlp", mlp)] }

    override func forward(_ input: Tensor) throws -> Tensor {
        let x = try selfAttention(ln1(input)) + input
        return try x + mlp(ln2(x))
    }
}
