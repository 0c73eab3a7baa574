import GraftNN
import GraftTensor

/// A pretrained image classifier: a backbone producing pooled features and a replaceable linear head.
open class ImageClassifier: Module {
    /// The registry name, e.g. `resnet50`.
    public let name: String
    /// Preprocessing contract and classifier location.
    public private(set) var pretrainedConfig: PretrainedConfig

    /// The final linear layer.
    public internal(set) var classifier: Linear

    /// Whether inference (eval mode without gradient recording) feeds the backbone channels-last (NHWC) images, which
    /// oneDNN's CPU depthwise convolutions run faster (docs/performance.md); outputs equal the NCHW path's within float
    /// rounding. Training always runs NCHW: libtorch 1.13's channels-last backward gives different gradients.
    public var usesChannelsLast: Bool

    /// Creates the shared part of a classifier.
    public init(name: String, pretrainedConfig: PretrainedConfig, classifier: Linear, usesChannelsLast: Bool = false) {
        self.name = name
        self.pretrainedConfig = pretrainedConfig
        self.classifier = classifier
        self.usesChannelsLast = usesChannelsLast
        super.init()
    }

    /// Groups from the input side to the head; the last one is always `head`.
    open var layerGroups: [LayerGroup] { [] }

    /// Called after `classifier` changed, for architectures that keep it inside a container.
    open func classifierDidChange() throws {}

    /// Number of backbone stages: one per layer group except the head.
    public var stageCount: Int { layerGroups.count - 1 }

    /// Runs backbone stage `index`, the modules of layer group `index`.
    open func stage(_ index: Int, _ input: Tensor) throws -> Tensor {
        throw NNError.notImplemented("\(typeName).stage")
    }

    /// Turns the last stage's output into features [N, classifier.inFeatures]: global average pooling, flattened.
    open func pool(_ input: Tensor) throws -> Tensor {
        try input.adaptiveAvgPool2d((1, 1)).flatten(start: 1)
    }

    /// Runs the stages in `range` in order (the output of stage `range.lowerBound - 1` goes in).
    public func stages(_ range: Range<Int>, _ input: Tensor) throws -> Tensor {
        try range.reduce(input) { try stage($1, $0) }
    }

    /// Backbone output: pooled, flattened features [N, classifier.inFeatures].
    public func features(_ input: Tensor) throws -> Tensor {
        try pool(stages(0..<stageCount, input))
    }

    /// Head output from backbone features (dropout, when the architecture has it, then the linear layer).
    open func classify(features: Tensor) throws -> Tensor {
        try classifier(features)
    }

    public override func forward(_ input: Tensor) throws -> Tensor {
        try classify(features: features(backboneInput(input)))
    }

    /// Images [N, 3, H, W] in the memory format the backbone runs fastest in (see `usesChannelsLast`); callers of
    /// `features(_:)` pass their batch through this first.
    public func backboneInput(_ images: Tensor) throws -> Tensor {
        usesChannelsLast && !isTraining && !isGradEnabled && images.rank == 4 ? try images.channelsLast() : images
    }

    /// Swaps the classifier for a fresh, seeded `Linear(inFeatures, numClasses)` (PyTorch's default init), on the old
    /// head's device and dtype (initialised on the CPU first, so the seed gives the same weights on every device).
    public func replaceHead(numClasses: Int) throws {
        guard numClasses >= 1 else { throw NNError.invalidConfiguration("numClasses must be at least 1, got \(numClasses)") }
        let head = try Linear(classifier.inFeatures, numClasses)
        try head.to(classifier.weight.dtype)
        try head.to(classifier.weight.device)
        classifier = head
        try classifierDidChange()
        pretrainedConfig.numClasses = numClasses
    }

    /// The group named `name`, or an error listing the valid names.
    public func layerGroup(named name: String) throws -> LayerGroup {
        guard let group = layerGroups.first(where: { $0.name == name }) else {
            throw NNError.invalidConfiguration(
                "\(self.name) has no layer group '\(name)'; groups are \(layerGroups.map(\.name).joined(separator: ", "))")
        }
        return group
    }

    /// Parameters of a group, with their names.
    public func parameters(in group: LayerGroup) -> [(String, Tensor)] {
        namedParameters().filter { group.contains($0.0) }
    }
}
