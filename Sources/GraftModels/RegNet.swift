import GraftNN
import GraftTensor

/// torchvision's RegNet X and Y (400MF to 32GF) with torchvision's parameter names: `stem` (3×3 stride-2
/// conv-BN-ReLU, 32 channels), `trunk_output.block1`…`block4` of residual bottleneck blocks
/// (`trunk_output.block1.block1-0.f.a.0.weight`) with grouped 3×3 convolutions and, for Y, squeeze-excitation, and `fc`.
public final class RegNet: ImageClassifier {
    /// The published sizes (regnet_y_128gf is left out).
    public enum Size: String, Sendable, CaseIterable {
        /// `regnet_y_400mf`: about 0.4 GFLOPs at 224 px, with squeeze-excitation.
        case y400mf = "y_400mf"
        /// `regnet_y_800mf`: about 0.8 GFLOPs at 224 px, with squeeze-excitation.
        case y800mf = "y_800mf"
        /// `regnet_y_1_6gf`: about 1.6 GFLOPs at 224 px, with squeeze-excitation.
        case y1_6gf = "y_1_6gf"
        /// `regnet_y_3_2gf`: about 3.2 GFLOPs at 224 px, with squeeze-excitation.
        case y3_2gf = "y_3_2gf"
        /// `regnet_y_8gf`: about 8 GFLOPs at 224 px, with squeeze-excitation.
        case y8gf = "y_8gf"
        /// `regnet_y_16gf`: about 16 GFLOPs at 224 px, with squeeze-excitation.
        case y16gf = "y_16gf"
        /// `regnet_y_32gf`: about 32 GFLOPs at 224 px, with squeeze-excitation.
        case y32gf = "y_32gf"
        /// `regnet_x_400mf`: about 0.4 GFLOPs at 224 px, without squeeze-excitation.
        case x400mf = "x_400mf"
        /// `regnet_x_800mf`: about 0.8 GFLOPs at 224 px, without squeeze-excitation.
        case x800mf = "x_800mf"
        /// `regnet_x_1_6gf`: about 1.6 GFLOPs at 224 px, without squeeze-excitation.
        case x1_6gf = "x_1_6gf"
        /// `regnet_x_3_2gf`: about 3.2 GFLOPs at 224 px, without squeeze-excitation.
        case x3_2gf = "x_3_2gf"
        /// `regnet_x_8gf`: about 8 GFLOPs at 224 px, without squeeze-excitation.
        case x8gf = "x_8gf"
        /// `regnet_x_16gf`: about 16 GFLOPs at 224 px, without squeeze-excitation.
        case x16gf = "x_16gf"
        /// `regnet_x_32gf`: about 32 GFLOPs at 224 px, without squeeze-excitation.
        case x32gf = "x_32gf"

        /// torchvision's design-space parameters of the size (`regnet_<size>` in regnet.py).
        public func blockParams() throws -> RegNetBlockParams {
            switch self {
            case .y400mf: return try RegNetBlockParams(depth: 16, w0: 48, wa: 27.89, wm: 2.09, groupWidth: 8, seRatio: 0.25)
            case .y800mf: return try RegNetBlockParams(depth: 14, w0: 56, wa: 38.84, wm: 2.4, groupWidth: 16, seRatio: 0.25)
            case .y1_6gf: return try RegNetBlockParams(depth: 27, w0: 48, wa: 20.71, wm: 2.65, groupWidth: 24, seRatio: 0.25)
            case .y3_2gf: return try RegNetBlockParams(depth: 21, w0: 80, wa: 42.63, wm: 2.66, groupWidth: 24, seRatio: 0.25)
            case .y8gf: return try RegNetBlockParams(depth: 17, w0: 192, wa: 76.82, wm: 2.19, groupWidth: 56, seRatio: 0.25)
            case .y16gf: return try RegNetBlockParams(depth: 18, w0: 200, wa: 106.23, wm: 2.48, groupWidth: 112, seRatio: 0.25)
            case .y32gf: return try RegNetBlockParams(depth: 20, w0: 232, wa: 115.89, wm: 2.53, groupWidth: 232, seRatio: 0.25)
            case .x400mf: return try RegNetBlockParams(depth: 22, w0: 24, wa: 24.48, wm: 2.54, groupWidth: 16)
            case .x800mf: return try RegNetBlockParams(depth: 16, w0: 56, wa: 35.73, wm: 2.28, groupWidth: 16)
            case .x1_6gf: return try RegNetBlockParams(depth: 18, w0: 80, wa: 34.01, wm: 2.25, groupWidth: 24)
            case .x3_2gf: return try RegNetBlockParams(depth: 25, w0: 88, wa: 26.31, wm: 2.25, groupWidth: 48)
            case .x8gf: return try RegNetBlockParams(depth: 23, w0: 80, wa: 49.56, wm: 2.88, groupWidth: 120)
            case .x16gf: return try RegNetBlockParams(depth: 22, w0: 216, wa: 55.59, wm: 2.1, groupWidth: 128)
            case .x32gf: return try RegNetBlockParams(depth: 23, w0: 320, wa: 69.86, wm: 2.0, groupWidth: 168)
            }
        }
    }

    let stem: Sequential
    let trunkOutput: Sequential
    let avgpool = AdaptiveAvgPool2d((1, 1))

    /// The network of `size` with torchvision's defaults (batch norm eps 1e-5, momentum 0.1; ReLU). Every size's
    /// DEFAULT weights are IMAGENET1K_V2: resize 232, crop 224, bilinear.
    public init(_ size: Size, numClasses: Int = 1000) throws {
        let params = try size.blockParams()
        let stemWidth = 32
        stem = try convNormActivation(3, stemWidth, kernel: 3, stride: 2, activation: ReLU(inPlace: true), typeName: "SimpleStemIN")
        var inWidth = stemWidth
        var stages: [(String, Module)] = []
        for stage in params.widths.indices {
            let width = params.widths[stage]
            let blocks = try (0..<params.depths[stage]).map { index -> (String, Module) in
                let block = try ResBottleneckBlock(
                    index == 0 ? inWidth : width, width, stride: index == 0 ? 2 : 1, groupWidth: params.groupWidths[stage],
                    bottleneckMultiplier: params.bottleneckMultipliers[stage], seRatio: params.seRatio)
                return ("block\(stage + 1)-\(index)", block)
            }
            stages.append(("block\(stage + 1)", Sequential(named: blocks, typeName: "AnyStage")))
            inWidth = width
        }
        trunkOutput = Sequential(named: stages)
        let config = PretrainedConfig(resizeSize: 232, classifierName: "fc", numClasses: numClasses)
        super.init(name: "regnet_\(size.rawValue)", pretrainedConfig: config, classifier: try Linear(inWidth, numClasses))
    }

    public override var typeName: String { "RegNet" }

    public override var namedChildren: [(String, Module)] {
        [("stem", stem), ("trunk_output", trunkOutput), ("avgpool", avgpool), ("fc", classifier)]
    }

    /// stem, stage1–stage4 (`trunk_output.block1`–`block4`), head (`fc`).
    public override var layerGroups: [LayerGroup] {
        [LayerGroup("stem", ["stem"])]
            + trunkOutput.names.enumerated().map { LayerGroup("stage\($0.offset + 1)", ["trunk_output.\($0.element)"]) }
            + [LayerGroup("head", ["fc"])]
    }

    public override func stage(_ index: Int, _ input: Tensor) throws -> Tensor {
        index == 0 ? try stem(input) : try trunkOutput.layers[index - 1](input)
    }
}

/// RegNet's residual bottleneck: `f` = 1×1 (`a`), grouped 3×3 with the stride (`b`), squeeze-excitation on Y (`se`,
/// ReLU and sigmoid, squeezing to `seRatio` × the block's input width), 1×1 (`c`), added to the input (through the
/// 1×1 projection `proj` when the shape changes), then ReLU.
final class ResBottleneckBlock: Module {
    let proj: Sequential?
    let f: Sequential
    let activation = ReLU(inPlace: true)

    init(_ inWidth: Int, _ outWidth: Int, stride: Int, groupWidth: Int, bottleneckMultiplier: Double, seRatio: Double?) throws {
        proj = inWidth != outWidth || stride != 1
            ? try convNormActivation(inWidth, outWidth, kernel: 1, stride: stride, activation: nil) : nil
        let bottleneck = Int((Double(outWidth) * bottleneckMultiplier).rounded(.toNearestOrEven))
        var layers: [(String, Module)] = [
            ("a", try convNormActivation(inWidth, bottleneck, kernel: 1, activation: ReLU(inPlace: true))),
            ("b", try convNormActivation(bottleneck, bottleneck, kernel: 3, stride: stride, groups: bottleneck / groupWidth,
                                         activation: ReLU(inPlace: true))),
        ]
        if let seRatio, seRatio > 0 {
            let squeezed = Int((seRatio * Double(inWidth)).rounded(.toNearestOrEven))
            layers.append(("se", try SqueezeExcitation(bottleneck, squeezed, scaleActivation: Sigmoid())))
        }
        layers.append(("c", try convNormActivation(bottleneck, outWidth, kernel: 1, activation: nil)))
        f = Sequential(named: layers, typeName: "BottleneckTransform")
        super.init()
    }

    override var namedChildren: [(String, Module)] {
        (proj.map { [("proj", $0)] } ?? []) + [("f", f), ("activation", activation)]
    }

    /// ReLU(shortcut + f(x)); during inference in place on f's fresh batch-norm output.
    override func forward(_ input: Tensor) throws -> Tensor {
        let shortcut = try proj.map { try $0(input) } ?? input
        return try f(input).overwrittenDuringInference({
            try $0.add_(shortcut)
            try $0.clampMin_(0)
        }, otherwise: { try ($0 + shortcut).relu() })
    }
}
