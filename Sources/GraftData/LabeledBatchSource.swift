import GraftTensor

/// One batch as a trainer consumes it: the model's input tensor and the labels, with the dataset index of each row.
public struct LabeledTensors {
    /// The model input: images [N, 3, H, W] (float32) for an image model, token rows [N, 3, L] (int64: ids, token
    /// type ids, attention mask) for a text model.
    public let inputs: Tensor
    /// Class indices [N] (int64).
    public let labels: Tensor
    /// The dataset index of each row, in batch order.
    public let sampleIndices: [Int]
    /// Which of the epoch's batch groups (`LabeledBatchSource.batchGroups`) this batch is; a group whose samples were
    /// all skipped yields no batch, so the next batch's group tells a trainer how many were passed over.
    public let group: Int

    /// Bundles a batch of batch group `group`.
    public init(inputs: Tensor, labels: Tensor, sampleIndices: [Int], group: Int) {
        self.inputs = inputs
        self.labels = labels
        self.sampleIndices = sampleIndices
        self.group = group
    }

    /// Number of samples.
    public var count: Int { sampleIndices.count }
}

/// The batches of one epoch, in order, as tensors.
public protocol LabeledBatchIterator: AnyObject {
    /// The next non-empty batch on `device`; nil at the end of the epoch; throws a bad sample's error when the source
    /// was told to stop at bad input.
    func next(on device: Device) throws -> LabeledTensors?
    /// Every sample skipped as bad input so far this epoch.
    var skipped: [SkippedSample] { get }
}

/// Where a trainer gets labelled batches from, epoch by epoch: an image `DataLoader`, a text loader, …. The same seed
/// gives the same batches.
public protocol LabeledBatchSource: Sendable {
    /// Number of samples.
    var sampleCount: Int { get }
    /// The class names, in label order.
    var classes: [String] { get }
    /// The label of sample `index` (without loading the sample).
    func label(at index: Int) -> Int
    /// Whether a sample's input differs from epoch to epoch (random augmentation); when it does not, a trainer may
    /// reuse one pass's outputs of frozen layers for the whole run.
    var variesByEpoch: Bool { get }
    /// What one sample is called in messages, plural: `images`, `texts`.
    var sampleNoun: String { get }
    /// Samples per batch (the last batch may be smaller).
    var batchSize: Int { get }
    /// Batches per epoch.
    var batchCount: Int { get }
    /// The dataset indices of one epoch in visiting order.
    func order(epoch: Int) -> [Int]
    /// The dataset indices of each batch of `epoch`, in visiting order (`order(epoch:)` cut into `batchSize` pieces
    /// unless a source batches otherwise).
    func batchGroups(epoch: Int) -> [[Int]]
    /// The same source visiting the samples in dataset order, with the same per-epoch preprocessing.
    func inDatasetOrder() -> Self
    /// Starts loading the batches `groups` (dataset indices) with `epoch`'s preprocessing.
    func labeledBatches(groups: [[Int]], epoch: Int) -> any LabeledBatchIterator
}

extension LabeledBatchSource {
    public func batchGroups(epoch: Int) -> [[Int]] {
        let order = order(epoch: epoch)
        return stride(from: 0, to: order.count, by: batchSize).map { Array(order[$0..<min($0 + batchSize, order.count)]) }
    }

    /// Starts loading `epoch`'s batches.
    public func labeledBatches(epoch: Int) -> any LabeledBatchIterator {
        labeledBatches(groups: batchGroups(epoch: epoch), epoch: epoch)
    }
}
