import Foundation
import GraftData
import GraftModels
import GraftNN
import GraftTensor

extension Learner {
    /// The learner `settings` describe, with Graft's defaults for transfer learning: the whole model frozen, then the
    /// phase plan (`PhasedUnfreezing`) training the head and unfreezing deeper groups with smaller learning rates, the
    /// optimizer and schedule the settings name, cross-entropy (with class weights / label smoothing when set), the NaN
    /// guard, gradient clipping with `clipGradNorm`, mixup/CutMix (`MixupCutmix`, soft targets weighted like the loss
    /// when classes are weighted) when `mixup`/`cutmix` are set, the weight average when `ema` is set and, with
    /// `patience`, early stopping; the BatchNorm policy, gradient accumulation and the norm-and-bias weight-decay
    /// exemption the settings name; `Strategy.auto` resolved for the training set's size and the image size
    /// (`FineTuneSettings.autoStrategy(trainingExamples:pretrainedImageSide:)`; the learner's `settings` keep the
    /// strategy chosen, so a resumed run trains as it began); `findHeadLearningRate` / `findBackboneLearningRate` make
    /// the phase plan find those rates with `LearningRateFinder`'s defaults. `callbacks` run after the phase plan, the NaN guard, the clipping
    /// and the mixing, and before early stopping (pass a `ProgressCallback`, a `CheckpointCallback`, … here).
    /// Training runs on the model's device.
    public convenience init(model: ImageClassifier, data: TrainingData, settings: FineTuneSettings, callbacks: [Callback] = []) throws {
        try settings.validate()
        let workers = settings.workers ?? ProcessInfo.processInfo.activeProcessorCount
        let policy: BadImagePolicy = settings.skipBadImages ? .skip : .error
        let trainLoader = try DataLoader(dataset: data.train, transform: data.trainTransform, batchSize: settings.batchSize,
                                         shuffle: true, workers: workers, seed: settings.seed, badImagePolicy: policy)
        let validationLoader = try DataLoader(dataset: data.validation, transform: data.evalTransform, batchSize: settings.batchSize,
                                              shuffle: false, workers: workers, seed: settings.seed, badImagePolicy: policy)
        try self.init(model: model, trainLoader: trainLoader, validationLoader: validationLoader, settings: settings, callbacks: callbacks)
        history.data = data.description
    }

    /// The learner `settings` describe (as `init(model:data:settings:callbacks:)` explains) over batch sources you
    /// built: any classifier, any `LabeledBatchSource` (the settings' batch size, workers and preprocessing are then
    /// the sources' business).
    public convenience init(model: Classifier, trainLoader: any LabeledBatchSource, validationLoader: any LabeledBatchSource,
                            settings: FineTuneSettings, callbacks: [Callback] = []) throws {
        try settings.validate()
        let settings = settings.resolvingAutoStrategy(trainingExamples: trainLoader.sampleCount,
                                                      pretrainedImageSide: (model as? ImageClassifier)?.pretrainedConfig.inputSize)
        let phases = try PhasePlan.phases(for: settings, groups: model.layerGroups.map(\.name))
        let classWeights = settings.classWeighting == .auto
            ? try ClassWeights.inverseFrequency(labels: (0..<trainLoader.sampleCount).map(trainLoader.label(at:)),
                                                classes: trainLoader.classes.count).to(device: model.device) : nil
        let unfreezing = PhasedUnfreezing(phases: phases, headRateFinder: settings.findHeadLearningRate ? LearningRateFinder() : nil,
                                          backboneRateFinder: settings.findBackboneLearningRate ? LearningRateFinder() : nil)
        var all: [Callback] = [unfreezing, NaNGuard()]
        if let maxNorm = settings.clipGradNorm { all.append(try GradientClipping(maxNorm: maxNorm)) }
        if settings.mixesBatches {
            let mixing = try BatchMixing(mixupAlpha: settings.mixup, cutmixAlpha: settings.cutmix, labelSmoothing: settings.labelSmoothing)
            all.append(MixupCutmix(mixing: mixing, seed: settings.seed))
        }
        all += callbacks
        if let patience = settings.patience { all.append(EarlyStopping(patience: patience)) }
        try self.init(
            model: model, trainLoader: trainLoader, validationLoader: validationLoader, optimizer: try Self.makeOptimizer(settings),
            schedule: try Self.makeSchedule(settings, stepsPerEpoch: (trainLoader.batchCount + settings.accumulateBatches - 1) / settings.accumulateBatches),
            scheduleInterval: settings.schedule == .onecycle ? .batch : .epoch,
            loss: Self.crossEntropy(weight: classWeights, labelSmoothing: settings.labelSmoothing), epochs: settings.epochs,
            callbacks: all, seed: settings.seed, weightDecay: settings.weightDecay, cacheFeatures: settings.cacheFeatures)
        try model.freeze()
        softTargetLoss = Self.softTargetCrossEntropy(weight: classWeights)
        ema = try settings.ema.map { try WeightAverage(model: model, decay: $0) }
        self.settings = settings
        batchNorm = settings.batchNorm
        accumulateBatches = settings.accumulateBatches
        decayNormAndBias = settings.decayNormAndBias
        pitfalls = PitfallGuards.warnings(settings: settings, phases: phases, model: model)
    }

    /// The optimizer `settings` names, with no groups yet (phases add them).
    static func makeOptimizer(_ settings: FineTuneSettings) throws -> Optimizer {
        switch settings.optimizer {
        case .sgd: return try SGD(groups: [], momentum: settings.momentum, nesterov: settings.momentum > 0)
        case .adam: return try Adam(groups: [])
        case .adamw: return try Adam(groups: [], decoupledWeightDecay: true)
        }
    }

    /// The schedule `settings` names, over epochs (one-cycle: over optimizer steps), after an optional linear warm-up.
    static func makeSchedule(_ settings: FineTuneSettings, stepsPerEpoch: Int) throws -> AnyLearningRateSchedule {
        let main: AnyLearningRateSchedule
        let span = settings.epochs - settings.warmupEpochs
        switch settings.schedule {
        case .constant: main = .constant
        case .cosine: main = .cosine(try CosineAnnealingSchedule(tMax: span))
        case .step: main = .step(try StepDecaySchedule(stepSize: max(1, span / 3), gamma: 0.1))
        case .onecycle: return .oneCycle(try OneCycleSchedule(cycleSteps: settings.epochs * max(1, stepsPerEpoch)))
        }
        guard settings.warmupEpochs > 0 else { return main }
        return .sequential(try SequentialSchedule.warmup(startFactor: 0.1, warmupSteps: settings.warmupEpochs, then: main))
    }
}
