import GraftData

/// The images a run trains and validates on, with the preprocessing for each.
public struct TrainingData: Sendable {
    /// Training samples.
    public var train: AnyImageDataset
    /// Validation samples.
    public var validation: AnyImageDataset
    /// Augmenting preprocessing for training.
    public var trainTransform: TransformPipeline
    /// Deterministic preprocessing for validation and evaluation.
    public var evalTransform: TransformPipeline
    /// A one-line description for reports, e.g. `ImageFolder photos/ (3 classes)`.
    public var description: String

    /// Bundles the parts.
    public init(train: AnyImageDataset, validation: AnyImageDataset, trainTransform: TransformPipeline,
                evalTransform: TransformPipeline, description: String) {
        self.train = train
        self.validation = validation
        self.trainTransform = trainTransform
        self.evalTransform = evalTransform
        self.description = description
    }
}
