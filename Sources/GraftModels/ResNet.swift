import GraftNN
import GraftTensor

/// torchvision's ResNet (v1.5: the stride sits on the 3×3 convolution), with torchvision's parameter names; with
/// grouped or wider bottlenecks also ResNeXt and Wide ResNet.
public final class ResNet: ImageClassifier {
    /// The residual block kind of a ResNet depth.
    public enum BlockKind: Sendable { case basic, bottleneck }

    /// The ReLUs of ResNet and its blocks run in place: they only ever see a batch-norm output of the block itself.
    let conv1: Conv2d, bn1: BatchNorm2d, relu = ReLU(inPlace: true), maxpool = MaxPool2d(kernelSize: 3, stride: 2, padding: 1)
    let stages: [Sequential]
    let avgpool = AdaptiveAvgPool2d((1, 1))

    /// A ResNet with `blocks` residual blocks per stage (e.g. [2, 2, 2, 2] for ResNet-18); bottlenecks have 3×3
    /// convolutions of `groups` groups of `widthPerGroup` channels at the first stage (torchvision's `groups` and
    /// `width_per_group`: 32 and 4 for ResNeXt-50 32x4d, 1 and 128 for Wide ResNet-50-2). `resizeSize` is the resize of
    /// torchvision's default weights (256 for IMAGENET1K_V1, 232 for the V2 weights).
    public init(
        name: String, kind: BlockKind, blocks: [Int], groups: Int = 1, widthPerGroup: Int = 64, resizeSize: Int = 256,
        numClasses: Int = 1000
    ) throws {
        guard kind == .bottleneck || (groups == 1 && widthPerGroup == 64) else {
            throw NNError.invalidConfiguration("ResNet: basic blocks only support groups 1 and width per group 64")
        }
        conv1 = try Conv2d(3, 64, kernelSize: 7, stride: 2, padding: 3, bias: false)
        bn1 = try BatchNorm2d(64)
        let expansion = kind == .basic ? 1 : 4
        var inChannels = 64
        var stages: [Sequential] = []
        for (index, count) in blocks.enumerated() {
            let planes = 64 << index
            var layer: [Module] = []
            for b in 0..<count {
                let stride = (b == 0 && index > 0) ? 2 : 1
                layer.append(kind == .basic
                    ? try BasicBlock(inChannels, planes, stride: stride)
                    : try Bottleneck(inChannels, planes, stride: stride, groups: groups, widthPerGroup: widthPerGroup))
                inChannels = planes * expansion
            }
            stages.append(Sequential(layer))
        }
        self.stages = stages
        super.init(
            name: name, pretrainedConfig: PretrainedConfig(resizeSize: resizeSize, classifierName: "fc", numClasses: numClasses),
            classifier: try Linear(512 * expansion, numClasses))
    }

    public override var typeName: String { "ResNet" }

    public override var namedChildren: [(String, Module)] {
        [("conv1", conv1), ("bn1", bn1), ("relu", relu), ("maxpool", maxpool)]
            + stages.enumerated().map { ("layer\($0.offset + 1)", $0.element) }
            + [("avgpool", avgpool), ("fc", classifier)]
    }

    public override var layerGroups: [LayerGroup] {
        [LayerGroup("stem", ["conv1", "bn1"])] + (1...stages.count).map { LayerGroup("layer\($0)", ["layer\($0)"]) }
            + [LayerGroup("head", ["fc"])]
    }

    public override func stage(_ index: Int, _ input: Tensor) throws -> Tensor {
        index == 0 ? try maxpool(relu(conv1(input, normalizedBy: bn1))) : try stages[index - 1](input)
    }
}

/// Adds the shortcut (identity or 1×1 projection) and applies ReLU; during inference in place on `out` (a fresh
/// batch-norm output), as torchvision's `out += identity; relu(out)` does.
private func residual(_ out: Tensor, _ input: Tensor, _ downsample: Sequential?) throws -> Tensor {
    let shortcut = try downsample.map { try $0(input) } ?? input
    return try out.overwrittenDuringInference({
        try $0.add_(shortcut)
        try $0.clampMin_(0)
    }, otherwise: { try ($0 + shortcut).relu() })
}

/// A projection shortcut when the shape changes (1×1 conv + batch norm), else nil.
private func makeDownsample(_ inChannels: Int, _ outChannels: Int, stride: Int) throws -> Sequential? {
    guard stride != 1 || inChannels != outChannels else { return nil }
    return Sequential([try Conv2d(inChannels, outChannels, kernelSize: 1, stride: stride, bias: false), try BatchNorm2d(outChannels)])
}

/// Two 3×3 convolutions with a shortcut (ResNet-18/34).
final class BasicBlock: Module {
    let conv1: Conv2d, bn1: BatchNorm2d, relu = ReLU(inPlace: true), conv2: Conv2d, bn2: BatchNorm2d
    let downsample: Sequential?

    init(_ inChannels: Int, _ planes: Int, stride: Int) throws {
        conv1 = try Conv2d(inChannels, planes, kernelSize: 3, stride: stride, padding: 1, bias: false)
        bn1 = try BatchNorm2d(planes)
        conv2 = try Conv2d(planes, planes, kernelSize: 3, padding: 1, bias: false)
        bn2 = try BatchNorm2d(planes)
        downsample = try makeDownsample(inChannels, planes, stride: stride)
        super.init()
    }

    override var namedChildren: [(String, Module)] {
        [("conv1", conv1), ("bn1", bn1), ("relu", relu), ("conv2", conv2), ("bn2", bn2)]
            + (downsample.map { [("downsample", $0)] } ?? [])
    }

    override func forward(_ input: Tensor) throws -> Tensor {
        try residual(conv2(relu(conv1(input, normalizedBy: bn1)), normalizedBy: bn2), input, downsample)
    }
}

/// 1×1 reduce, 3×3 (strided, grouped for ResNeXt), 1×1 expand to 4 × `planes`, with a shortcut (ResNet-50 and deeper).
final class Bottleneck: Module {
    let conv1: Conv2d, bn1: BatchNorm2d, conv2: Conv2d, bn2: BatchNorm2d, conv3: Conv2d, bn3: BatchNorm2d
    let relu = ReLU(inPlace: true)
    let downsample: Sequential?

    /// torchvision's width: `planes × widthPerGroup / 64` channels per group.
    init(_ inChannels: Int, _ planes: Int, stride: Int, groups: Int, widthPerGroup: Int) throws {
        let width = planes * widthPerGroup / 64 * groups
        conv1 = try Conv2d(inChannels, width, kernelSize: 1, bias: false)
        bn1 = try BatchNorm2d(width)
        conv2 = try Conv2d(width, width, kernelSize: 3, stride: stride, padding: 1, groups: groups, bias: false)
        bn2 = try BatchNorm2d(width)
        conv3 = try Conv2d(width, planes * 4, kernelSize: 1, bias: false)
        bn3 = try BatchNorm2d(planes * 4)
        downsample = try makeDownsample(inChannels, planes * 4, stride: stride)
        super.init()
    }

    override var namedChildren: [(String, Module)] {
        [("conv1", conv1), ("bn1", bn1), ("conv2", conv2), ("bn2", bn2), ("conv3", conv3), ("bn3", bn3), ("relu", relu)]
            + (downsample.map { [("downsample", $0)] } ?? [])
    }

    override func forward(_ input: Tensor) throws -> Tensor {
        let x = try relu(conv2(relu(conv1(input, normalizedBy: bn1)), normalizedBy: bn2))
        return try residual(conv3(x, normalizedBy: bn3), input, downsample)
    }
}
