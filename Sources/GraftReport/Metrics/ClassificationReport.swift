/// Precision, recall, F1 and support of one class, or an average over classes.
public struct ClassScores: Codable, Sendable, Equatable {
    /// tp / (tp + fp), 0 when the class is never predicted (scikit-learn's `zero_division=0`).
    public let precision: Double
    /// tp / (tp + fn), 0 when the class never occurs.
    public let recall: Double
    /// 2·p·r / (p + r), 0 when both are 0.
    public let f1Score: Double
    /// The number of samples whose true class this is (for averages: all samples).
    public let support: Int
}

/// One row of the report: a class name with its scores.
public struct ClassReportRow: Codable, Sendable, Equatable {
    /// The class name.
    public let name: String
    /// The class's scores.
    public let scores: ClassScores
    /// How many samples were predicted as this class.
    public let predictedCount: Int
}

/// scikit-learn's `classification_report` over every class index: per-class rows, accuracy, macro and weighted
/// averages.
public struct ClassificationReport: Codable, Sendable, Equatable {
    /// One row per class, in class-index order (classes never seen nor predicted included, with zeros).
    public let classes: [ClassReportRow]
    /// Correct predictions / samples.
    public let accuracy: Double
    /// The unweighted mean of the per-class scores.
    public let macroAverage: ClassScores
    /// The mean of the per-class scores weighted by support.
    public let weightedAverage: ClassScores
    /// The number of samples evaluated.
    public let sampleCount: Int

    /// Computes the report from predicted and true class indices.
    public init(predictions: [Int], labels: [Int], classNames: [String]) throws {
        self.init(
            confusionMatrix: try ConfusionMatrix(predictions: predictions, labels: labels, classNames: classNames))
    }

    /// Computes the report from a confusion matrix (which must count at least one sample).
    public init(confusionMatrix matrix: ConfusionMatrix) {
        let rows = matrix.classNames.indices.map { index in
            ClassReportRow(
                name: matrix.classNames[index], scores: Self.scores(of: index, in: matrix),
                predictedCount: matrix.predictedCount(index))
        }
        let total = matrix.total
        let correct = matrix.classNames.indices.reduce(0) { $0 + matrix.truePositives($1) }
        classes = rows
        sampleCount = total
        accuracy = total == 0 ? 0 : Double(correct) / Double(total)
        macroAverage = Self.average(rows.map(\.scores), weights: nil, support: total)
        weightedAverage = Self.average(
            rows.map(\.scores), weights: rows.map { Double($0.scores.support) }, support: total)
    }

    /// True when some class is neither present nor predicted; scikit-learn then titles the accuracy line "micro avg".
    public var hasUnseenClass: Bool {
        classes.contains { $0.scores.support == 0 && $0.predictedCount == 0 }
    }

    private static func scores(of index: Int, in matrix: ConfusionMatrix) -> ClassScores {
        let truePositives = Double(matrix.truePositives(index))
        let predicted = matrix.predictedCount(index)
        let support = matrix.support(index)
        let precision = predicted == 0 ? 0 : truePositives / Double(predicted)
        let recall = support == 0 ? 0 : truePositives / Double(support)
        let denominator = precision + recall
        let f1 = denominator == 0 ? 0 : 2 * precision * recall / denominator
        return ClassScores(precision: precision, recall: recall, f1Score: f1, support: support)
    }

    /// Plain or weighted mean of each score; with all weights zero the averages are 0 (scikit-learn's zero_division).
    private static func average(_ scores: [ClassScores], weights: [Double]?, support: Int) -> ClassScores {
        let weights = weights ?? Array(repeating: 1, count: scores.count)
        let weightSum = weights.reduce(0, +)
        func mean(_ value: (ClassScores) -> Double) -> Double {
            guard weightSum > 0 else { return 0 }
            return zip(scores, weights).reduce(0) { $0 + value($1.0) * $1.1 } / weightSum
        }
        return ClassScores(
            precision: mean(\.precision), recall: mean(\.recall), f1Score: mean(\.f1Score), support: support)
    }
}
