import GraftReport
import GraftTensor

/// Running metrics of a classification pass, batch by batch: the sample-weighted mean loss, top-1 accuracy, top-k
/// accuracies and the confusion matrix, as the seed tutorial's `train_epoch`/`validate` compute them. The training
/// object keeps one for training and one for validation; a hand-written loop can use its own.
public struct ClassificationMetrics: Sendable {
    /// Number of classes (the confusion matrix's size); nil counts only loss and accuracy.
    public let classCount: Int?
    /// The k values whose top-k accuracy is tracked (e.g. `[5]`).
    public let topK: [Int]
    /// Samples seen.
    public private(set) var samples = 0
    /// Samples whose top-1 prediction was right.
    public private(set) var correct = 0
    /// Samples that contributed a loss.
    public private(set) var lossSamples = 0
    private var lossSum = 0.0
    private var topKCorrect: [Int: Int] = [:]
    /// `counts[true][predicted]` when `classCount` is set.
    public private(set) var confusionCounts: [[Int]]
    /// Seconds spent in the pass (set by whoever times it).
    public var seconds = 0.0

    /// Empty metrics; pass `classCount` to collect the confusion matrix and `topK` for top-k accuracies.
    public init(classCount: Int? = nil, topK: [Int] = []) {
        self.classCount = classCount
        self.topK = topK
        confusionCounts = classCount.map { Array(repeating: Array(repeating: 0, count: $0), count: $0) } ?? []
    }

    /// Mean loss per sample (NaN before any loss was added).
    public var meanLoss: Double { lossSamples > 0 ? lossSum / Double(lossSamples) : .nan }
    /// Share of right top-1 predictions (0 before any sample).
    public var accuracy: Double { samples > 0 ? Double(correct) / Double(samples) : 0 }

    /// Top-k accuracy for a tracked `k`.
    public func topKAccuracy(_ k: Int) throws -> Double {
        guard let hits = topKCorrect[k] ?? (topK.contains(k) ? 0 : nil) else {
            throw TrainingError.invalidConfiguration("top-\(k) accuracy is not tracked; create the metrics with topK: [\(k)]")
        }
        return samples > 0 ? Double(hits) / Double(samples) : 0
    }

    /// Adds one batch: `logits` [N, C], `labels` [N] class indices, and the batch's mean `loss` when measured.
    public mutating func add(logits: Tensor, labels: Tensor, loss: Double? = nil) throws {
        guard logits.rank == 2, labels.rank == 1, logits.shape[0] == labels.shape[0] else {
            throw TrainingError.invalidConfiguration("metrics need logits [N, C] and labels [N], got \(logits.shape) and \(labels.shape)")
        }
        let count = labels.shape[0]
        let truth = try labels.to(.int64).scalars(as: Int64.self)
        let predicted = try logits.argmax(dim: 1).scalars(as: Int64.self)
        for (p, t) in zip(predicted, truth) where p == t { correct += 1 }
        if let classCount {
            for (p, t) in zip(predicted, truth) {
                guard (0..<Int64(classCount)).contains(t) else {
                    throw TrainingError.invalidConfiguration("label \(t) is outside 0..<\(classCount)")
                }
                confusionCounts[Int(t)][Int(p)] += 1
            }
        }
        for k in topK {
            let top = try logits.topk(min(k, logits.shape[1]), dim: 1).indices.scalars(as: Int64.self)
            let width = min(k, logits.shape[1])
            topKCorrect[k, default: 0] += truth.enumerated().filter { row, t in top[(row * width)..<((row + 1) * width)].contains(t) }.count
        }
        if let loss {
            lossSum += loss * Double(count)
            lossSamples += count
        }
        samples += count
    }

    /// Every count as one vector (samples, right predictions, loss samples, the loss sum, the top-k hits in `topK`
    /// order, the confusion matrix row by row), for summing the metrics of data-parallel ranks.
    var counts: [Double] {
        [Double(samples), Double(correct), Double(lossSamples), lossSum] + topK.map { Double(topKCorrect[$0] ?? 0) }
            + confusionCounts.joined().map(Double.init)
    }

    /// These metrics with `counts` (the layout of `counts`, e.g. summed over ranks) in place of their own.
    func replacingCounts(_ values: [Double]) throws -> ClassificationMetrics {
        guard values.count == counts.count else {
            throw TrainingError.invalidConfiguration("metrics counts of another layout (\(values.count) values, expected \(counts.count))")
        }
        var result = self
        (result.samples, result.correct, result.lossSamples, result.lossSum) = (Int(values[0]), Int(values[1]), Int(values[2]), values[3])
        for (offset, k) in topK.enumerated() { result.topKCorrect[k] = Int(values[4 + offset]) }
        let width = confusionCounts.count
        let start = 4 + topK.count
        result.confusionCounts = (0..<width).map { row in (0..<width).map { Int(values[start + row * width + $0]) } }
        return result
    }

    /// The confusion matrix (rows true, columns predicted) under `classNames`.
    public func confusionMatrix(classNames: [String]) throws -> ConfusionMatrix {
        guard let classCount, classCount == classNames.count else {
            throw TrainingError.invalidConfiguration(
                "the metrics track \(classCount.map(String.init) ?? "no") classes, \(classNames.count) names were given; create them with classCount: \(classNames.count)")
        }
        return try ConfusionMatrix(classNames: classNames, counts: confusionCounts)
    }

    /// Per-class precision/recall/F1 and averages.
    public func report(classNames: [String]) throws -> ClassificationReport {
        ClassificationReport(confusionMatrix: try confusionMatrix(classNames: classNames))
    }
}
