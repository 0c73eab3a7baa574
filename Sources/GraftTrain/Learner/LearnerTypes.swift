import GraftTensor

/// A batch as the training step sees it: images, or (while the leading stages are frozen and cached) those stages'
/// outputs, with their labels. `Learner.forward(_:)` turns either into logits.
public struct LearnerBatch {
    /// Images [N, 3, H, W], or the cached output of the first `stagesApplied` backbone stages.
    public let inputs: Tensor
    /// Class indices [N] (int64).
    public let labels: Tensor
    /// How many leading backbone stages were already applied to `inputs` (0: they are images).
    public let stagesApplied: Int
    /// Target class probabilities [N, C] that replace the labels in the training loss (mixup/CutMix; the loss is
    /// then `Learner.softTargetLoss`); nil trains on `labels`. The metrics always count `labels`.
    public let softTargets: Tensor?

    /// Creates a batch.
    public init(inputs: Tensor, labels: Tensor, stagesApplied: Int = 0, softTargets: Tensor? = nil) {
        self.inputs = inputs
        self.labels = labels
        self.stagesApplied = stagesApplied
        self.softTargets = softTargets
    }

    /// Number of samples.
    public var count: Int { labels.shape.first ?? 0 }
}

/// What a training step computed: the loss to back-propagate and the logits the metrics count.
public struct StepOutput {
    /// The scalar loss of the batch.
    public var loss: Tensor
    /// The model's outputs [N, classes].
    public var logits: Tensor

    /// Creates an output.
    public init(loss: Tensor, logits: Tensor) {
        self.loss = loss
        self.logits = logits
    }
}

/// A loss from logits [N, C] and labels [N] to a scalar tensor.
public typealias LossFunction = (_ logits: Tensor, _ labels: Tensor) throws -> Tensor

/// A replacement for the default training step (forward, loss): another loss, extra terms, two outputs, ….
public typealias TrainingStep = (_ learner: Learner, _ batch: LearnerBatch) throws -> StepOutput

/// How often the learning-rate schedule steps.
public enum ScheduleInterval: String, Sendable, Codable {
    /// Once after every epoch (PyTorch's usual `scheduler.step()` after the epoch).
    case epoch
    /// After every optimizer step (one-cycle).
    case batch
}

/// What the learner is doing now, as `batchBegan`/`batchEnded` callbacks see it.
public enum LearnerStage: String, Sendable {
    /// Not inside `fit()` or `validate()`.
    case idle
    /// A training pass.
    case train
    /// A validation pass.
    case validate
    /// Computing the frozen stages' outputs of the training images once.
    case cacheTraining = "cache"
    /// Computing the frozen stages' outputs of the validation images once.
    case cacheValidation = "cache validation"
}

/// Where a batch of work stands, for progress bars (`Learner.batchProgress`).
public struct BatchProgress: Sendable {
    /// What is running: `train`, `validate`, `cache` or `cache validation`.
    public var stage: String
    /// Zero-based epoch.
    public var epoch: Int
    /// Batches done in this stage (1-based).
    public var batch: Int
    /// Batches in this stage.
    public var batches: Int
    /// Mean loss so far in this stage, when measured.
    public var loss: Double?
    /// Accuracy so far in this stage, when measured.
    public var accuracy: Double?
    /// Throughput of this stage so far.
    public var imagesPerSecond: Double
    /// Seconds since the stage began.
    public var elapsed: Double
}

extension Learner {
    /// PyTorch's cross-entropy, optionally with per-class weights [C] and label smoothing.
    public static func crossEntropy(weight: Tensor? = nil, labelSmoothing: Double = 0) -> LossFunction {
        { logits, labels in try logits.crossEntropy(targets: labels, weight: weight, labelSmoothing: labelSmoothing) }
    }
}
