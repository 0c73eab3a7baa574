import ArgumentParser
import Foundation
import GraftModels
import GraftReport
import GraftText
import GraftTrain

/// `graft evaluate`: metrics of a trained checkpoint on labelled images or texts.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Evaluate a Graft checkpoint: accuracy, top-k, per-class precision/recall/F1, confusion matrix.")

    @Option(help: "A checkpoint (.safetensors written by graft train) or a run directory (uses its best checkpoint).")
    var checkpoint: String
    @Option(help: "Labelled data: for an image model an ImageFolder directory, a CSV/TSV of filename,label (with --images), or fashion-mnist (its test set); for a text model a CSV, TSV or JSON-lines file, or a folder of .txt files per class.")
    var data: String
    @Option(help: "Directory holding the images named in a CSV/TSV --data file.")
    var images: String?
    @Option(help: "Text data: the column holding the texts (default: the run's).")
    var textColumn: String?
    @Option(help: "Text data: the column holding the labels (default: the run's).")
    var labelColumn: String?
    @Option(help: "Evaluate on a stratified subset of at most this many samples.")
    var limit: Int?
    @Option(help: "Also report top-k accuracy for this k.")
    var topK = 5
    @Option(help: "Write the report files (HTML, CSV, JSON, SVG, PNG) into this directory.")
    var output: String?
    @Option(help: "Samples per batch.")
    var batchSize = 64
    @Option(help: TestTimeAugmentation.optionHelp)
    var tta: TestTimeAugmentation.Views = .none
    @OptionGroup var compute: ComputeOptions

    func run() throws {
        let loaded = try LoadedCheckpoint(contentsOf: URL(fileURLWithPath: checkpoint))
        let meta = loaded.metadata
        var settings = meta.settings ?? FineTuneSettings()
        let spec = DataSpec(source: data, images: images, validation: data, validationLimit: limit)
        let predictions: Predictions
        let noun: String
        if meta.text != nil {
            guard tta == .none else { throw ValidationError("--tta augments images; a text model has no test-time views") }
            if let textColumn { settings.textColumn = textColumn }
            if let labelColumn { settings.labelColumn = labelColumn }
            let texts = try LabeledTexts(contentsOf: data, options: settings.textReadingOptions(classes: meta.classes))
            TrainingRun.warnSkippedRows(texts.skipped)
            let subset = try limit.map { try DataSpec.limit(texts, to: $0, seed: settings.seed &+ 1) } ?? texts
            predictions = try Evaluator.run(checkpoint: loaded, texts: subset, batchSize: batchSize, device: compute.parsedDevice(),
                                            precision: compute.precision)
            noun = "texts"
        } else {
            let model = try loaded.imageModel()
            try model.to(compute.parsedDevice())
            let evaluation = try spec.load(config: model.pretrainedConfig, settings: settings)
            guard evaluation.validation.classes == meta.classes else {
                throw ValidationError("the data's classes \(evaluation.validation.classes) differ from the checkpoint's \(meta.classes)")
            }
            predictions = try Evaluator.run(
                model: model, dataset: evaluation.validation, transform: evaluation.evalTransform, batchSize: batchSize,
                testTimeAugmentation: TestTimeAugmentation.requested(tta, settings: settings), precision: compute.precision)
            noun = "images"
        }
        for sample in predictions.skipped { Console.warning("skipped \(sample.name): \(sample.reason)") }
        print("\(meta.model) on \(predictions.labels.count) \(noun) of \(data)")
        print(try predictions.report(classNames: meta.classes).text(digits: 4))
        let k = min(topK, meta.classes.count)
        print(String(format: "top-%d accuracy: %.4f\n", k, try predictions.topKAccuracy(k)))
        print("confusion matrix (rows: true, columns: predicted)")
        print(try predictions.confusionMatrix(classNames: meta.classes).text())
        if let output {
            let files = try RunArtifacts.write(
                title: "Graft evaluation: \(meta.model) on \(data)", history: RunHistory(model: meta.model, data: data),
                predictions: predictions, classes: meta.classes, details: [RunDetail("Checkpoint", checkpoint)],
                to: URL(fileURLWithPath: output))
            print("wrote \(output)/{\(files.joined(separator: ","))}")
        }
    }
}
