import Foundation
import GraftData
import GraftModels
import GraftNN
import GraftReport
import GraftTensor

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

/// Fine-tunes a pretrained classifier in phases: the phase plan unfreezes layer groups with their own learning
/// rates, the schedule scales all of them, every epoch is validated, and the best and last checkpoints are written
/// atomically so a run can be resumed exactly.
public final class Trainer {
    public let model: ImageClassifier
    public let data: TrainingData
    public let settings: FineTuneSettings
    public let store: RunStore
    let observer: TrainingObserver
    /// Where the model was when the trainer was created; batches, class weights and feature caches go there.
    let device: Device
    let phases: [Phase]
    let classWeights: Tensor?
    let trainLoader: DataLoader<AnyImageDataset>
    /// The training images in dataset order, for caching one augmented view of each.
    let trainCacheLoader: DataLoader<AnyImageDataset>
    let validationLoader: DataLoader<AnyImageDataset>
    var optimizer: Optimizer
    var scheduler: LearningRateScheduler
    var unfrozenGroups: [String] = []
    var progress: RunProgress
    var history: RunHistory
    var trainCache: FeatureCache?
    var validationCache: FeatureCache?
    /// Set when the current phase's cache did not fit in memory.
    var cacheRefused = false

    /// Prepares a run on the model's device (move it with `model.to(_:)` first): freezes the whole model, then applies
    /// the phases that start at epoch 0.
    public init(model: ImageClassifier, data: TrainingData, settings: FineTuneSettings, store: RunStore,
                observer: TrainingObserver) throws {
        try settings.validate()
        guard data.train.count > 0 else { throw TrainingError.invalidConfiguration("the training set is empty") }
        guard data.validation.count > 0 else { throw TrainingError.invalidConfiguration("the validation set is empty") }
        guard data.train.classes.count == model.classifier.outFeatures else {
            throw TrainingError.invalidConfiguration(
                "the data has \(data.train.classes.count) classes but the model's head has \(model.classifier.outFeatures) outputs")
        }
        self.model = model
        self.data = data
        self.settings = settings
        self.store = store
        self.observer = observer
        device = try model.device
        phases = try PhasePlan.phases(for: settings, groups: model.layerGroups.map(\.name))
        classWeights = settings.classWeighting == .auto
            ? try ClassWeights.inverseFrequency(labels: data.train.labels, classes: data.train.classes.count).to(device: device) : nil
        let workers = settings.workers ?? ProcessInfo.processInfo.activeProcessorCount
        let warn: @Sendable (String) -> Void = { _ in }
        let policy: BadImagePolicy = settings.skipBadImages ? .skip : .error
        trainLoader = try DataLoader(dataset: data.train, transform: data.trainTransform, batchSize: settings.batchSize,
                                     shuffle: true, workers: workers, seed: settings.seed, badImagePolicy: policy, warn: warn)
        trainCacheLoader = try DataLoader(dataset: data.train, transform: data.trainTransform, batchSize: settings.batchSize,
                                          shuffle: false, workers: workers, seed: settings.seed, badImagePolicy: policy, warn: warn)
        validationLoader = try DataLoader(dataset: data.validation, transform: data.evalTransform, batchSize: settings.batchSize,
                                          shuffle: false, workers: workers, seed: settings.seed, badImagePolicy: policy, warn: warn)
        optimizer = try Trainer.makeOptimizer(settings)
        scheduler = try LearningRateScheduler(
            schedule: try Trainer.makeSchedule(settings, batchesPerEpoch: trainLoader.batchCount), baseLearningRates: [])
        progress = RunProgress()
        history = RunHistory(model: model.name, data: data.description)
        try model.freeze()
        for warning in PitfallGuards.warnings(settings: settings, phases: phases, model: model) { observer.warning(warning) }
    }

    /// Whether the one-cycle schedule steps every batch (the others step every epoch).
    var stepsPerBatch: Bool { settings.schedule == .onecycle }

    /// Trains to the last epoch (or until early stopping) and returns the history.
    @discardableResult
    public func run() throws -> RunHistory {
        for epoch in progress.nextEpoch..<settings.epochs {
            try startPhases(at: epoch, announce: true)
            Engine.manualSeed(settings.seed &+ UInt64(epoch) &* 1_000_003)
            let clock = Stopwatch()
            try prepareCaches(epoch: epoch)
            let train = try trainCache.map { try trainEpochOnCache(epoch, $0) } ?? trainEpoch(epoch)
            let validation = try validationCache.map { try validateOnCache(epoch, $0) } ?? validate(epoch)
            let record = EpochRecord(
                epoch: epoch + 1, phase: phaseName(), trainLoss: train.loss, trainAccuracy: train.accuracy,
                validationLoss: validation.loss, validationAccuracy: validation.accuracy,
                learningRates: optimizer.groups.map(\.learningRate), seconds: clock.seconds,
                imagesPerSecond: Double(train.samples) / max(train.seconds, 1e-9))
            history.record(record)
            if !stepsPerBatch { try advanceSchedule() }
            let isBest = progress.recordValidation(accuracy: validation.accuracy, epoch: epoch)
            progress.nextEpoch = epoch + 1
            if isBest { try store.saveBest(trainer: self) }
            try store.saveLast(trainer: self)
            observer.epochFinished(record, isBest: isBest)
            if let patience = settings.patience, progress.epochsWithoutImprovement >= patience {
                observer.note("early stopping: no validation improvement for \(patience) epochs (best \(String(format: "%.4f", progress.bestAccuracy ?? 0)) at epoch \(progress.bestEpoch + 1))")
                break
            }
        }
        return history
    }

    /// Unfreezes the groups of every phase starting at `epoch` and gives each its own optimizer group.
    func startPhases(at epoch: Int, announce: Bool) throws {
        for phase in phases where phase.atEpoch == epoch {
            for name in phase.unfreeze where !unfrozenGroups.contains(name) {
                let group = try model.layerGroup(named: name)
                let parameters = model.parameters(in: group).map(\.1)
                for p in parameters { try p.requiresGrad_(true) }
                let index = try scheduler.addGroup(baseLearningRate: phase.learningRate)
                optimizer.addGroup(ParameterGroup(
                    name: name, parameters: parameters, learningRate: try scheduler.learningRate(group: index),
                    weightDecay: settings.weightDecay))
                unfrozenGroups.append(name)
                history.groupNames = unfrozenGroups
                if announce {
                    observer.note("epoch \(epoch + 1): training \(name) (\(parameters.reduce(0) { $0 + $1.count }) parameters) at lr \(phase.learningRate)")
                }
            }
        }
        if phases.contains(where: { $0.atEpoch == epoch }) {
            trainCache = nil
            validationCache = nil
            cacheRefused = false
        }
    }

    /// Number of leading backbone stages whose parameters are all frozen.
    var frozenStages: Int {
        let groups = model.layerGroups
        return (0..<model.stageCount).first { model.parameters(in: groups[$0]).contains { $0.1.requiresGrad } } ?? model.stageCount
    }

    /// Caches the frozen stages' outputs when a phase begins (one augmented view of this epoch per training image).
    func prepareCaches(epoch: Int) throws {
        let boundary = frozenStages
        guard settings.cacheFeatures, boundary > 0, trainCache == nil, !cacheRefused else { return }
        let what = boundary == model.stageCount ? "backbone features" : "outputs of the \(boundary) frozen stages"
        observer.note("caching \(what) of \(data.train.count) training images (the frozen part runs once per image)")
        trainCache = try FeatureCache.build(model: model, device: device, boundary: boundary, loader: trainCacheLoader,
                                            epoch: epoch, stage: "cache", observer: observer)
        validationCache = try trainCache == nil ? nil : FeatureCache.build(
            model: model, device: device, boundary: boundary, loader: validationLoader, epoch: epoch, stage: "cache validation",
            observer: observer)
        if trainCache == nil || validationCache == nil {
            trainCache = nil
            validationCache = nil
            cacheRefused = true
            observer.note("the cache would exceed \(FeatureCache.byteLimit >> 30) GiB; recomputing the frozen stages instead")
        }
    }

    func advanceSchedule() throws {
        if let total = scheduler.schedule.totalSteps, scheduler.stepCount >= total { return }
        try optimizer.setLearningRates(try scheduler.step())
    }

    func phaseName() -> String {
        unfrozenGroups.count == 1 ? "head" : "head + " + unfrozenGroups.dropFirst().joined(separator: " + ")
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
