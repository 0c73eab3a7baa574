import ArgumentParser
import Foundation
import GraftReport
import GraftTrain

/// `graft evaluate`: metrics of a trained checkpoint on labelled images.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Evaluate a Graft checkpoint: accuracy, top-k, per-class precision/recall/F1, confusion matrix.")

    @Option(help: "A checkpoint (.safetensors written by graft train) or a run directory (uses its best checkpoint).")
    var checkpoint: String
    @Option(help: "Labelled images: an ImageFolder directory, a CSV/TSV of filename,label (with --images), or fashion-mnist (its test set).")
    var data: String
    @Option(help: "Directory holding the images named in a CSV/TSV --data file.")
    var images: String?
    @Option(help: "Evaluate on a stratified subset of at most this many images.")
    var limit: Int?
    @Option(help: "Also report top-k accuracy for this k.")
    var topK = 5
    @Option(help: "Write the report files (HTML, CSV, JSON, SVG, PNG) into this directory.")
    var output: String?
    @Option(help: "Images per batch.")
    var batchSize = 64
    @Option(help: TestTimeAugmentation.optionHelp)
    var tta: TestTimeAugmentation.Views = .none

    func run() throws {
        let loaded = try LoadedCheckpoint(contentsOf: URL(fileURLWithPath: checkpoint))
        let meta = loaded.metadata
        let model = try loaded.model()
        let spec = DataSpec(source: data, images: images, validation: data, validationLimit: limit)
        let evaluation = try spec.load(config: model.pretrainedConfig, settings: meta.settings ?? FineTuneSettings())
        guard evaluation.validation.classes == meta.classes else {
            throw ValidationError("the data's classes \(evaluation.validation.classes) differ from the checkpoint's \(meta.classes)")
        }
        let predictions = try Evaluator.run(
            model: model, dataset: evaluation.validation, transform: evaluation.evalTransform, batchSize: batchSize,
            testTimeAugmentation: TestTimeAugmentation.requested(tta, settings: meta.settings ?? FineTuneSettings()))
        for sample in predictions.skipped { Console.warning("skipped \(sample.name): \(sample.reason)") }
        print("\(meta.model) on \(predictions.labels.count) images of \(data)")
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
