import ArgumentParser
import Foundation
import GraftData
import GraftDistributed
import GraftModels
import GraftReport
import GraftTensor
import GraftText
import GraftTrain

/// One `graft train` invocation wired together: the library's learner with the built-in callbacks the command line
/// shows (progress, checkpoints in the run directory, the metrics log), then the final report.
struct TrainingRun {
    let learner: Learner
    let data: RunData
    let store: RunStore
    /// This process's place in a distributed run (started by `graft train --nproc-per-node`, torchrun or a scheduler);
    /// nil when it trains alone. `execute()` is where a worker joins the run before training.
    let worker: DistributedEnvironment?

    /// A new run from the merged flags and config file: a text run when the model is a text architecture.
    static func starting(_ configuration: TrainConfiguration, worker: DistributedEnvironment?) throws -> TrainingRun {
        if TextModels.contains(configuration.model ?? "") { return try startingText(configuration, worker: worker) }
        let (model, data, settings) = try prepared(configuration)
        let spec = configuration.dataSpec()
        let directory = URL(fileURLWithPath: configuration.output ?? Self.defaultRunDirectory(model: model.name))
        let store = try RunStore(directory: directory, data: spec)
        let learner = try Learner(model: model, data: data, settings: settings, callbacks: Self.callbacks(store, worker: worker, configuration: configuration))
        Self.explainAutoStrategy(settings, learner: learner, pretrainedImageSide: model.pretrainedConfig.inputSize)
        try Self.configure(learner, configuration)
        return TrainingRun(learner: learner, data: .images(data), store: store, worker: worker)
    }

    /// A new text run: the BERT checkpoint folder (the offline asset of `minilm_l6`, or --weights), its tokenizer, the
    /// labelled texts, and a new head for their classes.
    static func startingText(_ configuration: TrainConfiguration, worker: DistributedEnvironment?) throws -> TrainingRun {
        var settings = try configuration.settings()
        Engine.manualSeed(settings.seed)
        let name = configuration.model ?? ""
        guard configuration.fromScratch != true else {
            throw ValidationError("--from-scratch is for image models; a text model starts from its pretrained checkpoint folder")
        }
        let folder = try configuration.weights.map { URL(fileURLWithPath: $0) } ?? PretrainedTextModel.folder(for: name)
        let spec = configuration.dataSpec()
        let data = try spec.loadTexts(settings: settings)
        Console.line("data: \(data.description)")
        Self.warnSkippedRows(data.skipped)
        let pretrained = try PretrainedTextModel(name, folder: folder, numClasses: data.train.classes.count, seed: settings.seed)
        pretrained.summary.forEach { Console.line($0) }
        // The run records its token limit: the default, or the checkpoint's own when that is lower.
        let maxLength = settings.maxLength ?? min(FineTuneSettings.defaultMaxLength, pretrained.maxLength)
        settings.maxLength = maxLength
        try pretrained.model.to(configuration.trainingDevice())
        let directory = URL(fileURLWithPath: configuration.output ?? Self.defaultRunDirectory(model: name))
        let text = try TextModelMetadata(model: pretrained.model, maxLength: maxLength, tokenizerFolder: folder)
        let store = try RunStore(directory: directory, data: spec, text: text)
        let learner = try Learner(model: pretrained.model, data: data, tokenizer: pretrained.tokenizer, settings: settings,
                                  callbacks: Self.callbacks(store, worker: worker, configuration: configuration))
        Self.explainAutoStrategy(settings, learner: learner, pretrainedImageSide: nil)
        try Self.configure(learner, configuration)
        return TrainingRun(learner: learner, data: .texts(data, tokenizer: pretrained.tokenizer, maxLength: text.maxLength), store: store,
                           worker: worker)
    }

    /// What the command line sets on every learner it builds: pitfall warnings naming flags, and `--precision` (before
    /// a resumed run restores its loss scale).
    static func configure(_ learner: Learner, _ configuration: TrainConfiguration) throws {
        learner.pitfalls = learner.pitfalls.map(LibraryErrors.flagged)
        learner.precision = try configuration.trainingPrecision()
    }

    /// Says which strategy `auto` chose for the run and why (nothing when a strategy or custom phases were given).
    static func explainAutoStrategy(_ settings: FineTuneSettings, learner: Learner, pretrainedImageSide: Int?) {
        guard settings.strategy == .auto, settings.phases == nil else { return }
        Console.line(LibraryErrors.flagged(settings.autoStrategyExplanation(trainingExamples: learner.trainLoader.sampleCount,
                                                                            pretrainedImageSide: pretrainedImageSide)))
    }

    /// One warning per row left out while reading the text files, then their count.
    static func warnSkippedRows(_ skipped: [SkippedSample]) {
        for sample in skipped.prefix(20) { Console.warning("skipped \(sample.name): \(sample.reason)") }
        if skipped.count > 20 { Console.warning("… and \(skipped.count - 20) more rows skipped") }
        if !skipped.isEmpty { Console.line("\(skipped.count) rows skipped while reading the data") }
    }

    /// The settings, the data and the pretrained model with its new head on the training device, as the merged
    /// flags and config file describe them (printing the data and weights summary); seeds the generator first.
    static func prepared(_ configuration: TrainConfiguration) throws -> (model: ImageClassifier, data: TrainingData, settings: FineTuneSettings) {
        let settings = try configuration.settings()
        Engine.manualSeed(settings.seed)
        let architecture = configuration.model ?? "efficientnet_lite0"
        var pretrained = try configuration.fromScratch == true
            ? PretrainedModel.fromScratch(architecture) : PretrainedModel(architecture, weights: configuration.weights.map { URL(fileURLWithPath: $0) })
        let data = try configuration.dataSpec().load(config: pretrained.model.pretrainedConfig, settings: settings)
        Console.line("data: \(data.description)")
        try pretrained.replaceHead(numClasses: data.train.classes.count)
        pretrained.summary.forEach { Console.line($0) }
        try pretrained.model.to(configuration.trainingDevice())
        return (pretrained.model, data, settings)
    }

    /// The run in `directory`, continued from its last checkpoint with its saved settings and data; the configuration's
    /// `epochs` extends it, its TensorBoard values say where the resumed session logs.
    static func resuming(_ directory: URL, configuration: TrainConfiguration, device: Device, worker: DistributedEnvironment?) throws -> TrainingRun {
        let epochs = configuration.epochs
        let checkpoint = try RunStore.newestResumableCheckpoint(in: directory) { Console.warning($0) }
        let meta = checkpoint.metadata
        guard let spec = meta.data, var settings = meta.settings else {
            throw ValidationError("--resume: the checkpoint does not record its data source and settings (it was not written by graft train)")
        }
        Engine.manualSeed(settings.seed)
        let model: Classifier = try meta.text.map { try $0.model(name: meta.model, numClasses: meta.classes.count) }
            ?? Models.make(meta.model, numClasses: meta.classes.count)
        if let epochs {
            guard epochs >= meta.progress.nextEpoch else {
                throw ValidationError("--epochs \(epochs) is fewer than the \(meta.progress.nextEpoch) epochs the run has done")
            }
            // The phase plan stays the one the run started with; only its length (and the schedule's) changes.
            settings.phases = try PhasePlan.phases(for: settings, groups: model.layerGroups.map(\.name))
            settings.epochs = epochs
        }
        try model.to(device)
        let store = try RunStore(directory: directory, data: spec, text: meta.text)
        let learner: Learner, data: RunData
        if let text = meta.text, let model = model as? TextClassifier {
            let texts = try spec.loadTexts(settings: settings)
            let tokenizer = try text.tokenizer()
            learner = try Learner(model: model, data: texts, tokenizer: tokenizer, settings: settings, callbacks: Self.callbacks(store, worker: worker, configuration: configuration))
            data = .texts(texts, tokenizer: tokenizer, maxLength: text.maxLength)
        } else if let model = model as? ImageClassifier {
            let images = try spec.load(config: model.pretrainedConfig, settings: settings)
            learner = try Learner(model: model, data: images, settings: settings, callbacks: Self.callbacks(store, worker: worker, configuration: configuration))
            data = .images(images)
        } else {
            throw ValidationError("--resume: the checkpoint's model \(meta.model) is neither an image nor a text model")
        }
        try Self.configure(learner, configuration)
        try learner.restore(from: checkpoint)
        return TrainingRun(learner: learner, data: data, store: store, worker: worker)
    }

    /// What the command line shows and keeps: progress, checkpoints, the per-epoch metrics log, TensorBoard events
    /// (unless --no-tensorboard; after the checkpoint, so a resumed run never logs an epoch twice), and a clean stop on
    /// Ctrl-C / SIGTERM. Of a distributed run's workers rank 0 alone shows progress and writes files.
    static func callbacks(_ store: RunStore, worker: DistributedEnvironment?, configuration: TrainConfiguration) throws -> [Callback] {
        let tensorBoard = try configuration.tensorBoardLogger(runDirectory: store.directory)
        guard worker?.isRankZero ?? true else { return [SignalStop(runDirectory: store.directory)] }
        return [SignalStop(runDirectory: store.directory), ProgressCallback(), CheckpointCallback(store: store),
                try MetricsLog(directory: store.directory)] + (tensorBoard.map { [$0] } ?? [])
    }

    static func defaultRunDirectory(model: String) -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        return "runs/\(model)-\(formatter.string(from: Date()))"
    }

    /// Trains, then evaluates the best checkpoint on the validation set and writes the reports. A worker first joins
    /// its run's process group, whose rendezvous and collectives fail after `groupTimeout` seconds without an answer.
    func execute(groupTimeout: TimeInterval = ProcessGroup.defaultTimeout) throws {
        let model = learner.model
        if let worker { try joinProcessGroup(worker, timeout: groupTimeout) }
        Console.line("model: \(model.name), \(model.parameterSummary) at start; run directory \(store.directory.path)")
        let history = try learner.fit()
        // The other ranks' work ends with training: rank 0 writes the reports.
        guard worker?.isRankZero ?? true else { return }
        try writeLearningRateSweeps()
        let best = try LoadedCheckpoint(contentsOf: store.bestURL)
        let bestModel = try best.model()
        let settings = learner.settings ?? FineTuneSettings()
        let predictions = try data.validationPredictions(model: bestModel, batchSize: max(settings.batchSize, 64))
        let classes = learner.classes
        Console.line("\nbest epoch \(best.metadata.progress.bestEpoch + 1): validation classification report")
        Console.line(try predictions.report(classNames: classes).text(digits: 4))
        Console.line("confusion matrix (rows: true, columns: predicted)")
        Console.line(try predictions.confusionMatrix(classNames: classes).text())
        let details = [
            RunDetail("Model", "\(model.name), \(model.parameterCount()) parameters"),
            RunDetail("Data", data.description),
            RunDetail("Strategy", settings.strategy.rawValue),
            RunDetail("Optimizer", "\(settings.optimizer.rawValue), weight decay \(settings.weightDecay)"
                + (settings.decayNormAndBias ? "" : " (norms and biases exempt)")
                + (settings.accumulateBatches > 1 ? ", \(settings.accumulateBatches) batches per step" : "")
                + (settings.clipGradNorm.map { ", gradient norm clipped to \($0)" } ?? "")),
        ] + data.details(settings, model: model) + [
            RunDetail("Weight averaging", settings.ema.map { "EMA decay \($0) (validation and the best checkpoint)" } ?? "none"),
            RunDetail("Schedule", settings.schedule.rawValue),
            RunDetail("Seed", "\(settings.seed)"),
            RunDetail("Found learning rates", history.foundLearningRates.map { found in
                found.keys.sorted().map { "\($0) \(String(format: "%.3g", found[$0] ?? 0))" }.joined(separator: ", ") } ?? "none (fixed)"),
            RunDetail("Wall time", String(format: "%.1f s", history.totalSeconds)),
        ]
        let files = try RunArtifacts.write(
            title: "Graft run: \(model.name)", history: history, predictions: predictions, classes: classes,
            details: details, to: store.directory)
        Console.line("wrote \(store.directory.path)/{\(files.joined(separator: ","))} and checkpoints/{best,last}.safetensors")
    }

    /// Makes the learner data-parallel over the process group of `worker`'s run; `--batch-size` is the global batch,
    /// shared equally by the processes.
    func joinProcessGroup(_ worker: DistributedEnvironment, timeout: TimeInterval) throws {
        let batchSize = learner.trainLoader.batchSize
        guard batchSize % worker.worldSize == 0 else {
            throw ValidationError(
                "--batch-size \(batchSize) is the batch of all \(worker.worldSize) processes together and must divide equally among them; use a multiple of \(worker.worldSize)")
        }
        Console.line("distributed: \(worker.summary); joining the process group")
        learner.dataParallel = try DataParallel(group: ProcessGroup(joining: worker, timeout: timeout))
        Console.line("data-parallel training: \(worker.worldSize) processes, \(batchSize / worker.worldSize) samples each of every batch of \(batchSize)")
    }

    /// Writes each learning-rate sweep of this session (`--lr auto`, `--head-lr auto`) as lr_find_<group>.{svg,png,json}.
    func writeLearningRateSweeps() throws {
        guard let plan = learner.callbacks.lazy.compactMap({ $0 as? PhasedUnfreezing }).first else { return }
        for sweep in plan.sweeps where !sweep.rates.isEmpty {
            let files = try sweep.write(to: store.directory, name: "lr_find_\(sweep.referenceGroup)")
            Console.line("wrote \(store.directory.path)/{\(files.joined(separator: ","))}")
        }
    }
}
