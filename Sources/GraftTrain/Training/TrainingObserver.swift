import GraftReport

/// Where a batch of work stands, for progress bars.
public struct BatchProgress: Sendable {
    /// What is running: `train`, `validate` or `cache features`.
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

/// Receives what the trainer does; the trainer itself never prints.
public protocol TrainingObserver: AnyObject {
    /// A phase change (groups unfrozen) or a resume, in words.
    func note(_ message: String)
    /// A pitfall or a skipped bad image, in words naming the fix.
    func warning(_ message: String)
    /// After every batch.
    func batchFinished(_ progress: BatchProgress)
    /// After every epoch, with whether it is the best so far.
    func epochFinished(_ record: EpochRecord, isBest: Bool)
}
