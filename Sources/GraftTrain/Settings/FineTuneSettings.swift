import Foundation

/// Every knob of a fine-tuning run, with the defaults that make transfer learning work. Saved in each checkpoint
/// so `--resume` continues with exactly the same settings.
public struct FineTuneSettings: Codable, Sendable, Equatable {
    /// Which parameters train when.
    public enum Strategy: String, Codable, Sendable, CaseIterable {
        /// Backbone frozen for the whole run; only the new head trains.
        case head
        /// Everything trains from the first epoch, deeper pretrained groups with smaller learning rates.
        case full
        /// Head first, then the last backbone groups are unfrozen one by one with decreasing learning rates.
        case progressive
    }

    /// The update rule.
    public enum OptimizerKind: String, Codable, Sendable, CaseIterable { case sgd, adam, adamw }

    /// How the learning rate evolves over the run.
    public enum ScheduleKind: String, Codable, Sendable, CaseIterable { case cosine, step, onecycle, constant }

    /// Whether classes are weighted in the loss.
    public enum ClassWeighting: String, Codable, Sendable, CaseIterable {
        /// Every class counts the same.
        case none
        /// Inverse class frequency, normalised to mean 1 (for imbalanced data).
        case auto
    }

    /// Epochs in the run.
    public var epochs: Int
    /// Images per batch.
    public var batchSize: Int
    /// Learning rate of the new head.
    public var headLearningRate: Double
    /// Learning rate of the last (deepest) unfrozen backbone group; earlier groups get `layerDecay` times the next.
    public var backboneLearningRate: Double
    /// Ignore `headLearningRate` and find the head's rate with `LearningRateFinder` (on cached features) before
    /// training starts; the found rate then replaces `headLearningRate` and this becomes false, so a resumed run
    /// keeps it. `headLearningRate` is the fallback when the sweep suggests nothing.
    @FalseWhenMissing public var findHeadLearningRate: Bool
    /// Ignore `backboneLearningRate` and find it with `LearningRateFinder` when the first backbone group is
    /// unfrozen (at the start for `full`), sweeping the groups trained then; later groups keep `layerDecay`'s
    /// ratios. The found rate replaces `backboneLearningRate` (and scales custom phases' backbone rates) and this
    /// becomes false. `backboneLearningRate` is the fallback when the sweep suggests nothing.
    @FalseWhenMissing public var findBackboneLearningRate: Bool
    /// Factor between the learning rates of consecutive backbone groups (0.5 = the seed's 1e-4, 5e-5, …).
    public var layerDecay: Double
    /// The update rule.
    public var optimizer: OptimizerKind
    /// L2 penalty (decoupled for AdamW).
    public var weightDecay: Double
    /// SGD momentum.
    public var momentum: Double
    /// Which parameters train when.
    public var strategy: Strategy
    /// Epochs with only the head training before the first unfreeze (progressive); nil = a third of the run.
    public var headEpochs: Int?
    /// How many backbone groups the progressive strategy unfreezes, deepest first.
    public var unfreezeDepth: Int
    /// Custom phases; when set they replace the strategy's.
    public var phases: [Phase]?
    /// How the learning rate evolves.
    public var schedule: ScheduleKind
    /// Linear warm-up epochs before the schedule.
    public var warmupEpochs: Int
    /// Label smoothing of the cross-entropy loss.
    public var labelSmoothing: Double
    /// Whether classes are weighted in the loss.
    public var classWeighting: ClassWeighting
    /// Seeds shuffling, augmentation, dropout and (through `PretrainedModel.replaceHead`) the new head.
    public var seed: UInt64
    /// Data-loading threads; nil = core count.
    public var workers: Int?
    /// Side of the network input; nil = the model's pretrained input size.
    public var imageSize: Int?
    /// Stop after this many epochs without validation improvement; nil = never.
    public var patience: Int?
    /// Train head-only epochs on cached backbone features (the frozen backbone runs once per image).
    public var cacheFeatures: Bool
    /// Skip (and count) unreadable images instead of stopping.
    public var skipBadImages: Bool
    /// Normalization statistics overriding the model's pretrained ones (a loud warning is printed when they differ).
    public var mean: [Double]?
    /// Standard deviations overriding the model's pretrained ones.
    public var std: [Double]?

    /// Settings with Graft's defaults for transfer learning, each overridable by name:
    /// `FineTuneSettings(epochs: 6, imageSize: 64)`.
    public init(
        epochs: Int = 6,
        batchSize: Int = 32,
        headLearningRate: Double = 1e-3,
        backboneLearningRate: Double = 1e-4,
        findHeadLearningRate: Bool = false,
        findBackboneLearningRate: Bool = false,
        layerDecay: Double = 0.5,
        optimizer: OptimizerKind = .adamw,
        weightDecay: Double = 1e-4,
        momentum: Double = 0.9,
        strategy: Strategy = .progressive,
        headEpochs: Int? = nil,
        unfreezeDepth: Int = 2,
        phases: [Phase]? = nil,
        schedule: ScheduleKind = .cosine,
        warmupEpochs: Int = 0,
        labelSmoothing: Double = 0.0,
        classWeighting: ClassWeighting = .none,
        seed: UInt64 = 42,
        workers: Int? = nil,
        imageSize: Int? = nil,
        patience: Int? = nil,
        cacheFeatures: Bool = true,
        skipBadImages: Bool = true,
        mean: [Double]? = nil,
        std: [Double]? = nil
    ) {
        self.epochs = epochs
        self.batchSize = batchSize
        self.headLearningRate = headLearningRate
        self.backboneLearningRate = backboneLearningRate
        self.findHeadLearningRate = findHeadLearningRate
        self.findBackboneLearningRate = findBackboneLearningRate
        self.layerDecay = layerDecay
        self.optimizer = optimizer
        self.weightDecay = weightDecay
        self.momentum = momentum
        self.strategy = strategy
        self.headEpochs = headEpochs
        self.unfreezeDepth = unfreezeDepth
        self.phases = phases
        self.schedule = schedule
        self.warmupEpochs = warmupEpochs
        self.labelSmoothing = labelSmoothing
        self.classWeighting = classWeighting
        self.seed = seed
        self.workers = workers
        self.imageSize = imageSize
        self.patience = patience
        self.cacheFeatures = cacheFeatures
        self.skipBadImages = skipBadImages
        self.mean = mean
        self.std = std
    }

    /// Throws `TrainingError.invalidSetting` naming the property when a value is out of range.
    public func validate() throws {
        func require(_ condition: Bool, _ setting: String, _ rule: String, _ value: Any) throws {
            if !condition { throw TrainingError.invalidSetting(setting, "\(setting) \(rule) (got \(value))") }
        }
        try require(epochs >= 1, "epochs", "must be at least 1", epochs)
        try require(batchSize >= 1, "batchSize", "must be at least 1", batchSize)
        try require(headLearningRate > 0 && headLearningRate.isFinite, "headLearningRate", "must be a positive number", headLearningRate)
        try require(backboneLearningRate > 0 && backboneLearningRate.isFinite, "backboneLearningRate", "must be a positive number", backboneLearningRate)
        try require(layerDecay > 0 && layerDecay <= 1, "layerDecay", "must be in (0, 1]", layerDecay)
        try require(weightDecay >= 0, "weightDecay", "must be ≥ 0", weightDecay)
        try require((0..<1).contains(labelSmoothing), "labelSmoothing", "must be in [0, 1)", labelSmoothing)
        try require(warmupEpochs >= 0 && warmupEpochs < epochs, "warmupEpochs", "must be in 0..<epochs", warmupEpochs)
        try require(unfreezeDepth >= 1, "unfreezeDepth", "must be at least 1", unfreezeDepth)
        if let headEpochs { try require(headEpochs >= 1 && headEpochs <= epochs, "headEpochs", "must be in 1...epochs", headEpochs) }
        if let workers { try require(workers >= 0, "workers", "must be ≥ 0", workers) }
        if let imageSize { try require(imageSize >= 16, "imageSize", "must be at least 16", imageSize) }
        if let patience { try require(patience >= 1, "patience", "must be at least 1", patience) }
        if let mean { try require(mean.count == 3, "mean", "needs 3 values (R,G,B)", mean) }
        if let std { try require(std.count == 3 && std.allSatisfy { $0 > 0 }, "std", "needs 3 positive values (R,G,B)", std) }
    }
}
