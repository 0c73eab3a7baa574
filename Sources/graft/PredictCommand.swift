import ArgumentParser
import Foundation
import GraftData
import GraftModels
import GraftTrain

/// `graft predict`: the most likely classes of image files.
struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Classify images with a trained checkpoint, or with a pretrained ImageNet model (--model/--weights).")

    @Option(help: "A checkpoint written by graft train, or a run directory (its best checkpoint).")
    var checkpoint: String?
    @Option(help: "An ImageNet-pretrained architecture to use instead of a checkpoint: \(Models.names.joined(separator: ", ")).")
    var model: String?
    @Option(help: "Weights for --model, its ImageNet head included (default: the offline asset, if installed).")
    var weights: String?
    @Option(help: "How many classes to show per image.")
    var topK = 5
    @Option(help: TestTimeAugmentation.optionHelp)
    var tta: TestTimeAugmentation.Views = .none
    @Argument(help: "Image files (JPEG or PNG).")
    var imagesToClassify: [String]

    func validate() throws {
        if (checkpoint == nil) == (model == nil) { throw ValidationError("pass either --checkpoint or --model") }
        if imagesToClassify.isEmpty { throw ValidationError("name at least one image file") }
        if topK < 1 { throw ValidationError("--top-k must be at least 1") }
    }

    func run() throws {
        let classifier: ImageClassifier
        let classes: [String]
        var settings = FineTuneSettings()
        if let checkpoint {
            let loaded = try LoadedCheckpoint(contentsOf: URL(fileURLWithPath: checkpoint))
            classifier = try loaded.model()
            classes = loaded.metadata.classes
            settings = loaded.metadata.settings ?? settings
        } else {
            classifier = try PretrainedModel(model ?? "", weights: weights.map { URL(fileURLWithPath: $0) }, strict: true).model
            classes = ImageNetClasses.names
        }
        // The preprocessing the model was trained with: its pretrained config at the run's image size.
        let transform = try DataSpec.transforms(config: classifier.pretrainedConfig, settings: settings).eval
        let files = try UnlabeledFiles(paths: imagesToClassify, classes: classes)
        let predictions = try Evaluator.run(
            model: classifier, dataset: AnyImageDataset(files), transform: transform,
            testTimeAugmentation: TestTimeAugmentation.requested(tta, settings: settings))
        for (name, scores) in zip(predictions.names, predictions.probabilities) {
            print(name)
            let ranked = scores.indices.sorted { scores[$0] > scores[$1] }.prefix(min(topK, scores.count))
            for index in ranked { print(String(format: "  %6.2f%%  %@", scores[index] * 100, classes[index])) }
        }
        for sample in predictions.skipped { FileHandle.standardError.write(Data("error: \(sample.name): \(sample.reason)\n".utf8)) }
        if !predictions.skipped.isEmpty { throw ExitCode(1) }
    }
}
