import Foundation
import GraftData

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
        /// `full` when the run is small enough for a full fine-tune to be cheap, else `progressive`: chosen for the
        /// data when training starts (`FineTuneSettings.autoStrategy(trainingExamples:pretrainedImageSide:)`).
        case auto
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

    /// What the BatchNorm layers of pretrained groups do while their group trains (the new head has none).
    public enum BatchNormPolicy: String, Codable, Sendable, CaseIterable {
        /// Evaluation mode: the pretrained running statistics normalise and stay fixed; the affine weight and bias
        /// still train (Keras's advice for fine-tuning).
        case frozen
        /// Training mode: batch statistics normalise and update the running statistics (PyTorch's `model.train()`).
        case train
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
    public var findHeadLearningRate: Bool
    /// Ignore `backboneLearningRate` and find it with `LearningRateFinder` when the first backbone group is
    /// unfrozen (at the start for `full`), sweeping the groups trained then; later groups keep `layerDecay`'s
    /// ratios. The found rate replaces `backboneLearningRate` (and scales custom phases' backbone rates) and this
    /// becomes false. `backboneLearningRate` is the fallback when the sweep suggests nothing.
    public var findBackboneLearningRate: Bool
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
    /// Epochs with only the head training before the first unfreeze (progressive); nil = a third of the run. Setting
    /// it makes `Strategy.auto` choose progressive.
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
    /// Mixup's Beta(α, α) parameter (timm's `mixup_alpha`, typically 0.2–0.8); 0 = off.
    public var mixup: Double
    /// CutMix's Beta(α, α) parameter (timm's `cutmix_alpha`, typically 1.0); 0 = off. With both on, each batch uses
    /// one of the two with even odds.
    public var cutmix: Double
    /// Decay of the exponential moving average of the weights that validation and the best checkpoint use
    /// (typically 0.999); nil = no averaging.
    public var ema: Double?
    /// How training images are augmented (`none` for data where position or orientation carry the label).
    public var augmentation: AugmentationPreset
    /// Whether training images are randomly mirrored left-right (off for text, digits, left/right classes).
    public var flip: Bool
    /// What BatchNorm layers of trained pretrained groups do: keep their statistics (`frozen`) or update them.
    public var batchNorm: BatchNormPolicy
    /// Batches whose gradients add up before each optimizer step (1 = a step per batch); the update equals one of a
    /// batch this many times larger.
    public var accumulateBatches: Int
    /// Largest global L2 norm of the gradient at each optimizer step (`clip_grad_norm_`); nil = no clipping.
    public var clipGradNorm: Double?
    /// Whether weight decay also applies to norm weights and biases (parameters with at most one dimension); by
    /// default they are exempt, as in timm's `param_groups_weight_decay`.
    public var decayNormAndBias: Bool
    /// The column of a text dataset (CSV/TSV header name, JSON key) holding the texts.
    public var textColumn: String
    /// The column of a text dataset holding the labels (class names, or class indices written as numbers).
    public var labelColumn: String
    /// Most tokens per text (special tokens included) for a text model; longer texts are truncated and counted; nil =
    /// `FineTuneSettings.defaultMaxLength`.
    public var maxLength: Int?

    /// The text models' token limit when `maxLength` is nil.
    public static let defaultMaxLength = 128

    /// Settings with Graft's defaults for transfer learning, each overridable by name:
    /// `FineTuneSettings(epochs: 6, imageSize: 64)`.
    public init(
        epochs: Int = 6,
        batchSize: Int = 32,
        headLearningRate: Double = 3e-3,
        backboneLearningRate: Double = 3e-4,
        findHeadLearningRate: Bool = false,
        findBackboneLearningRate: Bool = false,
        layerDecay: Double = 0.5,
        optimizer: OptimizerKind = .adamw,
        weightDecay: Double = 1e-4,
        momentum: Double = 0.9,
        strategy: Strategy = .auto,
        headEpochs: Int? = nil,
        unfreezeDepth: Int = 1,
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
        std: [Double]? = nil,
        mixup: Double = 0,
        cutmix: Double = 0,
        ema: Double? = nil,
        augmentation: AugmentationPreset = .light,
        flip: Bool = true,
        batchNorm: BatchNormPolicy = .frozen,
        accumulateBatches: Int = 1,
        clipGradNorm: Double? = nil,
        decayNormAndBias: Bool = false,
        textColumn: String = "text",
        labelColumn: String = "label",
        maxLength: Int? = nil
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
        self.mixup = mixup
        self.cutmix = cutmix
        self.ema = ema
        self.augmentation = augmentation
        self.flip = flip
        self.batchNorm = batchNorm
        self.accumulateBatches = accumulateBatches
        self.clipGradNorm = clipGradNorm
        self.decayNormAndBias = decayNormAndBias
        self.textColumn = textColumn
        self.labelColumn = labelColumn
        self.maxLength = maxLength
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
        if findBackboneLearningRate && strategy == .head && phases == nil {
            throw TrainingError.invalidSetting("backboneLearningRate", "finding `backboneLearningRate` (auto) needs a strategy that trains backbone groups; the head strategy trains none")
        }
        if let workers { try require(workers >= 0, "workers", "must be ≥ 0", workers) }
        if let imageSize { try require(imageSize >= 16, "imageSize", "must be at least 16", imageSize) }
        if let patience { try require(patience >= 1, "patience", "must be at least 1", patience) }
        if let mean { try require(mean.count == 3, "mean", "needs 3 values (R,G,B)", mean) }
        if let std { try require(std.count == 3 && std.allSatisfy { $0 > 0 }, "std", "needs 3 positive values (R,G,B)", std) }
        try require(mixup >= 0 && mixup.isFinite, "mixup", "must be ≥ 0 (0 = off)", mixup)
        try require(cutmix >= 0 && cutmix.isFinite, "cutmix", "must be ≥ 0 (0 = off)", cutmix)
        if mixesBatches && batchSize < 2 {
            let setting = mixup > 0 ? "mixup" : "cutmix"
            throw TrainingError.invalidSetting(setting, "\(setting) needs batches of at least 2 images (batchSize is \(batchSize)): each batch mixes with its own reverse")
        }
        if let ema { try require(ema > 0 && ema < 1, "ema", "must be in (0, 1), typically 0.999", ema) }
        try require(accumulateBatches >= 1, "accumulateBatches", "must be at least 1", accumulateBatches)
        if let clipGradNorm { try require(clipGradNorm > 0 && clipGradNorm.isFinite, "clipGradNorm", "must be a positive number", clipGradNorm) }
        try require(textColumn.contains { !$0.isWhitespace }, "textColumn", "must name a column", "'\(textColumn)'")
        try require(labelColumn.contains { !$0.isWhitespace }, "labelColumn", "must name a column", "'\(labelColumn)'")
        if textColumn == labelColumn {
            throw TrainingError.invalidSetting("labelColumn", "labelColumn must differ from the text column (both are '\(textColumn)')")
        }
        if let maxLength { try require(maxLength >= 3, "maxLength", "must be at least 3 ([CLS], one token, [SEP])", maxLength) }
    }
}

extension FineTuneSettings {
    /// Whether mixup or CutMix mixes the training batches.
    public var mixesBatches: Bool { mixup > 0 || cutmix > 0 }

    /// Decodes settings saved by any Graft version: a key that is missing (a setting added after the checkpoint was
    /// written) takes its default — or, where the default changed the training itself, the behaviour of the version
    /// that wrote it — so older runs still resume as they began; a key that is present must have the right type.
    public init(from decoder: Decoder) throws {
        let saved = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        func value<T: Decodable>(_ key: CodingKeys, _ current: T) throws -> T {
            try saved.decodeIfPresent(T.self, forKey: key) ?? current
        }
        func optional<T: Decodable>(_ key: CodingKeys, _ current: T?) throws -> T? {
            saved.contains(key) ? try saved.decodeIfPresent(T.self, forKey: key) : current
        }
        epochs = try value(.epochs, epochs)
        batchSize = try value(.batchSize, batchSize)
        headLearningRate = try value(.headLearningRate, headLearningRate)
        backboneLearningRate = try value(.backboneLearningRate, backboneLearningRate)
        findHeadLearningRate = try value(.findHeadLearningRate, findHeadLearningRate)
        findBackboneLearningRate = try value(.findBackboneLearningRate, findBackboneLearningRate)
        layerDecay = try value(.layerDecay, layerDecay)
        optimizer = try value(.optimizer, optimizer)
        weightDecay = try value(.weightDecay, weightDecay)
        momentum = try value(.momentum, momentum)
        strategy = try value(.strategy, strategy)
        headEpochs = try optional(.headEpochs, headEpochs)
        unfreezeDepth = try value(.unfreezeDepth, unfreezeDepth)
        phases = try optional(.phases, phases)
        schedule = try value(.schedule, schedule)
        warmupEpochs = try value(.warmupEpochs, warmupEpochs)
        labelSmoothing = try value(.labelSmoothing, labelSmoothing)
        classWeighting = try value(.classWeighting, classWeighting)
        seed = try value(.seed, seed)
        workers = try optional(.workers, workers)
        imageSize = try optional(.imageSize, imageSize)
        patience = try optional(.patience, patience)
        cacheFeatures = try value(.cacheFeatures, cacheFeatures)
        skipBadImages = try value(.skipBadImages, skipBadImages)
        mean = try optional(.mean, mean)
        std = try optional(.std, std)
        // Runs saved before these settings existed used Resize + RandomCrop + flip, whatever the default becomes.
        augmentation = try value(.augmentation, .light)
        flip = try value(.flip, true)
        mixup = try value(.mixup, mixup)
        cutmix = try value(.cutmix, cutmix)
        ema = try optional(.ema, ema)
        // Runs saved before these settings existed trained BatchNorm statistics and decayed every parameter.
        batchNorm = try value(.batchNorm, .train)
        accumulateBatches = try value(.accumulateBatches, accumulateBatches)
        clipGradNorm = try optional(.clipGradNorm, clipGradNorm)
        decayNormAndBias = try value(.decayNormAndBias, true)
        textColumn = try value(.textColumn, textColumn)
        labelColumn = try value(.labelColumn, labelColumn)
        maxLength = try optional(.maxLength, maxLength)
    }
}
