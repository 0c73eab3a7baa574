import Foundation
import GraftData
import GraftModels
import GraftReport
import GraftTensor

/// A model's outputs over a dataset, in dataset order.
public struct Predictions: Sendable {
    /// Sample names (file paths), aligned with the other arrays.
    public var names: [String] = []
    /// True labels.
    public var labels: [Int] = []
    /// Top-1 predicted labels.
    public var predicted: [Int] = []
    /// Softmax probabilities per sample.
    public var probabilities: [[Double]] = []
    /// Images that could not be read.
    public var skipped: [SkippedSample] = []

    /// The classification report (precision/recall/F1/support per class, averages) of these predictions.
    public func report(classNames: [String]) throws -> ClassificationReport {
        try ClassificationReport(predictions: predicted, labels: labels, classNames: classNames)
    }

    /// The confusion matrix (rows true, columns predicted).
    public func confusionMatrix(classNames: [String]) throws -> ConfusionMatrix {
        try ConfusionMatrix(predictions: predicted, labels: labels, classNames: classNames)
    }

    /// The most probable class of each row of `probabilities`.
    static func topClasses(of probabilities: [[Double]]) -> [Int] {
        probabilities.map { scores in scores.indices.max { scores[$0] < scores[$1] } ?? 0 }
    }

    /// The share of samples whose true label is among the `k` most probable.
    public func topKAccuracy(_ k: Int) throws -> Double {
        try GraftReport.topKAccuracy(scores: probabilities, labels: labels, k: k)
    }
}

/// Runs a classifier in evaluation mode over a dataset (no gradients, deterministic preprocessing).
public enum Evaluator {
    /// Predictions for every readable sample of `dataset`, computed on the model's device in `precision`; `progress`
    /// gets (batches done, batches). With `testTimeAugmentation`, each sample's probabilities are the mean of the
    /// softmax over its views (one pass over the data per view).
    public static func run(
        model: Classifier, dataset: AnyImageDataset, transform: TransformPipeline, batchSize: Int = 64,
        workers: Int = ProcessInfo.processInfo.activeProcessorCount, testTimeAugmentation: TestTimeAugmentation? = nil,
        precision: Precision = .fp32, progress: (Int, Int) -> Void = { _, _ in }
    ) throws -> Predictions {
        let pipelines = try testTimeAugmentation?.pipelines(from: transform) ?? [transform]
        var result = Predictions()
        var sums: [[Double]] = []
        for (view, pipeline) in pipelines.enumerated() {
            let pass = try predictions(
                model: model, dataset: dataset, transform: pipeline, batchSize: batchSize, workers: workers, precision: precision,
                progress: { done, total in progress(view * total + done, pipelines.count * total) })
            if view == 0 {
                result = pass
                sums = pass.probabilities
            } else {
                guard pass.names == result.names else {
                    throw TrainingError.invalidConfiguration("test-time view \(view + 1) read other images than the first view")
                }
                for row in sums.indices { for column in sums[row].indices { sums[row][column] += pass.probabilities[row][column] } }
            }
        }
        let count = Double(pipelines.count)
        result.probabilities = sums.map { $0.map { $0 / count } }
        result.predicted = Predictions.topClasses(of: result.probabilities)
        return result
    }

    /// One pass over `dataset` with one preprocessing.
    private static func predictions(
        model: Classifier, dataset: AnyImageDataset, transform: TransformPipeline, batchSize: Int, workers: Int,
        precision: Precision, progress: (Int, Int) -> Void
    ) throws -> Predictions {
        let loader = try DataLoader(dataset: dataset, transform: transform, batchSize: batchSize, shuffle: false, workers: workers)
        return try run(model: model, source: loader, dataset: dataset, precision: precision, progress: progress)
    }

    /// Predictions for every usable sample of an unshuffled `source` (a `TextLoader`, an image `DataLoader`, …) whose
    /// samples are `dataset`'s (names and labels come from there), computed on the model's device in evaluation mode
    /// and `precision` (softmax in float32); `progress` gets (batches done, batches).
    public static func run(
        model: Classifier, source: any LabeledBatchSource, dataset: any LabeledDataset, precision: Precision = .fp32,
        progress: (Int, Int) -> Void = { _, _ in }
    ) throws -> Predictions {
        model.eval()
        let device = try model.device
        var result = Predictions()
        let batches = source.labeledBatches(epoch: 0)
        var done = 0
        try withNoGrad {
            while let batch = try batches.next(on: device) {
                let probabilities = try withPrecision(precision, on: device) { try model(batch.inputs) }.float().softmax(dim: 1)
                let classes = probabilities.shape[1]
                let values = try probabilities.to(.float64).scalars(as: Double.self)
                for (row, sample) in batch.sampleIndices.enumerated() {
                    result.names.append(dataset.sampleName(at: sample))
                    result.labels.append(dataset.label(at: sample))
                    result.probabilities.append(Array(values[(row * classes)..<((row + 1) * classes)]))
                }
                done += 1
                progress(done, source.batchCount)
            }
        }
        result.skipped = batches.skipped
        result.predicted = Predictions.topClasses(of: result.probabilities)
        return result
    }
}

/// Image files to classify, without labels.
public struct UnlabeledFiles: FileImageDataset {
    public let samples: [LabeledFile]
    public let classes: [String]

    /// The files at `paths`, each of which must exist.
    public init(paths: [String], classes: [String]) throws {
        for path in paths where !FileManager.default.fileExists(atPath: path) {
            throw TrainingError.invalidConfiguration("\(path): no such file")
        }
        samples = paths.map { LabeledFile(path: $0, label: 0) }
        self.classes = classes
    }
}
