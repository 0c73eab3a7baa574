import ArgumentParser
import Foundation
import GraftData
import GraftModels
import GraftText
import GraftTrain

/// `graft predict`: the most likely classes of image files or texts.
struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Classify images or texts with a trained checkpoint, or images with a pretrained ImageNet model (--model/--weights).")

    @Option(help: "A checkpoint written by graft train, or a run directory (its best checkpoint).")
    var checkpoint: String?
    @Option(help: "An ImageNet-pretrained architecture to use instead of a checkpoint: \(Models.names.joined(separator: ", ")).")
    var model: String?
    @Option(help: "Weights for --model, its ImageNet head included (default: the offline asset, if installed).")
    var weights: String?
    @Option(help: "How many classes to show per image or text.")
    var topK = 5
    @OptionGroup var compute: ComputeOptions
    @Option(help: TestTimeAugmentation.optionHelp)
    var tta: TestTimeAugmentation.Views = .none
    @Option(help: "A text to classify with a text model's checkpoint (repeatable).")
    var text: [String] = []
    @Option(help: "A UTF-8 file of texts to classify with a text model's checkpoint, one per line (blank lines are ignored).")
    var texts: String?
    @Argument(help: "Image files (JPEG or PNG).")
    var imagesToClassify: [String] = []

    func validate() throws {
        if (checkpoint == nil) == (model == nil) { throw ValidationError("pass either --checkpoint or --model") }
        let givesTexts = !text.isEmpty || texts != nil
        if givesTexts && !imagesToClassify.isEmpty { throw ValidationError("give either image files or texts (--text, --texts), not both") }
        if !givesTexts && imagesToClassify.isEmpty { throw ValidationError("name at least one image file, or give --text / --texts") }
        if givesTexts && checkpoint == nil { throw ValidationError("--text and --texts need the --checkpoint of a text model") }
        if topK < 1 { throw ValidationError("--top-k must be at least 1") }
    }

    func run() throws {
        let predictions: Predictions
        let classes: [String]
        if let checkpoint {
            let loaded = try LoadedCheckpoint(contentsOf: URL(fileURLWithPath: checkpoint))
            classes = loaded.metadata.classes
            if loaded.metadata.text != nil {
                guard imagesToClassify.isEmpty else {
                    throw ValidationError("\(checkpoint) holds the text model \(loaded.metadata.model); give --text or --texts instead of image files")
                }
                guard tta == .none else { throw ValidationError("--tta augments images; a text model has no test-time views") }
                predictions = try Evaluator.run(checkpoint: loaded, texts: unlabeledTexts(classes: classes), device: compute.parsedDevice(),
                                                precision: compute.precision)
            } else {
                guard imagesToClassify.count > 0 else {
                    throw ValidationError("\(checkpoint) holds the image model \(loaded.metadata.model); name image files instead of --text/--texts")
                }
                predictions = try classifyImages(with: loaded.imageModel(), classes: classes, settings: loaded.metadata.settings ?? FineTuneSettings())
            }
        } else {
            classes = ImageNetClasses.names
            let pretrained = try PretrainedModel(model ?? "", weights: weights.map { URL(fileURLWithPath: $0) }, strict: true)
            predictions = try classifyImages(with: pretrained.model, classes: classes, settings: FineTuneSettings())
        }
        for (name, scores) in zip(predictions.names, predictions.probabilities) {
            print(name)
            let ranked = scores.indices.sorted { scores[$0] > scores[$1] }.prefix(min(topK, scores.count))
            for index in ranked { print(String(format: "  %6.2f%%  %@", scores[index] * 100, classes[index])) }
        }
        for sample in predictions.skipped { FileHandle.standardError.write(Data("error: \(sample.name): \(sample.reason)\n".utf8)) }
        if !predictions.skipped.isEmpty { throw ExitCode(1) }
    }

    /// The image files through the preprocessing the model was trained with: its pretrained config at the run's size.
    private func classifyImages(with classifier: ImageClassifier, classes: [String], settings: FineTuneSettings) throws -> Predictions {
        let transform = try DataSpec.transforms(config: classifier.pretrainedConfig, settings: settings).eval
        let files = try UnlabeledFiles(paths: imagesToClassify, classes: classes)
        try classifier.to(compute.parsedDevice())
        return try Evaluator.run(model: classifier, dataset: AnyImageDataset(files), transform: transform,
                                 testTimeAugmentation: TestTimeAugmentation.requested(tta, settings: settings), precision: compute.precision)
    }

    /// The `--text` values, then the lines of `--texts`.
    private func unlabeledTexts(classes: [String]) throws -> UnlabeledTexts {
        let given = try text.isEmpty ? nil : UnlabeledTexts(texts: text, classes: classes)
        let file = try texts.map { try UnlabeledTexts(linesOf: $0, classes: classes) }
        for skipped in file?.skipped ?? [] { Console.warning("skipped \(skipped.name): \(skipped.reason)") }
        switch (given, file) {
        case let (given?, file?): return given.appending(file)
        case let (given?, nil): return given
        case let (nil, file?): return file
        case (nil, nil): throw ValidationError("give --text or --texts")
        }
    }
}
