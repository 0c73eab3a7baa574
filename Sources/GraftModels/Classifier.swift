import GraftNN
import GraftTensor

/// A pretrained network fine-tuned for classification, whatever its input: a backbone run as a sequence of stages
/// (one per layer group except the head), pooled into features, and a replaceable linear head. `ImageClassifier` and
/// `TextClassifier` are the two kinds; the trainer (`Learner`), checkpoints and reports work on this class.
open class Classifier: Module {
    /// The registry name, e.g. `resnet50` or `minilm_l6`.
    public let name: String

    /// The final linear layer.
    public internal(set) var classifier: Linear

    /// Creates the shared part of a classifier.
    public init(name: String, classifier: Linear) {
        self.name = name
        self.classifier = classifier
        super.init()
    }

    /// Groups from the input side to the head; the last one is always `head`.
    open var layerGroups: [LayerGroup] { [] }

    /// `stateDict` with the keys of older checkpoint layouts of this architecture renamed to the current ones, for
    /// loading files saved before a rename (DenseNet's `norm.1` → `norm1`); the identity unless an architecture
    /// overrides it. `PretrainedModel` applies it before loading a weights file.
    open func renamingLegacyKeys(_ stateDict: [(String, Tensor)]) -> [(String, Tensor)] { stateDict }

    /// Called after `classifier` changed, for architectures that keep it inside a container.
    open func classifierDidChange() throws {}

    /// Number of backbone stages: one per layer group except the head.
    public var stageCount: Int { layerGroups.count - 1 }

    /// Joins stage outputs of several batches along dim 0 into one tensor, so a trainer can cache the output of
    /// frozen leading stages: plain concatenation unless the outputs of different batches differ in more than their
    /// batch size (a text encoder pads them to the longest first).
    open func concatenateStageOutputs(_ outputs: [Tensor]) throws -> Tensor {
        try Tensor.cat(outputs)
    }

    /// A batch of rows taken from `concatenateStageOutputs`' result, made as small as its own rows allow before the
    /// remaining stages run on it (the identity unless `concatenateStageOutputs` padded).
    open func trimStageOutput(_ output: Tensor) throws -> Tensor { output }

    /// Runs backbone stage `index`, the modules of layer group `index`.
    open func stage(_ index: Int, _ input: Tensor) throws -> Tensor {
        throw NNError.notImplemented("\(typeName).stage")
    }

    /// Turns the last stage's output into features [N, F], the input of `classify(features:)`: F is
    /// `classifier.inFeatures` unless the head runs more layers before `classifier` (MobileNetV3's does).
    open func pool(_ input: Tensor) throws -> Tensor {
        throw NNError.notImplemented("\(typeName).pool")
    }

    /// Runs the stages in `range` in order (the output of stage `range.lowerBound - 1` goes in).
    public func stages(_ range: Range<Int>, _ input: Tensor) throws -> Tensor {
        try range.reduce(input) { try stage($1, $0) }
    }

    /// Backbone output: pooled features [N, F] of a batch of inputs (see `pool(_:)`).
    open func features(_ input: Tensor) throws -> Tensor {
        try pool(stages(0..<stageCount, input))
    }

    /// Head output from backbone features (dropout, when the architecture has it, then the linear layer).
    open func classify(features: Tensor) throws -> Tensor {
        try classifier(features)
    }

    public override func forward(_ input: Tensor) throws -> Tensor {
        try classify(features: features(backboneInput(input)))
    }

    /// The input in the layout the backbone runs fastest in; callers of `features(_:)` pass their batch through this
    /// first (the identity unless an architecture says otherwise).
    open func backboneInput(_ input: Tensor) throws -> Tensor { input }

    /// Swaps the classifier for a fresh, seeded `Linear(inFeatures, numClasses)` (PyTorch's default init), on the old
    /// head's device and dtype (initialised on the CPU first, so the seed gives the same weights on every device).
    open func replaceHead(numClasses: Int) throws {
        guard numClasses >= 1 else { throw NNError.invalidConfiguration("numClasses must be at least 1, got \(numClasses)") }
        let head = try Linear(classifier.inFeatures, numClasses)
        try head.to(classifier.weight.dtype)
        try head.to(classifier.weight.device)
        classifier = head
        try classifierDidChange()
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
