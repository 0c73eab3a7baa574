import GraftNN
import GraftTensor

/// torchvision's MobileNetV2 with torchvision's parameter names (`features.N…`, `classifier.1`).
public final class MobileNetV2: ImageClassifier {
    let featureLayers: Sequential
    let dropout: Dropout
    let classifierBlock: Sequential

    /// (expansion t, output channels c, repeats n, first stride s) of each stage, from the paper.
    static let settings: [(t: Int, c: Int, n: Int, s: Int)] = [
        (1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1),
    ]

    /// The standard width-1.0 network.
    public init(numClasses: Int = 1000) throws {
        var layers: [Module] = [try convNormActivation(3, 32, kernel: 3, stride: 2, activation: ReLU6(inPlace: true))]
        var inChannels = 32
        for setting in Self.settings {
            for i in 0..<setting.n {
                layers.append(try InvertedResidual(inChannels, setting.c, stride: i == 0 ? setting.s : 1, expandRatio: setting.t))
                inChannels = setting.c
            }
        }
        layers.append(try convNormActivation(inChannels, 1280, kernel: 1, activation: ReLU6(inPlace: true)))
        featureLayers = Sequential(layers)
        dropout = try Dropout(p: 0.2)
        let head = try Linear(1280, numClasses)
        classifierBlock = Sequential([dropout, head])
        super.init(
            name: "mobilenet_v2", pretrainedConfig: PretrainedConfig(classifierName: "classifier.1", numClasses: numClasses),
            classifier: head, usesChannelsLast: true)
    }

    public override var typeName: String { "MobileNetV2" }

    public override var namedChildren: [(String, Module)] { [("features", featureLayers), ("classifier", classifierBlock)] }

    /// Indices of `features` in each backbone group.
    static let groupRanges = [0...1, 2...3, 4...6, 7...10, 11...13, 14...16, 17...18]

    /// stem (features.0–1), six stages by output resolution/width, the last with the 1×1 head conv, then the classifier.
    public override var layerGroups: [LayerGroup] {
        let names = ["stem", "stage1", "stage2", "stage3", "stage4", "stage5", "stage6"]
        return zip(names, Self.groupRanges).map { LayerGroup($0, $1.map { "features.\($0)" }) } + [LayerGroup("head", ["classifier"])]
    }

    public override func classifierDidChange() throws { try classifierBlock.replace(at: 1, with: classifier) }

    public override func stage(_ index: Int, _ input: Tensor) throws -> Tensor {
        try featureLayers.layers[Self.groupRanges[index]].reduce(input) { try $1($0) }
    }

    public override func classify(features: Tensor) throws -> Tensor { try classifierBlock(features) }
}

/// Expand (1×1), depthwise (3×3), project (1×1, linear), with a shortcut when shapes allow.
final class InvertedResidual: Module {
    let conv: Sequential
    let useShortcut: Bool

    init(_ inChannels: Int, _ outChannels: Int, stride: Int, expandRatio: Int) throws {
        let hidden = inChannels * expandRatio
        var layers: [Module] = []
        if expandRatio != 1 { layers.append(try convNormActivation(inChannels, hidden, kernel: 1, activation: ReLU6(inPlace: true))) }
        layers.append(try convNormActivation(hidden, hidden, kernel: 3, stride: stride, groups: hidden, activation: ReLU6(inPlace: true)))
        layers.append(try Conv2d(hidden, outChannels, kernelSize: 1, bias: false))
        layers.append(try BatchNorm2d(outChannels))
        conv = Sequential(layers)
        useShortcut = stride == 1 && inChannels == outChannels
        super.init()
    }

    override var namedChildren: [(String, Module)] { [("conv", conv)] }

    override func forward(_ input: Tensor) throws -> Tensor {
        let out = try conv(input)
        return useShortcut ? try out + input : out
    }
}
