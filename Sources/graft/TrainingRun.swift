import ArgumentParser
import Foundation
import GraftModels
import GraftReport
import GraftTensor
import GraftTrain

/// One `graft train` invocation wired together: model, data, run directory, trainer, final report.
struct TrainingRun {
    let trainer: Trainer
    let data: TrainingData
    let store: RunStore

    /// A new run from the command's flags (and config file).
    static func starting(_ command: TrainCommand) throws -> TrainingRun {
        let settings = try command.settings()
        let spec = DataSpec(source: command.data ?? "", images: command.images, validation: command.validation,
                            validationSplit: command.valSplit, trainLimit: command.trainLimit, validationLimit: command.valLimit)
        Engine.manualSeed(settings.seed)
        let probe = try Models.make(command.model)
        let data = try spec.load(config: probe.pretrainedConfig, settings: settings)
        Console.line("data: \(data.description)")
        let model = try ModelLoading.pretrained(
            probe.name, weights: command.weights, fromScratch: command.fromScratch, numClasses: data.train.classes.count) { Console.line($0) }
        let directory = URL(fileURLWithPath: command.output ?? Self.defaultRunDirectory(model: model.name))
        let store = try RunStore(directory: directory, data: spec)
        let trainer = try Trainer(model: model, data: data, settings: settings, store: store, observer: ConsoleObserver(epochs: settings.epochs))
        return TrainingRun(trainer: trainer, data: data, store: store)
    }

    /// The run in `directory`, continued from its last checkpoint with its saved settings and data.
    static func resuming(_ directory: URL) throws -> TrainingRun {
        let store0 = directory.appendingPathComponent("checkpoints/last.safetensors")
        guard FileManager.default.fileExists(atPath: store0.path) else {
            throw ValidationError("--resume \(directory.path): no checkpoints/last.safetensors there")
        }
        let checkpoint = try LoadedCheckpoint(contentsOf: store0)
        let meta = checkpoint.metadata
        guard let spec = meta.data else { throw ValidationError("--resume: the checkpoint does not record its data source") }
        Engine.manualSeed(meta.settings.seed)
        let model = try Models.make(meta.model, numClasses: meta.classes.count)
        let data = try spec.load(config: model.pretrainedConfig, settings: meta.settings)
        let store = try RunStore(directory: directory, data: spec)
        let trainer = try Trainer(model: model, data: data, settings: meta.settings, store: store,
                                  observer: ConsoleObserver(epochs: meta.settings.epochs))
        try trainer.restore(from: checkpoint)
        return TrainingRun(trainer: trainer, data: data, store: store)
    }

    static func defaultRunDirectory(model: String) -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        return "runs/\(model)-\(formatter.string(from: Date()))"
    }

    /// Trains, then evaluates the best checkpoint on the validation set and writes the reports.
    func execute() throws {
        let model = trainer.model
        Console.line("model: \(model.name), \(model.parameterSummary) at start; run directory \(store.directory.path)")
        let history = try trainer.run()
        let best = try LoadedCheckpoint(contentsOf: store.bestURL)
        let bestModel = try best.model()
        let predictions = try Evaluator.run(model: bestModel, dataset: data.validation, transform: data.evalTransform,
                                            batchSize: max(trainer.settings.batchSize, 64))
        let classes = data.train.classes
        Console.line("\nbest epoch \(best.metadata.progress.bestEpoch + 1): validation classification report")
        Console.line(try predictions.report(classNames: classes).text(digits: 4))
        Console.line("confusion matrix (rows: true, columns: predicted)")
        Console.line(try predictions.confusionMatrix(classNames: classes).text())
        let details = [
            RunDetail("Model", "\(model.name), \(model.parameterCount()) parameters"),
            RunDetail("Data", data.description),
            RunDetail("Strategy", trainer.settings.strategy.rawValue),
            RunDetail("Optimizer", "\(trainer.settings.optimizer.rawValue), weight decay \(trainer.settings.weightDecay)"),
            RunDetail("Schedule", trainer.settings.schedule.rawValue),
            RunDetail("Seed", "\(trainer.settings.seed)"),
            RunDetail("Wall time", String(format: "%.1f s", history.totalSeconds)),
        ]
        let files = try RunArtifacts.write(
            title: "Graft run: \(model.name)", history: history, predictions: predictions, classes: classes,
            details: details, to: store.directory)
        Console.line("wrote \(store.directory.path)/{\(files.joined(separator: ","))} and checkpoints/{best,last}.safetensors")
    }
}
