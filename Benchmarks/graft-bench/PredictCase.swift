import ArgumentParser
import Foundation
import GraftData
import GraftModels
import GraftTensor

/// `predict`: JPEG files to class labels — decode, eval transform, batch, eval-mode model, argmax.
struct PredictCase: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict", abstract: "Time JPEG files → class labels (decode + eval transform + model).")

    @OptionGroup var common: CommonOptions

    @Option(help: "Registry model name.")
    var model = "resnet50"

    @Option(help: "ImageFolder root holding the JPEGs.")
    var images: String

    @Option(help: "Use only the first N images (0: all).")
    var limit = 0

    @Option(help: "Loader threads decoding and transforming images.")
    var workers = 2

    func run() throws {
        common.configureEngine()
        let classifier = try Models.make(model, numClasses: 1000)
        classifier.eval()
        common.configure(classifier)
        let config = classifier.pretrainedConfig
        let folder = try ImageFolder(root: images)
        let count = limit > 0 ? min(limit, folder.count) : folder.count
        let dataset = try DatasetSubset(base: folder, indices: Array(0..<count))
        let transform = try TransformPipeline.evalTransform(inputSize: config.inputSize, resizeSize: config.resizeSize,
                                                            mean: config.mean.map(Float.init), std: config.std.map(Float.init))
        let loader = try DataLoader(dataset: dataset, transform: transform, batchSize: common.batch, shuffle: false,
                                    workers: workers, warn: { FileHandle.standardError.write(Data(($0 + "\n").utf8)) })
        // Warm-up is one batch through the model (kernel selection, allocator), not a whole pass over the files.
        let warmupBatch = try Tensor.zeros([common.batch, 3, config.inputSize, config.inputSize])
        for _ in 0..<common.warmup { _ = try withNoGrad { try classifier(warmupBatch) } }
        var predicted = 0
        let runs = try Measurement.runs(warmup: 0, repeats: common.repeats) {
            predicted = 0
            let batches = loader.batches(epoch: 0)
            while let batch = try batches.next() {
                let (input, _) = try batch.tensors()
                let labels = try withNoGrad { try classifier(input).argmax(dim: 1) }
                predicted += try labels.scalars(as: Int64.self).count
            }
        }
        let parameters: [String: Any] = ["model": model, "size": config.inputSize, "images": predicted, "workers": workers]
        try ResultLine(benchmark: "predict", parameters: common.reported.merging(parameters) { $1 },
                       runs: runs, imagesPerRepetition: predicted).print()
    }
}
