import Foundation
import GraftData
import GraftModels
import GraftNN
import GraftReport
import GraftTensor

/// The training object: a model, its training and validation data, a loss, an optimizer with per-group learning
/// rates, a schedule and callbacks, run epoch by epoch by `fit()`. Everything that is not the loop itself — the phase
/// plan, progress display, checkpoints, early stopping, the NaN guard, metric logs — is a `Callback` that can be
/// removed or replaced; the training step is a closure (`trainingStep`) or an override (`computeStep`).
/// Runs in memory; add a `CheckpointCallback` for a run directory. While the leading backbone stages are frozen their
/// outputs are computed once and reused (`cacheFeatures`), which gives the same numbers as recomputing them.
open class Learner {
    /// The network being fine-tuned.
    public let model: Classifier
    /// Training batches (shuffled every epoch from `seed`): an image `DataLoader`, a `TextLoader`, ….
    public let trainLoader: any LabeledBatchSource
    /// Validation batches, in dataset order.
    public let validationLoader: any LabeledBatchSource
    /// The training samples in dataset order, for caching one (augmented) view of each.
    let cacheLoader: any LabeledBatchSource
    /// The update rule; one parameter group per trained layer group.
    public var optimizer: Optimizer
    /// Each group's base learning rate and the schedule scaling them.
    public var scheduler: LearningRateScheduler
    /// Whether the schedule steps after every epoch or every batch.
    public var scheduleInterval: ScheduleInterval
    /// The loss for training and validation.
    public var loss: LossFunction
    /// The training loss of batches with soft targets (mixup/CutMix, see `LearnerBatch.softTargets`).
    public var softTargetLoss: SoftTargetLossFunction = Learner.softTargetCrossEntropy()
    /// The exponential moving average of the weights, when kept: updated after every optimizer step, used for
    /// validation and written as the best checkpoint's weights (training continues on the raw weights).
    public var ema: WeightAverage?
    /// A custom training step; nil runs `forward` and `loss`.
    public var trainingStep: TrainingStep?
    /// The callbacks, run in this order at every event.
    public var callbacks: [Callback]
    /// Total epochs `fit()` runs to (it continues from `runProgress.nextEpoch`).
    public var epochs: Int
    /// Seeds shuffling, augmentation and dropout of every epoch.
    public let seed: UInt64
    /// Weight decay of the groups `unfreeze` adds.
    public var weightDecay: Double
    /// Reuse the frozen leading stages' outputs across epochs instead of recomputing them.
    public var cacheFeatures: Bool
    /// The fewest leading stages the rest of the run keeps frozen, when known (`PhasedUnfreezing` sets it). With
    /// training data that does not vary by epoch (texts), the cache then holds those stages' outputs once and derives
    /// every other boundary's from them, so the frozen layers run once per sample for the whole run.
    public var plannedFrozenStages: Int?
    /// Where the model was when the learner was created; batches and feature caches go there (move the model with
    /// `model.to(_:)` before creating the learner).
    public let device: Device
    /// The precision of forward passes — training, validation and feature caching — on `device` (automatic mixed
    /// precision: `bf16` or `fp16` autocast; parameters, gradients, optimizer state and checkpoints stay float32).
    /// Setting `fp16` also attaches a `GradientScaler` (PyTorch's `GradScaler` defaults); other precisions remove it.
    public var precision = Precision.fp32 {
        didSet { gradientScaler = precision.needsLossScaling ? (gradientScaler ?? GradientScaler()) : nil }
    }
    /// Scales the loss before the backward pass and unscales the gradients before each optimizer step, skipping steps
    /// whose gradients overflowed (set by `precision = .fp16`; may be set for any precision).
    public var gradientScaler: GradientScaler?
    /// The settings this learner was built from, when it was (saved in checkpoints for resuming).
    public internal(set) var settings: FineTuneSettings?
    /// What the BatchNorm layers of trained groups do in training passes: `.train` (PyTorch's `model.train()`, the
    /// default here) or `.frozen` (running statistics fixed, affine parameters still training).
    public var batchNorm = FineTuneSettings.BatchNormPolicy.train
    /// Training batches whose gradients add up before each optimizer step (at least 1): the step equals one of a
    /// batch this many times larger, the per-batch schedule counts steps, and an epoch's leftover batches still step.
    public var accumulateBatches = 1
    /// Whether the groups `unfreeze` adds decay norm weights and biases too (true here); false exempts every
    /// parameter with at most one dimension (`ParameterGroup.exemptingNormAndBias`).
    public var decayNormAndBias = true
    /// Batches and samples whose gradients wait for the next optimizer step.
    var pendingGradients = (batches: 0, samples: 0)
    /// Trains with the other ranks of a process group, each on its share of every batch (see `DataParallel`); nil
    /// trains alone. Set it on every rank before `fit()`.
    public var dataParallel: DataParallel?
    /// This process voted to stop at a batch boundary.
    var stopVoted = false

    /// Zero-based epoch being run (or last run).
    public internal(set) var epoch = 0
    /// What is running now.
    public internal(set) var stage = LearnerStage.idle
    /// 1-based batch within the current stage.
    public internal(set) var batchIndex = 0
    /// Batches in the current stage.
    public internal(set) var batchCount = 0
    /// The current training batch's loss, once computed.
    public internal(set) var batchLoss: Double?
    /// Set in `batchBegan` to skip the current training batch (no step, not counted).
    public var skipBatch = false
    /// Whether a callback asked the run to stop after the current epoch.
    public private(set) var stopRequested = false
    /// The running metrics of the current (or last) training pass.
    public internal(set) var trainMetrics = ClassificationMetrics()
    /// The metrics of the current (or last) validation pass, with the confusion matrix.
    public internal(set) var validationMetrics = ClassificationMetrics()
    /// One record per finished epoch.
    public internal(set) var history: RunHistory
    /// Completed epochs and the best validation result so far.
    public internal(set) var runProgress = RunProgress()
    /// Whether the epoch that just ended set a new best validation accuracy.
    public internal(set) var lastEpochWasBest = false
    /// Classic transfer-learning mistakes found in the settings, each naming the fix; given to the callbacks as
    /// warnings when `fit()` starts.
    public var pitfalls: [String] = []
    var caches = FeatureCaches()
    var stageClock = Stopwatch()
    var stageSamples = 0

    /// A learner from explicit parts. The optimizer's groups (possibly none yet) are the groups that train; their
    /// current learning rates become the schedule's base rates. A one-cycle schedule sets the optimizer's momentum
    /// (SGD) or beta1 (Adam) to its step-0 value at once, as PyTorch's `OneCycleLR` does, and rejects an optimizer
    /// without one. The model's frozen state is left as it is.
    public required init(
        model: Classifier, trainLoader: any LabeledBatchSource, validationLoader: any LabeledBatchSource,
        optimizer: Optimizer, schedule: AnyLearningRateSchedule = .constant, scheduleInterval: ScheduleInterval = .epoch,
        loss: @escaping LossFunction = Learner.crossEntropy(), epochs: Int, callbacks: [Callback] = [],
        seed: UInt64 = 42, weightDecay: Double = 0, cacheFeatures: Bool = true
    ) throws {
        guard epochs >= 1 else { throw TrainingError.invalidSetting("epochs", "epochs must be at least 1 (got \(epochs))") }
        guard trainLoader.sampleCount > 0 else { throw TrainingError.invalidConfiguration("the training set is empty") }
        guard validationLoader.sampleCount > 0 else { throw TrainingError.invalidConfiguration("the validation set is empty") }
        let classes = trainLoader.classes
        guard classes.count >= 2 else { throw TrainingError.tooFewClasses(classes) }
        guard classes.count == model.classifier.outFeatures else {
            throw TrainingError.invalidConfiguration(
                "the data has \(classes.count) classes but the model's head has \(model.classifier.outFeatures) outputs; call model.replaceHead(numClasses: \(classes.count))")
        }
        guard validationLoader.classes == classes else {
            throw TrainingError.invalidConfiguration("training classes \(classes) differ from validation classes \(validationLoader.classes)")
        }
        self.model = model
        device = try model.device
        self.trainLoader = trainLoader
        self.validationLoader = validationLoader
        cacheLoader = trainLoader.inDatasetOrder()
        self.optimizer = optimizer
        scheduler = try LearningRateScheduler(schedule: schedule, baseLearningRates: optimizer.groups.map(\.learningRate))
        // The schedule's step 0 applies at once, as a PyTorch scheduler's constructor does (one-cycle starts at
        // max/25, a warm-up at its start factor).
        try optimizer.setLearningRates(scheduler.learningRates)
        try scheduler.applyMomentum(to: optimizer)
        self.scheduleInterval = scheduleInterval
        self.loss = loss
        self.epochs = epochs
        self.callbacks = callbacks
        self.seed = seed
        self.weightDecay = weightDecay
        self.cacheFeatures = cacheFeatures
        history = RunHistory(
            model: model.name, data: "\(trainLoader.sampleCount) train / \(validationLoader.sampleCount) validation \(trainLoader.sampleNoun), \(classes.count) classes",
            groupNames: optimizer.groups.map(\.name))
    }

    /// The class names, in label order.
    public var classes: [String] { trainLoader.classes }

    /// Names of the optimizer's parameter groups (the trained layer groups), in order.
    public var trainedGroups: [String] { optimizer.groups.map(\.name) }

    /// Asks the run to stop once the current epoch has been validated, recorded and checkpointed.
    public func requestStop() { stopRequested = true }

    /// Asks to stop at a batch boundary (a signal): alone, `stopAgreed` becomes true at once; under data-parallel
    /// training the vote travels with the next gradient exchange, after which `stopAgreed` is true on every rank, so
    /// a callback can end the run on all of them at the same batch boundary.
    public func voteToStop() {
        stopVoted = true
        if dataParallel == nil { stopAgreed = true }
    }

    /// Whether a stop at the next batch boundary was agreed (see `voteToStop()`).
    public internal(set) var stopAgreed = false

    /// Gives a note or warning to every callback.
    public func send(_ message: LearnerMessage) {
        for callback in callbacks { callback.received(message, from: self) }
    }

    /// Trains from `runProgress.nextEpoch` to `epochs` (or until a stop request) and returns the history.
    @discardableResult
    public func fit() throws -> RunHistory {
        (stopRequested, stopVoted, stopAgreed) = (false, false, false)
        for warning in pitfalls { send(LearnerMessage(.warning, warning)) }
        try dataParallel?.begin(model: model, train: trainLoader, validation: validationLoader)
        try each { try $0.fitBegan(self) }
        while runProgress.nextEpoch < epochs && !stopRequested {
            try runEpoch(runProgress.nextEpoch)
            // Ranks stop together: a signal may reach them on either side of an epoch's end.
            if let dataParallel { stopRequested = try dataParallel.anyRank(stopRequested) }
        }
        stage = .idle
        try each { try $0.fitEnded(self) }
        return history
    }

    /// One epoch: callbacks, caching, training, validation, the record, the schedule, the best-so-far bookkeeping.
    func runEpoch(_ epoch: Int) throws {
        self.epoch = epoch
        try each { try $0.epochBegan(self) }
        Engine.manualSeed(seed &+ UInt64(epoch) &* 1_000_003)
        let clock = Stopwatch()
        try prepareCaches()
        try trainPass()
        try validationPass()
        try each { try $0.validationEnded(self) }
        history.record(EpochRecord(
            epoch: epoch + 1, phase: trainedGroups.joined(separator: " + "), trainLoss: trainMetrics.meanLoss,
            trainAccuracy: trainMetrics.accuracy, validationLoss: validationMetrics.meanLoss,
            validationAccuracy: validationMetrics.accuracy, learningRates: optimizer.groups.map(\.learningRate),
            seconds: clock.seconds, imagesPerSecond: Double(trainMetrics.samples) / max(trainMetrics.seconds, 1e-9)))
        if scheduleInterval == .epoch { try advanceSchedule() }
        lastEpochWasBest = runProgress.recordValidation(accuracy: validationMetrics.accuracy, epoch: epoch)
        runProgress.nextEpoch = epoch + 1
        try each { try $0.epochEnded(self) }
    }

    /// Trains the layer group `name` from now on: its parameters receive gradients and join the optimizer as a new
    /// group whose base learning rate is `learningRate` (scaled by the schedule from the current step).
    public func unfreeze(_ name: String, learningRate: Double) throws {
        guard !trainedGroups.contains(name) else { return }
        let parameters = model.parameters(in: try model.layerGroup(named: name)).map(\.1)
        for parameter in parameters { try parameter.requiresGrad_(true) }
        let index = try scheduler.addGroup(baseLearningRate: learningRate)
        let learningRate = try scheduler.learningRate(group: index)
        optimizer.addGroup(decayNormAndBias
            ? ParameterGroup(name: name, parameters: parameters, learningRate: learningRate, weightDecay: weightDecay)
            : .exemptingNormAndBias(name: name, parameters: parameters, learningRate: learningRate, weightDecay: weightDecay))
        history.groupNames = trainedGroups
    }

    /// The training step's loss and logits: `trainingStep` when set, else `forward` and `loss` (`softTargetLoss` for a
    /// batch with soft targets). Override to customise.
    open func computeStep(_ batch: LearnerBatch) throws -> StepOutput {
        if let trainingStep { return try trainingStep(self, batch) }
        let logits = try forward(batch)
        let value = try batch.softTargets.map { try softTargetLoss(logits, $0) } ?? loss(logits, batch.labels)
        return StepOutput(loss: value, logits: logits)
    }

    /// Changes the base learning rate of the trained group `name` (what the schedule scales), effective at once and
    /// for the rest of the run; a callback's way to change a rate without fighting the schedule.
    public func setBaseLearningRate(_ rate: Double, forGroup name: String) throws {
        guard let index = trainedGroups.firstIndex(of: name) else {
            throw TrainingError.invalidConfiguration("no trained group '\(name)'; the trained groups are \(trainedGroups.joined(separator: ", "))")
        }
        try scheduler.setBaseLearningRate(rate, group: index)
        try optimizer.setLearningRates(scheduler.learningRates)
    }

    /// Steps the schedule and hands the new rates (and one-cycle's momentum) to the optimizer (a finished
    /// fixed-length schedule stays put).
    func advanceSchedule() throws {
        if let total = scheduler.schedule.totalSteps, scheduler.stepCount >= total { return }
        try scheduler.step(updating: optimizer)
    }

    /// Where the current stage stands, for progress displays.
    public var batchProgress: BatchProgress {
        let metrics: ClassificationMetrics? = stage == .train ? trainMetrics : stage == .validate ? validationMetrics : nil
        return BatchProgress(
            stage: stage.rawValue, epoch: epoch, batch: batchIndex, batches: batchCount,
            loss: metrics.map(\.meanLoss), accuracy: metrics.map(\.accuracy),
            imagesPerSecond: Double(stageSamples) / max(stageClock.seconds, 1e-9), elapsed: stageClock.seconds)
    }

    func each(_ body: (Callback) throws -> Void) throws {
        for callback in callbacks { try body(callback) }
    }
}

/// The run's position and its best result so far (saved in checkpoints).
public struct RunProgress: Codable, Sendable, Equatable {
    /// The next epoch to run (zero-based), i.e. the number of completed epochs.
    public var nextEpoch = 0
    /// The best validation accuracy so far.
    public var bestAccuracy: Double?
    /// Zero-based epoch of the best accuracy.
    public var bestEpoch = 0
    /// Epochs since the best one.
    public var epochsWithoutImprovement = 0

    /// Records a validation result; returns whether it is a new best.
    mutating func recordValidation(accuracy: Double, epoch: Int) -> Bool {
        if let best = bestAccuracy, accuracy <= best {
            epochsWithoutImprovement += 1
            return false
        }
        bestAccuracy = accuracy
        bestEpoch = epoch
        epochsWithoutImprovement = 0
        return true
    }
}
